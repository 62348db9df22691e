// The entries' params and result types, for callers that draw results (the playground's panels):
// type-only re-exports, so they add nothing to a bundle.
export type { Grid2d, Point } from "./impl/grid.js";
export type { LocalMinimum } from "./impl/gabor-grid.js";
export type { Fig91Params, Fig91Result } from "./impl/fig9-1.js";
export type { Fig92Params, Fig92Result, RidgeFit } from "./impl/fig9-2.js";
export type { Fig93Params, Fig93Result } from "./impl/fig9-3.js";
export type { Fig94Params, Fig94Result } from "./impl/fig9-4.js";
export type { Fig95Params } from "./impl/fig9-5.js";
export type { TrainResult as Mnist1dTrainResult } from "./impl/mnist1d-train.js";
export type { Fig96Params, Fig96Result, Fig96Snapshot, Fig96Curves, Fig96Partial } from "./impl/fig9-6.js";
export type { Fig98Params, Fig98Result } from "./impl/fig9-8.js";
export type { Fig99Params, Fig99Result, Fig99Model } from "./impl/fig9-9.js";
export type { Fig910Params, Fig910Result, Fig910Fit } from "./impl/fig9-10.js";
export type { Fig911Params, Fig911Result } from "./impl/fig9-11.js";
export type { Fig912Params, Fig912Result, Fig912Row, Fig912Method } from "./impl/fig9-12.js";
export type { Mnist1dParams as Mnist1dExplorerParams, Mnist1dResult as Mnist1dExplorerResult, Mnist1dStep } from "./impl/mnist1d-explorer.js";
