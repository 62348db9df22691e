export { EnsembleOptionError, PredictiveError } from "./errors.js";
export {
  type Combiner, type WeightedOptions, type ProbabilityCombinerOptions,
  mean, weightedMean, median, meanOfProbabilities, meanOfLogits, majorityVote, electedClass,
} from "./combiners.js";
export { type StackingOptions, type StackingResult, fitStackingWeights, stacking, projectSimplex } from "./stacking.js";
export { type EnsembleMember, type EnsembleOptions, type Ensemble, ensemble } from "./ensemble.js";
export { seedMembers, bootstrapMembers, hyperparameterMembers, architectureMembers, type BootstrapMembersOptions } from "./members.js";
export {
  type MlpMemberSpec, type PlainData, type PlainParams, trainMlpMember, toPlainData, fromPlainData, toPlainParams, fromPlainParams,
  memberModel, memberParams,
} from "./member-trainer.js";
export { trainMembers, type TrainMembersOptions, type MemberTrainer } from "./train-members.js";
export { RunningTree, cloneTree } from "./running-average.js";
export { swa, swaSchedule, type SwaOptions, type SwaScheduleOptions, type AverageResult } from "./swa.js";
export { ema, type EmaOptions } from "./ema.js";
export {
  snapshotEnsemble, snapshotSchedule, fastGeometric, fgeSchedule, type SnapshotResult, type SnapshotEnsembleOptions,
  type SnapshotScheduleOptions, type FastGeometricOptions, type FgeScheduleOptions,
} from "./snapshots.js";
