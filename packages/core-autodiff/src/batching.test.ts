// vmap's batching interpreter against the loop (vmap({ loop: true }), the reference): for every
// primitive of the rule table, every combination of mapped and unmapped inputs, in float64 —
// the values, per-example gradients (vmap of grad), per-example J·v (vmap of jvp) and the gradient
// through vmap (grad of vmap). `CASES` is typed over the closed op set, so a new primitive
// without a case does not compile; each case must reach its op's batch rule.
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { rng, randomTensor } from "../test/fd.js";
import { CASES as OP_CASES, type Case as OpCase, r } from "../test/op-cases.js";
import "../test/matchers.js";
import {
  type Tensor, add, assertFinite, astype, concat, crossEntropy, exp, grad, jit, jvp, linear, log, matmul, max, maximum, mean, min,
  minimum, mul, neg, pow, reshape, scatterAdd, slice, square, sum, take, takeAlongAxis, tanh, tensor, vmap, where, clip, zeros,
  TransformError, NonFiniteError, valueAndGrad, tidy, oneHot, sub,
} from "./index.js";
import { BatchReadError, batchStats } from "./batching.js";
import { BATCH_RULES, LOOP_RULES } from "./prim/batch-rules.js";
import type { OpName } from "./prim/signatures.js";

interface Case extends OpCase {
  /** Inputs that are not differentiated (int32 indices and labels, conditions). */
  readonly consts?: readonly number[];
  /** The batched forward pass may round differently from the loop (a GEMM of other extents): 1e-12 relative, else bit for bit. */
  readonly inexact?: boolean;
}

const ints = (next: () => number, n: number, hi: number) => tensor(Array.from({ length: n }, () => Math.floor(next() * hi)), { dtype: "int32" });
const mask = (next: () => number, shape: number[]) => tensor(Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => (next() < 0.5 ? 0 : 1)), { shape });

// The rule table's cases, with overrides where vmap needs more: inputs drawn per example (not fixed),
// tensor parameters (conditions, indices, labels) as arguments so they can be mapped, ranks that
// differ in both directions, and the shared-matrix branch of matmul.
const CASES: { readonly [K in OpName]: Case } = {
  ...OP_CASES,
  mul: { inputs: (n) => [r(n, [3]), r(n, [2, 3])], f: mul },
  pow: { inputs: (n) => [r(n, [2, 3], 0.5, 1.5), r(n, [3])], f: pow },
  maximum: { inputs: (n) => [r(n, [2, 3]), r(n, [1, 3])], f: maximum },
  minimum: { inputs: (n) => [r(n, [3]), r(n, [2, 3])], f: minimum },
  where: { inputs: (n) => [mask(n, [2, 3]), r(n, [3]), r(n, [2, 3])], f: where, consts: [0] },
  clip: { inputs: (n) => [r(n, [2, 3])], f: (x) => clip(x, -0.5, 0.5) },
  max: { inputs: (n) => [r(n, [2, 3])], f: (x) => max(x, { axis: 1, keepdims: true }) },
  min: { inputs: (n) => [r(n, [2, 3])], f: (x) => min(x, { axis: 0 }) },
  take: { inputs: (n) => [r(n, [3, 2]), ints(n, 4, 3)], f: (x, i) => take(x, i, 0), consts: [1] },
  takeAlongAxis: { inputs: (n) => [r(n, [2, 3]), reshape(ints(n, 4, 3), [2, 2])], f: (x, i) => takeAlongAxis(x, i, 1), consts: [1] },
  scatterAdd: { inputs: (n) => [r(n, [4, 2]), ints(n, 4, 3)], f: (s, i) => scatterAdd(s, i, [3, 2], 0, true), consts: [1] },
  matmul: { inputs: (n) => [r(n, [3, 4]), r(n, [4, 2])], f: (a, b) => matmul(a, b), inexact: true },
  linear: { ...OP_CASES.linear, inexact: true },
  crossEntropy: { inputs: (n) => [r(n, [3, 4], -2, 2), ints(n, 3, 4)], f: (z, l) => crossEntropy(z, l, { reduction: "none" }), consts: [1] },
  solve: { ...OP_CASES.solve, inexact: true },
  cholesky: { ...OP_CASES.cholesky, inexact: true },
};

/** Variants the one-case-per-op table does not reach: other parameters, other branches of a rule. */
const VARIANTS: Record<string, Case & { readonly op: OpName }> = {
  "matmul, batch axes and transB": { op: "matmul", inputs: (n) => [r(n, [2, 3, 4]), r(n, [2, 5, 4])], f: (a, b) => matmul(a, b, { transB: true }), inexact: true },
  "matmul, transA": { op: "matmul", inputs: (n) => [r(n, [4, 3]), r(n, [4, 2])], f: (a, b) => matmul(a, b, { transA: true }), inexact: true },
  "matmul, vector operands": { op: "matmul", inputs: (n) => [r(n, [4]), r(n, [4, 2])], f: (a, b) => matmul(a, b), inexact: true },
  "linear, relu, no bias": { op: "linear", inputs: (n) => [r(n, [3, 4]), r(n, [4, 2])], f: (x, w) => linear(x, w, null, { activation: "relu" }), inexact: true },
  "linear, tanh, 1-D x": { op: "linear", inputs: (n) => [r(n, [4]), r(n, [4, 2]), r(n, [2])], f: (x, w, b) => linear(x, w, b, { activation: "tanh" }), inexact: true },
  "take along axis 1": { op: "take", inputs: (n) => [r(n, [2, 3]), reshape(ints(n, 4, 3), [2, 2])], f: (x, i) => take(x, i, 1), consts: [1] },
  "scatterAdd, not shared": { op: "scatterAdd", inputs: (n) => [r(n, [2, 2]), reshape(ints(n, 4, 3), [2, 2])], f: (s, i) => scatterAdd(s, i, [2, 3], 1, false), consts: [1] },
  "sum of everything to a scalar": { op: "sum", inputs: (n) => [r(n, [2, 3])], f: (x) => sum(x) },
  "where with a scalar branch": { op: "where", inputs: (n) => [mask(n, [3]), r(n, [2, 3])], f: (c, a) => where(c, a, 0.5), consts: [0] },
  "concat of three, middle one mapped or not": { op: "concat", inputs: (n) => [r(n, [2]), r(n, [3]), r(n, [1])], f: (a, b, c) => concat([a, b, c]) },
};

const B = 3;
const EXACT = { rtol: 0, atol: 0 };
const CLOSE = { rtol: 1e-12, atol: 1e-14 };

/** Every non-empty subset of n inputs, as in_axes. */
function axesCombos(n: number): (0 | null)[][] {
  const out: (0 | null)[][] = [];
  for (let m = 1; m < 1 << n; m++) out.push(Array.from({ length: n }, (_, i) => ((m >> i) & 1 ? 0 : null)));
  return out;
}

/** Inputs for in_axes `axes`: mapped ones stack B draws, unmapped ones are one draw. */
function drawInputs(c: Case, axes: readonly (0 | null)[], seed: number): Tensor[] {
  const next = rng(seed);
  const draws = Array.from({ length: B }, () => c.inputs(next));
  return draws[0]!.map((x0, i) => (axes[i] === null ? x0 : stackOf(draws.map((d) => d[i]!))));
}

function stackOf(xs: Tensor[]): Tensor {
  return concat(xs.map((x) => reshape(x, [1, ...x.shape])), 0);
}

/** Runs the four compositions batched and as a loop, and compares them. */
function checkCase(c: Case, axes: readonly (0 | null)[], seed: number): void {
  const xs = drawInputs(c, axes, seed);
  const consts = new Set(c.consts ?? []);
  const fl = xs.map((_, i) => i).filter((i) => !consts.has(i));
  const withFloats = (all: readonly Tensor[], floats: readonly Tensor[]) => all.map((x, i) => (consts.has(i) ? x : floats[fl.indexOf(i)]!));
  const tol = c.inexact ? CLOSE : EXACT;

  // values
  expect(vmap(c.f, axes)(...xs), "values").toBeAllclose(vmap(c.f, axes, { loop: true })(...xs), tol);

  // per-example gradients of Σ f² (the VJP rules, batched)
  const g = (...ys: Tensor[]) => grad((ps: Tensor[]) => sum(square(c.f(...withFloats(ys, ps)))))(fl.map((i) => ys[i]!));
  const gb = vmap(g, axes)(...xs), gl = vmap(g, axes, { loop: true })(...xs);
  gb.forEach((t, k) => expect(t, `vmap(grad) input ${fl[k]}`).toBeAllclose(gl[k]!, CLOSE));

  // per-example J·v (the JVP rules, batched); tangents mapped like their primals
  const next = rng(seed + 1);
  const ts = fl.map((i) => r(next, [...xs[i]!.shape]));
  const jv = (...ys: Tensor[]) => jvp((ps: Tensor[]) => c.f(...withFloats(ys.slice(0, xs.length), ps)), fl.map((i) => ys[i]!), ys.slice(xs.length))[1];
  const jaxes = [...axes, ...fl.map((i) => axes[i]!)];
  expect(vmap(jv, jaxes)(...xs, ...ts), "vmap(jvp)").toBeAllclose(vmap(jv, jaxes, { loop: true })(...xs, ...ts), CLOSE);

  // the gradient through vmap (batch rules recorded for an outer grad)
  const outer = (loop: boolean) => grad((ps: Tensor[]) => sum(square(vmap(c.f, axes, { loop })(...withFloats(xs, ps)))))(fl.map((i) => xs[i]!));
  const ob = outer(false), ol = outer(true);
  ob.forEach((t, k) => expect(t, `grad(vmap) input ${fl[k]}`).toBeAllclose(ol[k]!, CLOSE));
}

describe("vmap's batch rules against the loop", () => {
  const calls = new Map<string, number>();
  beforeEach(() => {
    calls.clear();
    for (const op of Object.keys(BATCH_RULES) as OpName[]) {
      const rule = BATCH_RULES[op] as (a: unknown) => Tensor;
      vi.spyOn(BATCH_RULES as Record<string, (a: unknown) => Tensor>, op).mockImplementation((a) => {
        calls.set(op, (calls.get(op) ?? 0) + 1);
        return rule(a);
      });
    }
  });
  afterEach(() => vi.restoreAllMocks());

  it("has a batch rule for every primitive and a case for each", () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(BATCH_RULES).sort());
  });

  const all = [
    ...Object.entries(CASES).map(([op, c]) => [op, op as OpName, c] as const),
    ...Object.entries(VARIANTS).map(([name, c]) => [name, c.op, c] as const),
  ];
  for (const [name, op, c] of all) {
    it(`${name}: values, vmap(grad), vmap(jvp) and grad(vmap) equal the loop for every in_axes`, () => {
      const n = c.inputs(rng(1)).length;
      axesCombos(n).forEach((axes, k) => {
        const fallbacks = batchStats.fallbacks;
        checkCase(c, axes, 100 * name.length + k);
        // the whole call stayed batched (no host read made it loop)
        expect(batchStats.fallbacks, `in_axes ${JSON.stringify(axes)} fell back to the loop`).toBe(fallbacks);
      });
      // a primitive the tape makes (variable) has no apply to intercept; every other case reaches its rule
      if (op !== "variable") expect(calls.get(op) ?? 0, `the case must reach ${op}'s batch rule`).toBeGreaterThan(0);
    });
  }

  it("the README lists exactly the primitives whose rule is (always or in some case) the per-example loop", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const bullet = /\*\*Primitives batched by a loop\*\*([\s\S]*?);/.exec(readme)?.[1] ?? "";
    const listed = [...bullet.matchAll(/`(\w+)`/g)].map((m) => m[1]);
    expect(listed.sort()).toEqual([...LOOP_RULES].sort());
    expect(LOOP_RULES.size).toBeGreaterThan(0);
  });
});

describe("vmap: host reads, nesting, errors", () => {
  const W = tensor([[0.5, -1, 0.25], [2, 0.5, -0.5]]);
  const X = tensor([[1, 2, 3], [-1, 0.5, 2], [0, 0, 1], [2, -2, 0.5]]);

  it("a call in which f reads a mapped value (toArray, item) reruns as the loop, with the loop's result", () => {
    const f = (x: Tensor) => {
      const v = (sum(x).item() > 2 ? x : neg(x));
      return matmul(W, v);
    };
    const fb = batchStats.fallbacks;
    expect(vmap(f)(X)).toBeAllclose(vmap(f, undefined, { loop: true })(X), EXACT);
    expect(batchStats.fallbacks).toBe(fb + 1);
    const g = (x: Tensor) => tensor((x.toArray() as number[]).map((v) => v * 2));
    expect(vmap(g)(X)).toBeAllclose(mul(X, 2), EXACT);
    expect(batchStats.fallbacks).toBe(fb + 2);
  });

  it("reading an unmapped value inside f stays batched", () => {
    const fb = batchStats.fallbacks;
    const f = (x: Tensor, w: Tensor) => mul(x, sum(w).item());
    expect(vmap(f, [0, null])(X, W)).toBeAllclose(mul(X, 1.75), EXACT);
    expect(batchStats.fallbacks).toBe(fb);
  });

  it("host checks (assertFinite, grad's checkFinite) run on the whole batch without looping", () => {
    const fb = batchStats.fallbacks;
    expect(vmap((x: Tensor) => assertFinite(mul(x, 2)))(X)).toBeAllclose(mul(X, 2), EXACT);
    const bad = tensor([[1, 2, 3], [0, -1, 2]]);
    expect(() => vmap((x: Tensor) => assertFinite(log(x), "log x"))(bad)).toThrow(NonFiniteError);
    const vg = valueAndGrad((w: Tensor, x: Tensor) => sum(matmul(w, x)), { checkFinite: true });
    expect(vmap((x: Tensor) => vg(W, x)[1], [0])(X)).toBeAllclose(vmap((x: Tensor) => vg(W, x)[1], [0], { loop: true })(X), EXACT);
    expect(batchStats.fallbacks).toBe(fb);
  });

  it("constants from mapped int32 values (oneHot, astype to and from int32) are computed for the whole batch, without looping", () => {
    const labels = tensor([[2, 0], [1, 1], [0, 2]], { dtype: "int32" });
    const f = (y: Tensor, x: Tensor) => add(mul(oneHot(y, 3), sum(x)), reshape(astype(y, "float64"), [2, 1]));
    const g = (x: Tensor) => astype(mul(x, 3), "int32");
    const fb = batchStats.fallbacks;
    expect(vmap(f, [0, null])(labels, W)).toBeAllclose(vmap(f, [0, null], { loop: true })(labels, W), EXACT);
    const got = vmap(g)(X);
    expect(got.dtype).toBe("int32");
    expect(got.toArray()).toEqual(vmap(g, undefined, { loop: true })(X).toArray());
    // per-example gradients of an MSE against one-hot targets of mapped labels
    const mseLoss = (w: Tensor, x: Tensor, y: Tensor) => sum(square(sub(matmul(w, x), oneHot(y, 2))));
    const Y = tensor([1, 0, 1, 1], { dtype: "int32" });
    expect(vmap(grad(mseLoss), [null, 0, 0])(W, X, Y)).toBeAllclose(vmap(grad(mseLoss), [null, 0, 0], { loop: true })(W, X, Y), EXACT);
    expect(batchStats.fallbacks).toBe(fb);
  });

  it("a mapped value used after its vmap returned is a clear error", () => {
    let leaked: Tensor | null = null;
    vmap((x: Tensor) => { leaked = x; return x; })(X);
    expect(() => (leaked as unknown as Tensor).toArray()).toThrow(BatchReadError);
    expect(() => (leaked as unknown as Tensor).toArray()).toThrow(/vmap: f reads the values of a mapped tensor/);
    // used in an op, outside any vmap or inside a later one of the same depth
    expect(() => add(leaked as unknown as Tensor, 1)).toThrow(BatchReadError);
    expect(() => vmap((x: Tensor) => add(x, leaked as unknown as Tensor))(X)).toThrow(/vmap call that has returned/);
    expect(new BatchReadError(1).name).toBe("BatchReadError");
    expect(new BatchReadError(1)).toBeInstanceOf(TransformError);
  });

  it("nests: vmap of vmap equals the double loop, mapped at either level or both", () => {
    const A = randomTensor(rng(5), [3, 4, 2]), C = randomTensor(rng(6), [4, 2]);
    const f = (a: Tensor, c: Tensor) => tanh(add(mul(a, c), sum(a)));
    const inner = (loop: boolean) => (a: Tensor, c: Tensor) => vmap(f, [0, 0], { loop })(a, c);
    const ref = vmap(inner(true), [0, null], { loop: true })(A, C);
    expect(vmap(inner(false), [0, null])(A, C)).toBeAllclose(ref, EXACT);
    // only the inner level maps the first argument; the outer maps the second
    const g = (a: Tensor, c: Tensor) => vmap((u: Tensor) => mul(u, sum(c)), [0])(a);
    expect(vmap(g, [null, 0])(C, A)).toBeAllclose(vmap(g, [null, 0], { loop: true })(C, A), EXACT);
    // per-example Hessian-vector products: vmap over grad of grad
    const h = (x: Tensor) => grad((y: Tensor) => sum(mul(grad((z: Tensor) => sum(exp(mul(z, z))))(y), C)))(x);
    expect(vmap(h)(A)).toBeAllclose(vmap(h, undefined, { loop: true })(A), CLOSE);
  });

  it("a host read under nested vmaps: the level whose value is read loops, the result is still the double loop's", () => {
    const A = randomTensor(rng(7), [2, 3, 2]);
    const f = (x: Tensor) => mul(x, sum(x).item());
    const ref = vmap((a: Tensor) => vmap(f, undefined, { loop: true })(a), undefined, { loop: true })(A);
    const fb = batchStats.fallbacks;
    expect(vmap((a: Tensor) => vmap(f)(a))(A)).toBeAllclose(ref, EXACT);
    // the inner vmap falls back, its loop reads the outer level's value, so the outer one loops too
    expect(batchStats.fallbacks).toBeGreaterThan(fb);
  });

  it("a jitted function called with mapped arguments: the call loops (jit sees one example at a time)", () => {
    const g = jit((x: Tensor) => tanh(matmul(W, x)));
    const fb = batchStats.fallbacks;
    expect(vmap(g)(X)).toBeAllclose(vmap((x: Tensor) => tanh(matmul(W, x)), undefined, { loop: true })(X), EXACT);
    expect(batchStats.fallbacks).toBe(fb + 1);
  });

  it("inside jit: the batched call records and replays", () => {
    const f = jit((w: Tensor, x: Tensor) => vmap(grad((v: Tensor, xi: Tensor) => sum(tanh(matmul(v, xi)))), [null, 0])(w, x));
    const ref = vmap(grad((v: Tensor, xi: Tensor) => sum(tanh(matmul(v, xi)))), [null, 0], { loop: true });
    expect(f(W, X)).toBeAllclose(ref(W, X), CLOSE);
    const X2 = add(X, 0.5);
    expect(f(W, X2)).toBeAllclose(ref(W, X2), CLOSE);
  });

  it("keeps the loop's argument errors and rejects a bad loop option", () => {
    expect(() => vmap((a: Tensor) => a, [0], { loop: "yes" as unknown as boolean })).toThrow(/vmap.*loop/);
    expect(() => vmap((a: Tensor) => a, [0], { fast: true } as never)).toThrow(/vmap/);
    expect(() => vmap((a: Tensor) => a)(zeros([0, 2]))).toThrow(/empty batch/);
  });
});

describe("per-example gradients of an MLP", () => {
  type P = { w1: Tensor; b1: Tensor; w2: Tensor; b2: Tensor };
  const next = rng(42);
  const p: P = { w1: r(next, [5, 8], -0.5, 0.5), b1: r(next, [8], -0.1, 0.1), w2: r(next, [8, 3], -0.5, 0.5), b2: r(next, [3], -0.1, 0.1) };
  const X = r(next, [6, 5]);
  const Y = ints(next, 6, 3);
  // one example: x [5], y an int32 scalar
  const loss = (q: P, x: Tensor, y: Tensor) =>
    crossEntropy(linear(linear(reshape(x, [1, 5]), q.w1, q.b1, { activation: "tanh" }), q.w2, q.b2), reshape(y, [1]));

  it("equal the loop and central differences of each example's loss, and average to the batch gradient", () => {
    const fb = batchStats.fallbacks;
    const per = vmap(grad(loss), [null, 0, 0])(p, X, Y);
    expect(batchStats.fallbacks).toBe(fb);
    const ref = vmap(grad(loss), [null, 0, 0], { loop: true })(p, X, Y);
    for (const k of ["w1", "b1", "w2", "b2"] as const) {
      expect(per[k].shape).toEqual([6, ...p[k].shape]);
      expect(per[k], k).toBeAllclose(ref[k], CLOSE);
    }
    // central differences of example i's loss in a few coordinates of each parameter
    const h = 1e-6;
    for (const i of [0, 3, 5]) {
      const xi = slice(X, [[i, i + 1]]), yi = slice(Y, [[i, i + 1]]);
      const li = (q: P) => loss(q, reshape(xi, [5]), reshape(yi, []));
      for (const k of ["w1", "b1", "w2", "b2"] as const) {
        for (const j of [0, p[k].size - 1, p[k].size >> 1]) {
          const bump = (d: number) => {
            const data = Float64Array.from(p[k].data);
            data[j] = data[j]! + d;
            return li({ ...p, [k]: tensor(data, { shape: [...p[k].shape] }) }).item();
          };
          const fd = (bump(h) - bump(-h)) / (2 * h);
          const got = reshape(slice(per[k], [[i, i + 1]]), [p[k].size]).data[j]!;
          expect(Math.abs(got - fd), `${k}[${j}] of example ${i}`).toBeLessThan(1e-7 * (1 + Math.abs(fd)));
        }
      }
    }
    const batch = grad((q: P) => crossEntropy(linear(linear(X, q.w1, q.b1, { activation: "tanh" }), q.w2, q.b2), Y))(p);
    for (const k of ["w1", "b1", "w2", "b2"] as const) expect(mean(per[k], { axis: 0 }), k).toBeAllclose(batch[k], CLOSE);
  });

  it("differentiate through them: grad of Σ‖per-example gradient‖² (grad of vmap of grad) equals the loop's", () => {
    const objective = (loop: boolean) => (q: P) => {
      const per = vmap(grad(loss), [null, 0, 0], { loop })(q, X, Y);
      return add(add(sum(square(per.w1)), sum(square(per.b1))), add(sum(square(per.w2)), sum(square(per.b2))));
    };
    const gb = grad(objective(false))(p), gl = grad(objective(true))(p);
    for (const k of ["w1", "b1", "w2", "b2"] as const) expect(gb[k], k).toBeAllclose(gl[k], CLOSE);
  });

  it("inside a tidy scope (fit's per-step memory scope), repeatedly: the same values", () => {
    const ref = vmap(grad(loss), [null, 0, 0], { loop: true })(p, X, Y);
    for (let i = 0; i < 3; i++) {
      const per = tidy(() => vmap(grad(loss), [null, 0, 0])(p, X, Y));
      for (const k of ["w1", "b1", "w2", "b2"] as const) expect(per[k], k).toBeAllclose(ref[k], CLOSE);
    }
  });

  it("in float32 too (within float32 rounding of the loop)", () => {
    const p32 = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, astype(v, "float32")])) as P;
    const X32 = astype(X, "float32");
    const per = vmap(grad(loss), [null, 0, 0])(p32, X32, Y);
    const ref = vmap(grad(loss), [null, 0, 0], { loop: true })(p32, X32, Y);
    for (const k of ["w1", "b1", "w2", "b2"] as const) {
      expect(per[k].dtype).toBe("float32");
      expect(per[k], k).toBeAllclose(ref[k], { rtol: 1e-5, atol: 1e-6 });
    }
  });
});
