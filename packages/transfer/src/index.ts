export { TransferError, TransferOptionError } from "./errors.js";
export { withHead, replaceHead, multiHead, type WithHeadParams, type MultiHeadParams, type HeadOptions } from "./with-head.js";
export { paramGroups, freeze, under, FROZEN, type ParamGroup, type ParamGroupsState } from "./param-groups.js";
export { multiTask, type MultiTask, type Task, type TaskSpec } from "./multi-task.js";
export { detach, linearSurrogate, replaceDataLoss, taskGradients, taskLossesAt, weightedSum } from "./task-objective.js";
export { pcgrad, pcgradCombine, projectConflicting, type PcgradOptions, type PcgradCombineOptions } from "./pcgrad.js";
export {
  uncertaintyWeighting, uncertaintyWeightedLoss, uncertaintyLogVarGradient,
  type UncertaintyWeightingOptions, type UncertaintyWeightingState,
} from "./uncertainty-weighting.js";
export { gradNorm, gradNormStep, type GradNormOptions, type GradNormState } from "./grad-norm.js";
export { type Pretext, pretextTask, checkSignals } from "./pretext.js";
export { shiftPrediction, rollRows, type ShiftPredictionOptions } from "./shift-prediction.js";
export { maskedReconstruction, maskedMseLoss, type MaskedReconstructionOptions } from "./masked-reconstruction.js";
export { ntXent, contrastive, type SignalView, type ContrastiveOptions } from "./nt-xent.js";
export { auxiliaryTask, type AuxiliaryTaskOptions } from "./auxiliary-task.js";
export { transformPrediction, FLIPS, type SignalTransform, type TransformPredictionOptions } from "./transform-prediction.js";
export { augmentationView, isAugmentation } from "./augmentation-view.js";
