import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import {
  type Backend, type FloatDType, NonFiniteError, type Tensor, TransformError, ValueError, abs, add, argmax, astype, avgPool1d, cholesky,
  clip, concat, conv1d, crossEntropy, exp, flip, getBackend, grad, jit, linear, log, logSoftmax, logdetSpd, logsumexp, matmul, max,
  maxPool1d, mean, mul, normal, oneHot, pad, prngKey, relu, roll, scatterAdd, setBackend, sigmoid, slice, softmax, solve, split, square,
  sub, sum, take, takeAlongAxis, tanh, tensor, tidy, transpose, treeMap, treeSquaredNorm, tsBackend, valueAndGrad, wasmBackend,
  where, gt,
} from "./index.js";

/** Whether two results are equal bit for bit (tensors by their bytes, recursively). */
function sameBits(a: unknown, b: unknown): boolean {
  if (a instanceof Object && "data" in a && b instanceof Object && "data" in b) {
    const ta = a as Tensor, tb = b as Tensor;
    if (ta.dtype !== tb.dtype || ta.shape.join() !== tb.shape.join()) return false;
    const ba = new Uint8Array(ta.data.buffer, ta.data.byteOffset, ta.data.byteLength);
    const bb = new Uint8Array(tb.data.buffer, tb.data.byteOffset, tb.data.byteLength);
    return ba.length === bb.length && ba.every((v, i) => v === bb[i]);
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((e, i) => sameBits(e, b[i]));
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a), kb = Object.keys(b);
    return ka.join() === kb.join() && ka.every((k) => sameBits((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return Object.is(a, b);
}

function withoutResident(b: Backend): Backend {
  const { resident: _dropped, ...rest } = b;
  return rest;
}
const wasmNoResident: Backend | null = wasmBackend === null ? null : withoutResident(wasmBackend);
/** Every replay path: resident WASM plans, WASM kernels on JS arrays, pure TS. */
const BACKENDS: [string, Backend][] = [
  ...(wasmBackend ? [["wasm (resident)", wasmBackend] as [string, Backend], ["wasm (copying)", wasmNoResident!] as [string, Backend]] : []),
  ["ts", tsBackend],
];

const original = getBackend();
afterEach(() => { setBackend(original); });

function mlpParams(key: number, sizes: readonly number[], dtype: FloatDType) {
  const keys = split(prngKey(key), 2 * sizes.length);
  const p: Record<string, Tensor> = {};
  for (let i = 0; i + 1 < sizes.length; i++) {
    p[`W${i}`] = mul(normal(keys[2 * i]!, [sizes[i]!, sizes[i + 1]!], { dtype }), 1 / Math.sqrt(sizes[i]!));
    p[`b${i}`] = mul(normal(keys[2 * i + 1]!, [sizes[i + 1]!], { dtype }), 0.1);
  }
  return p;
}

function mlpLoss(p: Record<string, Tensor>, x: Tensor, y: Tensor): Tensor {
  const n = Object.keys(p).length / 2;
  let h = x;
  for (let i = 0; i < n; i++) h = linear(h, p[`W${i}`]!, p[`b${i}`]!, { activation: i + 1 < n ? "relu" : "none" });
  return crossEntropy(h, y);
}
const lossAndGrad = valueAndGrad(mlpLoss);
const sgdStep = (p: Record<string, Tensor>, x: Tensor, y: Tensor, lr: number) => {
  const [l, g] = lossAndGrad(p, x, y);
  return { params: treeMap((w: Tensor, d: Tensor) => sub(w, mul(d, lr)), p, g), loss: l };
};

// labels from a deterministic rule (astype of a computed tensor keeps them in range)
function labels(key: number, n: number, classes: number): Tensor {
  const u = normal(prngKey(key), [n]);
  return tensor(Array.from(u.data, (v) => Math.min(classes - 1, Math.floor(Math.abs(v) * 3))), { dtype: "int32" });
}

describe("jit: a training step replays bit for bit", () => {
  for (const [name, backend] of BACKENDS) {
    for (const dtype of ["float64", "float32"] as const) {
      it(`MLP SGD steps, ${name}, ${dtype}: same params and losses as the eager step over 6 steps`, () => {
        setBackend(backend);
        const step = jit(sgdStep);
        let pj = mlpParams(1, [7, 33, 17, 5], dtype), pe = pj;
        for (let t = 0; t < 6; t++) {
          const x = normal(prngKey(100 + t), [9, 7], { dtype }), y = labels(200 + t, 9, 5);
          const rj = step(pj, x, y, 0.1), re = sgdStep(pe, x, y, 0.1);
          expect(sameBits(rj, re)).toBe(true);
          pj = rj.params; pe = re.params;
        }
        // key order is part of the signature: treeMap's outputs have sorted keys, so the second call records once more
        expect(step.traceCount).toBe(2);
      });
    }
    it(`nested gradient (modified loss L + α/4‖∇L‖²), ${name}: bit for bit`, () => {
      setBackend(backend);
      const modified = valueAndGrad((p: Record<string, Tensor>, x: Tensor, y: Tensor) => add(mlpLoss(p, x, y), mul(treeSquaredNorm(lossAndGrad(p, x, y)[1]), 0.025)));
      const f = jit(modified);
      const p = mlpParams(2, [6, 12, 4], "float64");
      for (let t = 0; t < 3; t++) {
        const x = normal(prngKey(300 + t), [5, 6]), y = labels(400 + t, 5, 4);
        expect(sameBits(f(p, x, y), modified(p, x, y))).toBe(true);
      }
    });
  }
});

/** Many ops and their gradients in one function (every kernel kind: strided copies, gathers, scatters, windows, host loops). */
function zoo(w: Tensor, x: Tensor, idx: Tensor, along: Tensor, spd: Tensor) {
  const f = (w2: Tensor) => {
    const c = conv1d(x, w2, { padding: 1 });                         // unfold + gemm
    const pm = maxPool1d(c, { kernel: 2 }), pa = avgPool1d(c, { kernel: 2, stride: 1 });
    const flat = concat([slice(pm, [null, null, [0, 2]]), flip(slice(pa, [null, null, [1, 3]]), 2)], 1);
    const r = roll(pad(flat, [[0, 0], [1, 0], [0, 1]]), 1, 2);
    const t = take(r, idx, 2), ta = takeAlongAxis(r, along, 2);
    const s = add(sum(softmax(t, 1)), mean(logSoftmax(ta, 2)));
    const g = where(gt(r, 0), tanh(r), sigmoid(r));
    const m = max(clip(g, -0.5, 0.5), { axis: 1 });
    const l = logsumexp(mul(transpose(m, [1, 0]), 2), { axis: 0 });
    const sol = solve(spd, matmul(spd, tensor([[1], [2], [3]])));
    return add(add(s, sum(l)), add(sum(exp(mul(sol, 0.1))), mul(logdetSpd(add(spd, mul(sum(square(w2)), 0.01))), 0.5)));
  };
  const [v, g] = valueAndGrad(f)(w);
  return {
    v, g,
    arg: argmax(conv1d(x, w), 1),
    oh: oneHot(idx, 3),
    chol: cholesky(spd),
    sc: scatterAdd(relu(x), idx, [2, 2, 3], 2, true),
    cast: astype(astype(mul(x, 10), "int32"), "float64"),
    log: log(add(abs(x), 1)),
  };
}

describe("jit: every kernel kind", () => {
  for (const [name, backend] of BACKENDS) {
    it(`an op zoo and its gradient equal the eager run bit for bit, ${name} (property over inputs)`, () => {
      setBackend(backend);
      const jz = jit(zoo);
      const spd0 = tensor([[4, 1, 0.5], [1, 3, 0.2], [0.5, 0.2, 2]]);
      const idx = tensor([0, 2, 1, 1, 2], { dtype: "int32" });
      // r in the zoo is [2, 7, 3]: indices along its last axis for takeAlongAxis
      const along = tensor(Array.from({ length: 2 * 7 * 4 }, (_, i) => (i * 7) % 3), { shape: [2, 7, 4], dtype: "int32" });
      fc.assert(fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const [k1, k2] = split(prngKey(seed));
        const w = normal(k1!, [3, 2, 3]), x = normal(k2!, [2, 2, 5]);
        const spd = add(spd0, mul(square(sum(x)), 0.01));
        return sameBits(jz(w, x, idx, along, spd), zoo(w, x, idx, along, spd));
      }), { numRuns: 8 });
      expect(jz.traceCount).toBe(1);
    });
  }
});

describe("jit: semantics", () => {
  it("returns new tensors on every call and never writes its inputs", () => {
    const f = jit((a: Tensor, b: Tensor) => [add(mul(a, b), 1), sum(a)]);
    const a = tensor([1, 2, 3]), b = tensor([4, 5, 6]);
    const r1 = f(a, b), r2 = f(b, a), r3 = f(a, a);
    expect(r1[0]!.toArray()).toEqual([5, 11, 19]);
    expect(r2[0]!.toArray()).toEqual([5, 11, 19]);
    expect(r3[0]!.toArray()).toEqual([2, 5, 10]);
    expect(r1[1]!.item()).toBe(6);
    expect(r2[1]!.item()).toBe(15);
    expect(a.toArray()).toEqual([1, 2, 3]);
    expect(b.toArray()).toEqual([4, 5, 6]);
  });

  it("records again for new shapes, dtypes, static values and aliasing; keeps at most maxTraces", () => {
    const f = jit((a: Tensor, b: Tensor, s: number) => add(mul(a, s), b), { maxTraces: 2 });
    expect(f(tensor([1]), tensor([2]), 3).toArray()).toEqual([5]);
    expect(f(tensor([1]), tensor([2]), 4).toArray()).toEqual([6]);
    expect(f(tensor([1, 1]), tensor([2, 2]), 4).toArray()).toEqual([6, 6]);
    const t = tensor([7]);
    expect(f(t, t, 1).toArray()).toEqual([14]);
    expect(f(t, tensor([0]), 1).toArray()).toEqual([7]);
    expect(f.traceCount).toBe(5);
    f.clear();
    expect(f(tensor([1]), tensor([2]), 3).toArray()).toEqual([5]);
    expect(f.traceCount).toBe(6);
  });

  it("passes through inputs, constants and non-tensor outputs", () => {
    const c = tensor([9, 9]);
    const f = jit((a: Tensor) => ({ same: a, c, n: 3, s: "x", sum: sum(a) }));
    f(tensor([1, 2]));
    const a = tensor([3, 4]);
    const r = f(a);
    expect(r.same.toArray()).toEqual([3, 4]);
    expect(r.c.toArray()).toEqual([9, 9]);
    expect(r.n).toBe(3);
    expect(r.s).toBe("x");
    expect(r.sum.item()).toBe(7);
  });

  it("refuses to read traced values into JS while recording", () => {
    const f = jit((a: Tensor) => (sum(a).item() > 0 ? a : mul(a, -1)));
    expect(() => f(tensor([1]))).toThrow(TransformError);
    expect(() => f(tensor([1]))).toThrow(/jit.*item\(\)/);
    // printing a traced tensor does not throw
    const g = jit((a: Tensor) => { const s = String(mul(a, 2)); return s.includes("traced") ? a : mul(a, 0); });
    expect(g(tensor([2])).toArray()).toEqual([2]);
  });

  it("detects a function that depends on something the recording froze (a captured tensor that changes)", () => {
    let scale = tensor(2);
    const f = jit((a: Tensor) => mul(a, scale));
    expect(f(tensor([1])).toArray()).toEqual([2]);
    scale = tensor(3);
    expect(() => f(tensor([1]))).toThrow(/constant made at .*jit\.test\.ts.* passed to binary holds other values/);
  });

  it("detects a value read into JS (.data) while recording, even when the result happens to agree, and names where", () => {
    // the constant is computed in JS from the input: a replay would keep the first call's value
    const hidden = (a: Tensor) => add(a, mul(tensor(a.data[0]!), 0));
    const f = jit(hidden);
    expect(f(tensor([1])).toArray()).toEqual([1]);
    const e = (() => { try { f(tensor([2])); } catch (err) { return err; } })();
    expect(e).toBeInstanceOf(TransformError);
    expect(String((e as Error).message)).toMatch(/value read into JS while recording.*hidden .*jit\.test\.ts/);
    // the same value on the checked call is not a difference: no false alarm for constants that do not change
    const g = jit((a: Tensor) => mul(a, tensor(2)));
    g(tensor([1]));
    expect(g(tensor([5])).toArray()).toEqual([10]);
    // control flow on a value read into JS records other kernels
    const h = jit((a: Tensor) => (a.data[0]! > 0 ? mul(a, 2) : exp(a)));
    h(tensor([1]));
    expect(() => h(tensor([-1]))).toThrow(/kernels run differ from the recording's at kernel 0/);
  });

  it("rejects arguments it cannot put in a signature", () => {
    const f = jit((a: Tensor, _g: unknown) => a);
    expect(() => f(tensor([1]), () => 1)).toThrow(/argument args\[1\] is a function/);
    expect(() => f(tensor([1]), new Map())).toThrow(/argument args\[1\] is a Map/);
  });

  it("keeps the ops' checks on every replay: labels out of range, non-finite gradients", () => {
    for (const [, backend] of BACKENDS) {
      setBackend(backend);
      const ce = jit((z: Tensor, y: Tensor) => crossEntropy(z, y));
      const z = tensor([[1, 2, 3], [0, 0, 1]]);
      ce(z, tensor([0, 2], { dtype: "int32" }));
      ce(z, tensor([1, 2], { dtype: "int32" }));
      expect(() => ce(z, tensor([0, 3], { dtype: "int32" }))).toThrow(ValueError);
      expect(ce(z, tensor([2, 0], { dtype: "int32" })).item()).toBeCloseTo(crossEntropy(z, tensor([2, 0], { dtype: "int32" })).item(), 15);
      const g = jit(valueAndGrad((w: Tensor) => sum(log(w)), { checkFinite: true }));
      g(tensor([1, 2]));
      g(tensor([3, 4]));
      expect(() => g(tensor([1, 0]))).toThrow(NonFiniteError);
      expect(g(tensor([2, 2]))[0].item()).toBeCloseTo(2 * Math.log(2), 14);
    }
  });

  it("runs the function as is inside a transform or another recording (gradients flow)", () => {
    const f = jit((w: Tensor) => sum(square(w)));
    f(tensor([1, 2]));
    f(tensor([1, 2]));
    expect(grad((w: Tensor) => f(w))(tensor([1, 2])).toArray()).toEqual([2, 4]);
    const outer = jit((w: Tensor) => mul(f(w), 2));
    outer(tensor([1, 2]));
    expect(outer(tensor([3, 4])).item()).toBe(50);
  });

  it("works inside tidy: results survive the scope, the plan is not recycled", () => {
    const f = jit((a: Tensor) => mul(exp(a), 2));
    const a = normal(prngKey(5), [5000]);
    const r1 = tidy(() => f(a));
    const r2 = tidy(() => { mul(a, 3); return f(a); });
    const r3 = tidy(() => f(a));
    const ref = mul(exp(a), 2);
    expect(sameBits(r1, ref) && sameBits(r2, ref) && sameBits(r3, ref)).toBe(true);
  });

  it("donated arguments receive the outputs: no new buffers, same bits, untouched when a replay fails", () => {
    for (const [, backend] of BACKENDS) {
      setBackend(backend);
      const step = jit(sgdStep, { donate: [0] });
      let pj = mlpParams(3, [5, 8, 3], "float64"), pe = pj;
      pj = treeMap((w: Tensor) => mul(w, 1), pj); // sorted keys, as the step returns them
      pe = pj;
      for (let t = 0; t < 4; t++) {
        const x = normal(prngKey(500 + t), [4, 5]), y = labels(600 + t, 4, 3);
        const re = sgdStep(pe, x, y, 0.05);
        const before = pj.W0!.data;
        const rj = step(pj, x, y, 0.05);
        expect(sameBits(rj, re)).toBe(true);
        // the record call and the checked first replay allocate (a checked replay that differs must
        // leave the inputs intact); later replays reuse the donated buffers
        if (t >= 2) expect(rj.params.W0!.data).toBe(before);
        else expect(rj.params.W0!.data).not.toBe(before);
        pj = rj.params; pe = re.params;
      }
      const snapshot = treeMap((w: Tensor) => mul(w, 1), pj);
      expect(() => step(pj, normal(prngKey(9), [4, 5]), tensor([0, 1, 2, 3], { dtype: "int32" }), 0.05)).toThrow(ValueError);
      expect(sameBits(pj, snapshot)).toBe(true);
    }
  });

  it("does not donate a buffer passed twice or passed through as an output", () => {
    const f = jit((a: Tensor, b: Tensor) => [add(a, b), b], { donate: [0, 1] });
    const t = tensor([1, 2]);
    f(t, t);
    const r = f(t, t);
    expect(r[0]!.toArray()).toEqual([2, 4]);
    expect(t.toArray()).toEqual([1, 2]);
    const u = tensor([5, 5]), v = tensor([1, 1]);
    f(tensor([0, 0]), tensor([0, 0]));
    f(tensor([0, 0]), tensor([0, 0])); // the checked first replay donates nothing
    const r2 = f(u, v);
    expect(r2[0]!.data).toBe(u.data);
    expect(r2[1]!.data).toBe(v.data);
    expect(r2[0]!.toArray()).toEqual([6, 6]);
    expect(r2[1]!.toArray()).toEqual([1, 1]);
  });
});
