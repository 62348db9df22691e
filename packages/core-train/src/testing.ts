export {
  runPluginConformance, runConformanceCheck, applicableChecks, assertConformance, pluginConformanceTests, ConformanceError,
  type ConformanceCheckName, type ConformanceCheck, type ConformanceReport, type ConformanceOptions, type PluginSource, type TestApi,
} from "./conformance.js";
export { tinyClassification, tinyRegression, type ConformanceProblem } from "./conformance-problems.js";
export { referenceSgd, type ReferenceSgdState } from "./reference-sgd.js";
export { assertAllclose } from "./allclose.js";
export {
  fuzzPluginOptions, formatFuzzReport, unclassifiedExports, pluginOptionTests,
  type FactoryUnderTest, type FuzzOutcome, type FuzzCall, type FuzzReport,
} from "./option-fuzz.js";
export {
  readmeExamples, evaluateExample, readmeExampleTests, isPluginLike, pluginFactoryNames, ReadmeExampleError, type ReadmeExample, type ReadmeExampleTestOptions,
} from "./readme-examples.js";
