export { DatasetArgumentError } from "./errors.js";
export { RandomState, type ChoiceOptions, type RandomStateSnapshot, type Seed } from "./random-state.js";
export { linspace } from "./numpy-numerics.js";
export {
  MNIST1D_DEFAULTS,
  MNIST1D_PRESETS,
  resolveMnist1dArgs,
  type Mnist1dArgs,
  type Mnist1dPresetName,
} from "./mnist1d-args.js";
export { MNIST1D_DIGIT_PATTERNS, mnist1dTemplates, type Mnist1dTemplates } from "./mnist1d-templates.js";
export {
  mnist1dSampleSteps,
  type Mnist1dSampleDraws,
  type Mnist1dSampleOptions,
  type Mnist1dSampleSteps,
  type Mnist1dStage,
} from "./mnist1d-transform.js";
export {
  generateMnist1dRaw,
  makeMnist1d,
  mnist1dSplits,
  type Mnist1dDataset,
  type Mnist1dRaw,
  type Mnist1dTrace,
} from "./mnist1d.js";
export { concatSplits, makeSplit, oneHot, takeRows, type Labels, type Split } from "./split.js";
export {
  applyStandardizer,
  fitStandardizer,
  standardize,
  type StandardizeMode,
  type StandardizeOptions,
  type Standardizer,
} from "./standardize.js";
export {
  epochBatches,
  epochOrder,
  iterateBatches,
  notebookBatch,
  notebookBatchRange,
  type Batch,
  type BatchOptions,
} from "./batching.js";
export { validationSplit, type ValidationSplitOptions, type ValidationSplitResult } from "./validation-split.js";
export {
  bootstrapIndices,
  bootstrapSplit,
  multiplicities,
  type BootstrapSample,
  type RngOrSeed,
} from "./bootstrap.js";
export { injectLabelNoise, type LabelNoiseOptions, type LabelNoiseResult } from "./label-noise.js";
export {
  NOTEBOOK_TWO_PI,
  fromDisplayUnits,
  makeToyData,
  mu,
  toDisplayUnits,
  trueFunction,
  type ToyDataOptions,
  type TrueFunctionOptions,
  type TwoPiConvention,
} from "./toy-data.js";
export { BOOK_DATASET_NAMES, bookDataset, type BookDataset, type BookDatasetName } from "./book-data.js";
export { gaborDataset } from "./gabor-data.js";
export { decodeNpy, encodeNpy, npyHeader, type NpyArray, type NpyDescr, type NpyFile } from "./npy.js";
export {
  AugmentationError,
  type AugmentKey,
  type AugmentRandom,
  type Augmentation,
  type SignalBatch,
} from "./augment-core.js";
export {
  circularShift,
  cutout,
  reversal,
  timeStretch,
  timeWarp,
  type CircularShiftOptions,
  type CutoutOptions,
  type ResampleMode,
  type TimeStretchOptions,
  type TimeWarpOptions,
} from "./augment-time.js";
export {
  amplitudeScale,
  gaussianNoise,
  gaussianSmooth,
  windowing,
  type AmplitudeScaleOptions,
  type GaussianNoiseOptions,
  type GaussianSmoothOptions,
  type WindowingOptions,
} from "./augment-amplitude.js";
export { cutmix, mixup, type MixOptions } from "./augment-mixing.js";
export { oneOf, randomApply, sequence, type OneOfOptions, type RandomApplyOptions } from "./augment-compose.js";
export { expandWithAugmentations, type ExpandOptions, type ExpandResult } from "./augment-expand.js";
