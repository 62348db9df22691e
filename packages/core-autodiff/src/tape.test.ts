import { describe, expect, it } from "vitest";
import { type Tensor, add, grad, mul, noGrad, sum, tensor, valueAndGrad, vjp } from "./index.js";
import { isRecording } from "./tape.js";

describe("tape", () => {
  it("records only while a transform traces, and never inside noGrad", () => {
    const seen: boolean[] = [];
    expect(isRecording()).toBe(false);
    grad((x: Tensor) => {
      seen.push(isRecording());
      noGrad(() => seen.push(isRecording()));
      return sum(x);
    })(tensor([1]));
    expect(seen).toEqual([true, false]);
    expect(isRecording()).toBe(false);
  });

  it("ops outside transforms carry no graph (no bookkeeping cost)", () => {
    const y = add(tensor([1]), tensor([2]));
    expect(y.node).toBeNull();
  });

  it("results of top-level transforms are detached; inside an outer trace they stay connected", () => {
    const [v, g, aux] = valueAndGrad((x: Tensor): [Tensor, Tensor] => [sum(x), add(x, 1)], { hasAux: true })(tensor([1, 2]));
    expect([v.node, g.node, aux.node]).toEqual([null, null, null]);
    const [out] = vjp((x: Tensor) => add(x, 1), tensor([1]));
    expect(out.node).toBeNull();
    let inner: Tensor | null = null;
    grad((x: Tensor) => {
      inner = grad((y: Tensor) => sum(mul(y, x)))(x); // = x, so it depends on the outer variable
      return sum(inner);
    })(tensor([3]));
    expect(inner!.node).not.toBeNull();
  });

  it("restores the recording state when the traced function throws", () => {
    expect(() => grad(() => { throw new Error("boom"); })(tensor([1]))).toThrow("boom");
    expect(() => noGrad(() => { throw new Error("boom"); })).toThrow("boom");
    expect(isRecording()).toBe(false);
    expect(add(tensor([1]), 1).node).toBeNull();
  });
});
