// Generic errors the fuzz suite still finds, per package: export → the number of calls (pinned
// seed) that ended in a generic error. Listed here they are reported, not failed; a new export or a
// higher count fails. Delete entries as they are fixed (FUZZ_PRINT_KNOWN=1 prints the current counts).
export const KNOWN_GENERIC: Record<string, Record<string, number>> = {
  // nearestName lives in core-train's shared option-validation file (plugin-options.ts), owned by tools, who were editing it: 20 calls.
  "core-train": {
    "nearestName": 20,
  },
  // PluginOptionError's constructor (core-train plugin-options.ts, owned by tools) cannot format a Symbol plugin name: 1 calls.
  "penalties": {
    "PenaltyOptionError": 1,
  },
  // bayes' owner was still at work when the suite landed (2026-12-03): not fixed here: 95 calls.
  "bayes": {
    "maximizeEvidence": 7,
    "linearGaussianElbo": 7,
    "gaussianNllLoss(…)": 2,
    "gaussianPrior": 9,
    "sgMcmcNoise": 7,
    "meanField": 10,
    "meanFieldKl": 5,
    "sampleMeanField": 6,
    "meanFieldPredictive": 14,
    "samplesPredictive": 5,
    "mcDropoutPredictive": 14,
    "swagPosterior": 9,
  },
  // transfer's owner was still at work when the suite landed (2026-12-03): not fixed here: 213 calls.
  "transfer": {
    "replaceDataLoss(…)": 60,
    "taskGradients": 1,
    "taskLossesAt": 20,
    "weightedSum": 17,
    "uncertaintyWeightedLoss": 15,
    "uncertaintyLogVarGradient": 19,
    "gradNormStep": 20,
    "checkSignals": 1,
    "rollRows": 1,
    "maskedMseLoss(…)": 59,
  },
};
