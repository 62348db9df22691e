import type { Tensor, Tree } from "@regularize/core-autodiff";
import type { FitOptions, GradientTransformation, Plugin } from "@regularize/core-train";
import { expectTypeOf } from "vitest";
import { adamw, sgd } from "./aliases.js";
import { chain } from "./chain.js";
import { earlyStopping } from "./early-stopping.js";
import { modifiedLossGD } from "./modified-loss.js";
import { scaleByAdam } from "./scale-by-adam.js";
import { scaleByLearningRate } from "./scale.js";
import type { Transformation } from "./transformation.js";
import type { StepCount } from "./count.js";

// Compile-time checks of the public generics (checked by `tsc`, not run).

// our transformations are core-train GradientTransformations and fit optimizers
expectTypeOf(sgd({ learningRate: 0.1 })).toMatchTypeOf<GradientTransformation<unknown>>();
expectTypeOf(adamw({ learningRate: 0.1 })).toMatchTypeOf<FitOptions["optimizer"]>();

// chain's state is the tuple of its members' states
const c = chain(scaleByAdam(), scaleByLearningRate(0.1));
expectTypeOf(c).toEqualTypeOf<Transformation<readonly [{ readonly count: StepCount; readonly mu: Tree; readonly nu: Tree }, { readonly count: StepCount }]>>();

// update preserves the structure type of the updates
declare const grads: { w: Tensor; b: Tensor };
expectTypeOf(c.update(grads, c.init(grads), grads)[0]).toEqualTypeOf<{ w: Tensor; b: Tensor }>();

// modified losses keep the parameter type
expectTypeOf(modifiedLossGD((p: { a: Tensor }) => p.a, 0.1)).toEqualTypeOf<(params: { a: Tensor }) => Tensor>();

// plugins are core-train plugins
expectTypeOf(earlyStopping()).toMatchTypeOf<Plugin>();
