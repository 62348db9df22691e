import { type Tensor, tensor } from "@regularize/core-autodiff";
import fc from "fast-check";
import { describe, it } from "vitest";
import { expectSameBits } from "../test/helpers.js";
import { addDecayedWeights } from "./add-decayed-weights.js";
import { adam, adamw, momentum, rmsprop, sgd } from "./aliases.js";
import { chain } from "./chain.js";
import { clipByGlobalNorm } from "./clip-by-global-norm.js";
import { identity } from "./identity.js";
import { masked } from "./masked.js";
import { scaleByAdam } from "./scale-by-adam.js";
import { scaleByLearningRate } from "./scale.js";
import type { Transformation } from "./transformation.js";

type P = { w: Tensor; b: Tensor };
const num = fc.double({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true });
const treeArb = fc.record({ w: fc.array(num, { minLength: 6, maxLength: 6 }), b: fc.array(num, { minLength: 2, maxLength: 2 }) })
  .map(({ w, b }): P => ({ w: tensor(w, { shape: [3, 2] }), b: tensor(b) }));

const makers: readonly [string, () => Transformation<unknown>][] = [
  ["sgd", () => sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true })],
  ["momentum", () => momentum({ learningRate: 0.05 })],
  ["adam", () => adam({ learningRate: 0.01, weightDecay: 0.1 })],
  ["adamw", () => adamw({ learningRate: 0.01 })],
  ["rmsprop", () => rmsprop({ learningRate: 0.01, centered: true })],
  ["clipByGlobalNorm", () => clipByGlobalNorm({ maxNorm: 1 })],
  ["addDecayedWeights", () => addDecayedWeights({ weightDecay: 0.1 })],
];

/** Run `t` on a sequence of gradients; return every update and the final state. */
function trajectory(t: Transformation<unknown>, params: P, grads: readonly P[]): P[] {
  let s = t.init(params);
  return grads.map((g) => {
    const [u, ns] = t.update(g, s, params);
    s = ns;
    return u;
  });
}

describe("chain", () => {
  for (const [name, make] of makers) {
    it(`chain(identity(), t) ≡ t ≡ chain(t, identity()) bit for bit when t = ${name}`, () => {
      fc.assert(
        fc.property(treeArb, fc.array(treeArb, { minLength: 1, maxLength: 4 }), (params, grads) => {
          const ref = trajectory(make(), params, grads);
          trajectory(chain(identity(), make()), params, grads).forEach((u, i) => expectSameBits(u, ref[i]!));
          trajectory(chain(make(), identity()), params, grads).forEach((u, i) => expectSameBits(u, ref[i]!));
        }),
        { numRuns: 15 },
      );
    });
  }

  it("is associative: chain(chain(a, b), c) ≡ chain(a, chain(b, c))", () => {
    fc.assert(
      fc.property(treeArb, fc.array(treeArb, { minLength: 1, maxLength: 3 }), (params, grads) => {
        const left = chain(chain(scaleByAdam(), addDecayedWeights({ weightDecay: 0.1 })), scaleByLearningRate(0.01));
        const right = chain(scaleByAdam(), chain(addDecayedWeights({ weightDecay: 0.1 }), scaleByLearningRate(0.01)));
        const a = trajectory(left, params, grads), b = trajectory(right, params, grads);
        a.forEach((u, i) => expectSameBits(u, b[i]!));
      }),
      { numRuns: 15 },
    );
  });
});

describe("masked", () => {
  for (const [name, make] of makers) {
    it(`with an all-false mask is the identity when t = ${name}`, () => {
      fc.assert(
        fc.property(treeArb, fc.array(treeArb, { minLength: 1, maxLength: 3 }), fc.boolean(), (params, grads, asTree) => {
          const t = masked(make(), asTree ? { w: false, b: false } : () => false);
          trajectory(t, params, grads).forEach((u, i) => expectSameBits(u, grads[i]!));
        }),
        { numRuns: 15 },
      );
    });
  }

  it("with an all-true mask equals the unmasked transform (leaf order preserved)", () => {
    fc.assert(
      fc.property(treeArb, fc.array(treeArb, { minLength: 1, maxLength: 3 }), (params, grads) => {
        const a = trajectory(masked(adam({ learningRate: 0.01 }), true), params, grads);
        const b = trajectory(adam({ learningRate: 0.01 }), params, grads);
        a.forEach((u, i) => expectSameBits(u, b[i]!));
      }),
      { numRuns: 15 },
    );
  });
});
