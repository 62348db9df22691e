// Generic errors the fuzz suite still finds, per package: export → the number of calls (pinned
// seed) that ended in a generic error. Listed here they are reported, not failed; a new export or a
// higher count fails. Delete entries as they are fixed (FUZZ_PRINT_KNOWN=1 prints the current counts).
export const KNOWN_GENERIC: Record<string, Record<string, number>> = {
  // nearestName lives in the shared option-validation file (owned by tools, still at work): 20 calls
  "core-train": {
    "nearestName": 20,
  },
  // not fixed yet (out of time on 2026-12-03): 231 calls
  "penalties": {
    "PenaltyOptionError": 1,
    "l2Penalty": 11,
    "l1Penalty": 11,
    "elasticNetPenalty": 11,
    "lpPenalty": 11,
    "groupLassoPenalty": 14,
    "hardConcreteSample": 4,
    "withL0Gates": 20,
    "expectedL0": 8,
    "l0PrunedUnits": 4,
    "spectralNorm": 20,
    "spectralNormEstimate": 19,
    "SpectralNormConvergenceError": 18,
    "lipschitzBound": 1,
    "powerIteration": 20,
    "sigmaOf": 18,
    "projectMaxNorm": 18,
    "lossInputGradientNorm": 11,
    "l2spPenalty": 11,
  },
  // not fixed yet (out of time on 2026-12-03): 153 calls
  "noise": {
    "isDropoutFamily": 10,
    "dropoutMask": 20,
    "mcDropoutPredict": 12,
    "labelSmoothingCrossEntropy": 18,
    "labelSmoothingLoss": 7,
    "noisyLabelLikelihood": 19,
    "noisyLabelLikelihoodLoss(…)": 26,
    "adversarialExample": 1,
    "sampleGamma": 20,
    "sampleBeta": 20,
  },
  // owner still at work when the suite landed: 95 calls
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
  // owner still at work when the suite landed: 213 calls
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
