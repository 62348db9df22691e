// Failures the fuzz suites still find, per package (core-autodiff included): export → the number of
// calls (pinned seed) that ended in a generic error (KNOWN_GENERIC) or were accepted with a bad
// argument and no reviewed reason (KNOWN_SILENT). Listed here they are reported, not failed; a new
// export or a higher count fails. Delete entries as they are fixed (FUZZ_PRINT_KNOWN=1 prints the
// current counts).
export const KNOWN_GENERIC: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  "datasets": { "RandomState(\u2026).shuffle": 4, "RandomState(\u2026).choiceWeightedWithoutReplacement": 5, "RandomState(\u2026).initByArray": 5 },
  "core-train": { "optionValidators(\u2026).plugin": 1, "optionValidators(\u2026).oneOf": 6, "conv1dNet(\u2026).apply": 6, "shallowNet(\u2026).apply": 6, "shallowNetLearnedJoints(\u2026).apply": 6, "gabor(\u2026).apply": 6, "gru(\u2026).apply": 4 },
  "optim": { "scaleByLearningRate(\u2026).hyperparams": 1, "scaleByLearningRate(\u2026).update": 5, "traceMomentum(\u2026).update": 5, "emaMomentum(\u2026).update": 5, "scaleByAdam(\u2026).update": 4, "scaleByRms(\u2026).update": 4, "entropySgd(\u2026).objective": 5, "earlyStopping(\u2026).beforeFit": 2 },
  "penalties": { "PowerIterationVectors(\u2026).step": 4, "spectralNormalization(\u2026).afterStep": 3 },
  "noise": { "dropout(\u2026).site": 4, "gaussianDropout(\u2026).site": 6, "betaDropout(\u2026).site": 5 },
  "ensemble": { "ema(\u2026).beforeFit": 3, "ema(\u2026).afterStep": 2 },
  "bayes": { "posteriorSamples(\u2026).beforeFit": 3, "posteriorSamples(\u2026).afterStep": 1, "posteriorSamples(\u2026).loadState": 6 },
  "transfer": { "freeze(\u2026).update": 1 },
  "experiments": { "defineExperiment(\u2026).apply": 6, "definePlugin(\u2026).apply": 6 },
};
export const KNOWN_SILENT: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  "datasets": { "RandomState(\u2026).shuffle": 1, "RandomState(\u2026).boundedInterval": 1, "RandomState(\u2026).choiceWeightedWithoutReplacement": 1, "RandomState(\u2026).initGenrand": 1, "RandomState(\u2026).initByArray": 1, "linspace": 1, "makeToyData": 8, "mu": 2, "trueFunction": 5 },
  "core-train": { "optionValidators(\u2026).name": 1, "kaimingUniform": 1, "kaimingNormal": 5, "constantInit": 5, "zerosInit(\u2026)": 1, "site": 7, "resolveActivation": 1, "conv1dNet": 5, "shallowNet": 4, "shallowNetLearnedJoints": 6, "gabor": 1, "serializeState": 4, "accuracy": 1, "leafPaths": 1, "softmaxRows": 8, "gru": 2 },
  "optim": { "countValue": 5, "identity(\u2026).update": 2, "chain(\u2026).init": 1, "scale(\u2026).update": 1, "scaleByLearningRate(\u2026).hyperparams": 1, "earlyStopping(\u2026).beforeFit": 2, "earlyStopping(\u2026).afterStep": 3, "earlyStopping(\u2026).afterFit": 1, "earlyStopping(\u2026).onError": 2 },
  "penalties": { "softThreshold": 8, "hardConcreteNonZeroProb": 1, "l0PrunedUnits": 8, "lipschitzBound": 1, "PowerIterationVectors(\u2026).load": 3, "PowerIterationVectors": 6, "spectralNormalization(\u2026).loadState": 2 },
  "noise": { "dropout(\u2026).site": 2, "betaDropout(\u2026).site": 1, "RandomStream": 3 },
  "ensemble": { "projectSimplex": 2, "seedMembers": 1, "hyperparameterMembers": 2, "RunningTree": 4, "ema(\u2026).afterStep": 1 },
  "bayes": { "posteriorSamples(\u2026).beforeFit": 2, "posteriorSamples(\u2026).afterStep": 2 },
  "transfer": { "paramGroups(\u2026).hyperparams": 2, "freeze": 1, "freeze(\u2026).hyperparams": 2 },
  "experiments": { "defineExperiment": 3, "definePlugin": 3, "numberParam": 12, "intParam": 14, "enumParam": 1, "boolParam": 7 },
};
