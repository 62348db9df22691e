import type { Tensor, Tree } from "@regularize/core-autodiff";
import { expectTypeOf } from "vitest";
import { fit } from "./fit.js";
import type { FitResult } from "./fit-options.js";
import { gabor, type GaborParams } from "./gabor.js";
import { mlp, type MlpParams } from "./mlp.js";
import type { Model, ParamsOf } from "./model.js";
import type { FitContext, Plugin } from "./plugin.js";
import { referenceSgd } from "./reference-sgd.js";
import { shallowNet, type ShallowNetParams } from "./shallow-net.js";
import type { GradientTransformation } from "./transform.js";

// Compile-time checks of the public generics (checked by `tsc`, not run).

// model parameter types are pytrees and flow through fit
expectTypeOf<MlpParams>().toMatchTypeOf<Tree>();
expectTypeOf<ParamsOf<ReturnType<typeof shallowNet>>>().toEqualTypeOf<ShallowNetParams>();
declare const data: { x: Tensor; y: Tensor };
expectTypeOf(fit({ model: gabor(), data, loss: "sse", optimizer: referenceSgd({ lr: 0.1 }), steps: 1 })).toEqualTypeOf<Promise<FitResult<GaborParams>>>();
expectTypeOf(mlp({ widths: [2, 1] })).toMatchTypeOf<Model<Tree>>();

// a plugin needs only a name; its transform state type is carried by Plugin<S>
expectTypeOf({ name: "x" }).toMatchTypeOf<Plugin>();
const withState: Plugin<{ n: number }> = { name: "t", transform: { init: () => ({ n: 0 }), update: (u, s) => [u, { n: s.n + 1 }] } };
expectTypeOf(withState.transform).toEqualTypeOf<GradientTransformation<{ n: number }> | undefined>();

// a transform written against the original 4-argument update still satisfies the contract
const fourArgs = { init: () => null, update: (u: Tree, s: null, _p: Tree, _step: number): [Tree, null] => [u, s] };
expectTypeOf(fourArgs).toMatchTypeOf<GradientTransformation<null>>();

// fit-level hooks may be async, batch-level hooks return void (or a batch)
expectTypeOf<NonNullable<Plugin["afterEpoch"]>>().returns.toEqualTypeOf<void | Promise<void>>();
expectTypeOf<NonNullable<Plugin["afterStep"]>>().returns.toEqualTypeOf<void>();

// the added context fields are optional, so hand-made contexts in tests compile without them
expectTypeOf<FitContext["metrics"]>().toEqualTypeOf<Readonly<Record<string, number>> | undefined>();
