export { DatasetArgumentError } from "./errors.js";
export { RandomState, type ChoiceOptions, type RandomStateSnapshot, type Seed } from "./random-state.js";
export { MNIST1D_DEFAULTS, MNIST1D_PRESETS, resolveMnist1dArgs, type Mnist1dArgs, type Mnist1dPresetName } from "./mnist1d-args.js";
export { MNIST1D_DIGIT_PATTERNS, mnist1dTemplates, type Mnist1dTemplates } from "./mnist1d-templates.js";
export {
  mnist1dSampleSteps,
  type Mnist1dSampleDraws,
  type Mnist1dSampleOptions,
  type Mnist1dSampleSteps,
  type Mnist1dStage,
} from "./mnist1d-transform.js";
export { generateMnist1dRaw, makeMnist1d, type Mnist1dDataset, type Mnist1dRaw, type Mnist1dTrace } from "./mnist1d.js";
