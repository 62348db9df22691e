import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Backend, getBackend, pickDefaultBackend, setBackend, tsBackend, wasmBackend } from "../backend.js";
import type { DataArray } from "../dtype.js";
import type { BinaryOp, UnaryOp } from "../kernels/elementwise.js";
import { KERNELS_WASM_BASE64 } from "./kernels-wasm.generated.js";
import { jit } from "../jit.js";
import { bernoulli, normal, permutation, prngKey, randint, randomBits, threefry2x32, uniform, type PRNGKey } from "../random.js";
import type { Tensor } from "../tensor.js";
import { createWasmBackend, createWasmBackendAsync, hasWasmSimd, kernelsWasmBytes, wasmThreefry } from "./wasm-backend.js";

// Tolerance (stated once, used by every float32 comparison below): the WASM float32 GEMM
// accumulates in float32 (f32x4), the TS reference in float64 and rounds once, so
//   |c_wasm − c_ts| ≤ 2·K·2⁻²⁴·Σ_k |a_ik|·|b_kj|  (+ one float32 rounding of c, + 2·K·2⁻¹⁴⁹
// for products that underflow to float32 subnormals), the standard bound for a K-term float32
// dot product. Float64 results are bit-identical: both
// sum a_ik·b_kj sequentially in k without FMA, and K-blocking resumes from the stored partial sum.
const EPS32 = 2 ** -24;

const wasm = createWasmBackend(tsBackend)!;
// tiny cache blocks so every loop of the blocked driver (NC, KC, MC, edge tiles) runs at small sizes
const tinyBlocks = createWasmBackend(tsBackend, {
  thresholds: { gemmMinWork: 0, gemmDirectMaxM: 12 },
  blocking: { f32: { KC: 7, MC: 10, NC: 16 }, f64: { KC: 5, MC: 10, NC: 8 } },
})!;

// every size goes to the WASM kernels here (no small-size dispatch to TS)
const eager = createWasmBackend(tsBackend, { thresholds: { elementwiseMin: 0, colSumMin: 0, gemmMinWork: 0, windowMin: 0, sumMin: 0, threefryMin: 0 } })!;

const ODD = [1, 2, 3, 5, 7, 17, 33];
const dim = fc.oneof(fc.constantFrom(...ODD), fc.integer({ min: 1, max: 40 }));

function filled(f64: boolean, n: number, vals: readonly number[]): DataArray {
  const a = f64 ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = vals[i % vals.length]!;
  return a;
}

function gemmBoth(be: Backend, f64: boolean, M: number, N: number, K: number, tA: boolean, tB: boolean, vals: readonly number[], offs: readonly [number, number, number]) {
  const [ao, bo, co] = offs;
  const a = filled(f64, ao + M * K, vals), b = filled(f64, bo + K * N, [...vals].reverse());
  const mk = () => (f64 ? new Float64Array(co + M * N + 2) : new Float32Array(co + M * N + 2)).fill(7);
  const ref = mk(), got = mk();
  tsBackend.gemm(a, ao, b, bo, ref, co, M, N, K, tA, tB);
  be.gemm(a, ao, b, bo, got, co, M, N, K, tA, tB);
  // Σ|a||b| per output element, for the float32 bound
  const absA = a.map(Math.abs), absB = b.map(Math.abs);
  const mag = new Float64Array(M * N);
  tsBackend.gemm(Float64Array.from(absA), ao, Float64Array.from(absB), bo, mag, 0, M, N, K, tA, tB);
  return { ref, got, mag, co, K };
}

function checkGemm(r: ReturnType<typeof gemmBoth>, f64: boolean): void {
  const { ref, got, mag, co, K } = r;
  let bad = "";
  for (let i = 0; i < ref.length && bad === ""; i++) {
    if (i < co || i >= co + mag.length) {
      if (got[i] !== 7) bad = `element ${i} outside C was written: ${got[i]}`;
    } else if (f64) {
      if (!Object.is(got[i], ref[i])) bad = `element ${i}: ${got[i]} vs ${ref[i]} (float64 must be bit-identical)`;
    } else {
      const tol = 2 * K * EPS32 * mag[i - co]! + 2 * EPS32 * Math.abs(ref[i]!) + 2 * K * 2 ** -149;
      if (!(Math.abs(got[i]! - ref[i]!) <= tol)) bad = `element ${i}: ${got[i]} vs ${ref[i]} (tolerance ${tol})`;
    }
  }
  expect(bad).toBe("");
}

const values = fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: 1, maxLength: 64 });

describe("wasm backend", () => {
  it("is available in Node 20 and selected by default unless REGULARIZE_BACKEND=ts", () => {
    expect(hasWasmSimd()).toBe(true);
    expect(wasmBackend).not.toBeNull();
    expect(wasmBackend!.name).toBe("wasm");
    expect(getBackend()).toBe(process.env.REGULARIZE_BACKEND === "ts" ? tsBackend : wasmBackend);
    expect(pickDefaultBackend(undefined)).toBe(wasmBackend);
    expect(pickDefaultBackend("wasm")).toBe(wasmBackend);
    expect(pickDefaultBackend("ts")).toBe(tsBackend);
  });

  it("compiles asynchronously too (the browser main-thread path)", async () => {
    const b = await createWasmBackendAsync(tsBackend);
    expect(b?.name).toBe("wasm");
  });

  it("the committed module bytes are what wabt assembles from the committed kernels.wat", async (ctx) => {
    let wabtFactory: (() => Promise<{ parseWat: (n: string, s: string, f: object) => { validate(): void; toBinary(o: object): { buffer: Uint8Array }; destroy(): void } }>) | undefined;
    try {
      wabtFactory = createRequire(import.meta.url)("wabt") as typeof wabtFactory;
    } catch {
      ctx.skip(); // wabt (a devDependency) absent: nothing to re-assemble with
      return;
    }
    const wat = readFileSync(new URL("./kernels.wat", import.meta.url), "utf8");
    const gen = (await import("../../scripts/kernels-wat.mjs" as string)) as { kernelsWat(): string };
    expect(gen.kernelsWat(), "kernels.wat is stale: run node scripts/build-wasm.mjs").toBe(wat);
    const wabt = await wabtFactory!();
    const m = wabt.parseWat("kernels.wat", wat, { simd: true });
    m.validate();
    const bytes = Uint8Array.from(m.toBinary({}).buffer);
    m.destroy();
    expect(Buffer.from(bytes).toString("base64"), "kernels-wasm.generated.ts is stale: run node scripts/build-wasm.mjs").toBe(KERNELS_WASM_BASE64);
    expect(kernelsWasmBytes()).toEqual(bytes);
  });

  for (const f64 of [true, false]) {
    const dt = f64 ? "float64 (bit-identical)" : "float32 (within 2·K·2⁻²⁴·Σ|a||b|)";
    it(`gemm matches the TS reference in ${dt} for every layout, odd sizes and offsets`, () => {
      fc.assert(
        fc.property(dim, dim, dim, fc.boolean(), fc.boolean(), values, fc.tuple(fc.nat(3), fc.nat(3), fc.nat(3)), (M, N, K, tA, tB, vals, offs) => {
          checkGemm(gemmBoth(wasm, f64, M, N, K, tA, tB, vals, offs), f64);
          checkGemm(gemmBoth(tinyBlocks, f64, M, N, K, tA, tB, vals, offs), f64);
        }),
        { numRuns: 60 },
      );
    });
  }

  // Each f32x4 lane sums c += a·b in float32, in k order (K-blocks resume from the stored partial
  // sum), whatever the tile (full, the narrow edge kernel, scratch), the layout (a transposed A read
  // in place, the others packed) or the blocking: so float32 equals this naive loop bit for bit.
  function naiveF32(a: DataArray, ao: number, b: DataArray, bo: number, M: number, N: number, K: number, tA: boolean, tB: boolean): Float32Array {
    const f = Math.fround, c = new Float32Array(M * N);
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s = f(s + f(a[ao + (tA ? k * M + i : i * K + k)]! * b[bo + (tB ? j * K + k : k * N + j)]!));
        c[i * N + j] = s;
      }
    }
    return c;
  }
  const edgeDim = fc.oneof(fc.constantFrom(1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 16, 19, 20, 21), fc.integer({ min: 1, max: 45 }));
  it("float32 gemm equals the naive sequential float32 loop bit for bit (every layout, edge tiles, offsets, blockings)", () => {
    fc.assert(
      fc.property(edgeDim, edgeDim, edgeDim, fc.boolean(), fc.boolean(), values, fc.tuple(fc.nat(3), fc.nat(3), fc.nat(3)), (M, N, K, tA, tB, vals, [ao, bo, co]) => {
        const a = filled(false, ao + M * K, vals), b = filled(false, bo + K * N, [...vals].reverse());
        const ref = naiveF32(a, ao, b, bo, M, N, K, tA, tB);
        for (const be of [wasm, tinyBlocks]) {
          const c = new Float32Array(co + M * N + 2).fill(7);
          be.gemm(a, ao, b, bo, c, co, M, N, K, tA, tB);
          expect(Array.from(c.subarray(0, co)).every((v) => v === 7) && c[co + M * N] === 7 && c[co + M * N + 1] === 7).toBe(true);
          // below gemmMinWork the TS reference runs (float64 accumulation): only compare the WASM runs
          if (be === tinyBlocks || M * N * K >= 64) expect(Array.from(c.subarray(co, co + M * N))).toEqual(Array.from(ref));
        }
      }),
      { numRuns: 80 },
    );
    // the MLP's shapes at batch 100 and 10 (N ≡ 2 and 4 mod 8 take the narrow kernel; M = 10, 40 odd panels of 5)
    const vals = Array.from({ length: 61 }, (_, i) => Math.sin(i * 0.37) * 2);
    for (const [M, N, K] of [[100, 100, 40], [100, 10, 100], [100, 100, 10], [40, 100, 100], [10, 100, 40], [10, 10, 100], [40, 100, 10], [103, 1030, 261]] as const) {
      for (const [tA, tB] of [[false, false], [true, false], [false, true]] as const) {
        const a = filled(false, M * K, vals), b = filled(false, K * N, [...vals].reverse());
        const c = new Float32Array(M * N);
        wasm.gemm(a, 0, b, 0, c, 0, M, N, K, tA, tB);
        expect(Array.from(c)).toEqual(Array.from(naiveF32(a, 0, b, 0, M, N, K, tA, tB)));
      }
    }
  });

  it("gemm float32 products that underflow stay within tolerance (fast-check counterexample)", () => {
    checkGemm(gemmBoth(wasm, false, 1, 1, 2, false, false, [-1.8716961121406986e-23], [0, 0, 0]), false);
  });

  it("gemm matches across cache blocks at sizes past KC, MC and NC", () => {
    const vals = Array.from({ length: 97 }, (_, i) => Math.sin(i * 1.7) * 3);
    checkGemm(gemmBoth(wasm, true, 53, 517, 261, false, false, vals, [1, 2, 3]), true);
    checkGemm(gemmBoth(wasm, true, 53, 517, 261, true, true, vals, [1, 2, 3]), true);
    checkGemm(gemmBoth(wasm, false, 103, 1030, 261, false, true, vals, [1, 2, 3]), false);
    checkGemm(gemmBoth(wasm, false, 103, 1030, 261, true, false, vals, [1, 2, 3]), false);
  });

  it("gemm propagates NaN and ±Infinity like the reference (float64)", () => {
    const vals = [1, -2, Infinity, 0.5, NaN, -Infinity, 3, 0, -0];
    for (const [M, N, K] of [[3, 5, 7], [7, 9, 4], [1, 1, 1]] as const) {
      checkGemm(gemmBoth(tinyBlocks, true, M, N, K, false, true, vals, [0, 0, 0]), true);
    }
  });

  it("gemm is deterministic run to run and leaves K = 0 and tiny products to the reference", () => {
    const vals = Array.from({ length: 50 }, (_, i) => Math.cos(i) * 2);
    const r1 = gemmBoth(wasm, false, 37, 29, 300, true, false, vals, [0, 0, 0]);
    const r2 = gemmBoth(wasm, false, 37, 29, 300, true, false, vals, [0, 0, 0]);
    expect(Array.from(r1.got)).toEqual(Array.from(r2.got));
    const c = new Float64Array(6).fill(5);
    wasm.gemm(new Float64Array(0), 0, new Float64Array(0), 0, c, 0, 2, 3, 0, false, false);
    expect(Array.from(c)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("grows its memory for large operands and keeps working afterwards", () => {
    const M = 300, K = 300, N = 400; // ~1.5 MB of float64 operands
    const vals = Array.from({ length: 31 }, (_, i) => (i % 7) - 3);
    checkGemm(gemmBoth(wasm, true, M, N, K, false, false, vals, [0, 0, 0]), true);
    checkGemm(gemmBoth(wasm, true, 5, 5, 5, false, false, vals, [0, 0, 0]), true);
  });
});

// special values every elementwise property mixes in: the reference's NaN / signed-zero choices must survive
const SPECIAL = [NaN, -0, 0, Infinity, -Infinity, 1e-310, -2.5, 3];
const elems = fc.array(fc.oneof(fc.double({ min: -10, max: 10 }), fc.constantFrom(...SPECIAL)), { minLength: 1, maxLength: 80 });

function sameBits(got: DataArray, ref: DataArray): string {
  for (let i = 0; i < ref.length; i++) if (!Object.is(got[i], ref[i])) return `element ${i}: ${got[i]} vs ${ref[i]}`;
  return "";
}

/** Shapes of a, b for one broadcasting pattern over an output [R, m]. */
function patternShapes(p: number, R: number, m: number): [number[], number[]] {
  switch (p) {
    case 0: return [[R, m], [R, m]];   // equal
    case 1: return [[R, m], []];       // scalar b
    case 2: return [[1], [R, m]];      // scalar a
    case 3: return [[R, m], [m]];      // bias row b
    case 4: return [[1, m], [R, m]];   // row a
    case 5: return [[R, 1], [R, m]];   // column a
    case 6: return [[R, m], [R, 1]];   // column b
    case 7: return [[2, R, 1], [2, R, m]]; // column a under a batch axis
    default: return [[R, 1], [2, R, m]]; // column a broadcast over a batch axis too (falls back to TS)
  }
}

describe("wasm elementwise kernels (bit-identical to the TS reference, float64 and float32)", () => {
  const binOps: BinaryOp[] = ["add", "sub", "mul", "div", "maximum", "minimum", "pow", "lt"];
  it("binary ops over equal, scalar, row and column broadcasts", () => {
    fc.assert(
      fc.property(fc.constantFrom(...binOps), fc.integer({ min: 0, max: 8 }), dim, dim, elems, elems, fc.boolean(), (op, p, R, m, va, vb, f64) => {
        const [as, bs] = patternShapes(p, R, m);
        const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
        const os = p >= 7 ? [2, R, m] : [R, m];
        const a = filled(f64, size(as), va), b = filled(f64, size(bs), vb);
        const ref = f64 ? new Float64Array(size(os)) : new Float32Array(size(os)), got = ref.slice();
        tsBackend.binary(op, a, as, b, bs, ref, os);
        eager.binary(op, a, as, b, bs, got, os);
        expect(sameBits(got, ref)).toBe("");
      }),
      { numRuns: 300 },
    );
  });

  const unOps: UnaryOp[] = ["neg", "abs", "sqrt", "square", "relu", "step", "leakyRelu", "exp"];
  it("unary ops, odd lengths (vector body + scalar tail), leakyRelu slopes", () => {
    fc.assert(
      fc.property(fc.constantFrom(...unOps), elems, fc.constantFrom(...ODD, 64, 129), fc.double({ min: -2, max: 2, noNaN: true }), fc.boolean(), (op, vals, n, slope, f64) => {
        const x = filled(f64, n, vals);
        const ref = f64 ? new Float64Array(n) : new Float32Array(n), got = ref.slice();
        tsBackend.unary(op, x, ref, slope);
        eager.unary(op, x, got, slope);
        expect(sameBits(got, ref)).toBe("");
      }),
      { numRuns: 300 },
    );
  });

  it("sums over leading axes as column sums; other reductions fall back", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom<number>(1, 2, 3, 5, 7, 17), { minLength: 1, maxLength: 4 }), fc.nat(3), elems, fc.boolean(), fc.constantFrom("sum", "max", "min" as const), (shape, k0, vals, f64, op) => {
        const k = Math.min(k0, shape.length);
        const axes = Array.from({ length: k }, (_, i) => i);
        const x = filled(f64, shape.reduce((a, b) => a * b, 1), vals);
        const n = shape.slice(k).reduce((a, b) => a * b, 1);
        const ref = f64 ? new Float64Array(n) : new Float32Array(n), got = ref.slice();
        tsBackend.reduce(op, x, shape, axes, ref);
        eager.reduce(op, x, shape, axes, got);
        expect(sameBits(got, ref)).toBe("");
      }),
      { numRuns: 200 },
    );
  });

  it("full sums (one number left, e.g. [R, 1] over axis 0) = the reference's in-order float64 loop, bit for bit", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom<number>(1, 2, 3, 5, 7, 17, 64, 333), { minLength: 1, maxLength: 3 }), elems, fc.boolean(), fc.boolean(), (dims, vals, f64, keepLast) => {
        const shape = keepLast ? [...dims, 1] : dims;
        const axes = keepLast ? dims.map((_, i) => i) : shape.map((_, i) => i);
        const x = filled(f64, dims.reduce((a, b) => a * b, 1), vals);
        const ref = f64 ? new Float64Array(1) : new Float32Array(1), got = ref.slice(), dflt = ref.slice();
        tsBackend.reduce("sum", x, shape, axes, ref);
        eager.reduce("sum", x, shape, axes, got);
        wasm.reduce("sum", x, shape, axes, dflt);
        expect(sameBits(got, ref)).toBe("");
        expect(sameBits(dflt, ref)).toBe("");
      }),
      { numRuns: 200 },
    );
  });

  it("a float32 [R, 1] sum over axis 0 (subnormals or not) is the reference's full sum, not a float32 column sum", () => {
    // the old flake: colsum added in float32 row by row, the reference adds in float64 and rounds once
    for (const v of [-5.8e-39, 0.1, -3.3]) {
      const x = filled(false, 10, [v]);
      const ref = new Float32Array(1), got = new Float32Array(1);
      tsBackend.reduce("sum", x, [10, 1], [0], ref);
      eager.reduce("sum", x, [10, 1], [0], got);
      expect(sameBits(got, ref)).toBe("");
    }
  });

  it("dispatches small arrays to the TS kernels by the measured thresholds", () => {
    const calls: string[] = [];
    const spy = { ...tsBackend, binary: ((...a: Parameters<typeof tsBackend.binary>) => { calls.push("ts"); tsBackend.binary(...a); }) as typeof tsBackend.binary };
    const b = createWasmBackend(spy)!;
    const small = new Float64Array(8), big = new Float64Array(4096);
    b.binary("add", small, [8], small, [8], new Float64Array(8), [8]);
    b.binary("add", big, [4096], big, [4096], new Float64Array(4096), [4096]);
    expect(calls).toEqual(["ts"]);
  });
});

describe("wasm gemmBiasAct (linear's forward)", () => {
  it("equals the backend's gemm followed by the reference bias add and relu, bit for bit", () => {
    fc.assert(
      fc.property(dim, dim, dim, elems, fc.boolean(), fc.boolean(), fc.boolean(), (M, N, K, vals, f64, withBias, relu) => {
        for (const be of [wasm, eager, tinyBlocks]) {
          const a = filled(f64, M * K, vals), b = filled(f64, K * N, [...vals].reverse()), bias = withBias ? filled(f64, N, vals.slice(1).concat([0.5])) : null;
          const ref = f64 ? new Float64Array(M * N) : new Float32Array(M * N), got = ref.slice();
          be.gemm(a, 0, b, 0, ref, 0, M, N, K, false, false);
          if (bias !== null) tsBackend.binary("add", ref, [M, N], bias, [N], ref, [M, N]);
          if (relu) tsBackend.unary("relu", ref, ref);
          be.gemmBiasAct!(a, b, bias, got, M, N, K, relu);
          expect(sameBits(got, ref)).toBe("");
        }
      }),
      { numRuns: 80 },
    );
  });
});

describe("wasm unfold / fold (conv1d's im2col and its transpose)", () => {
  it("match the reference bit for bit over random window geometry, both dtypes", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 17 }), fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 3 }), elems, fc.boolean(), fc.constantFrom(0, -Infinity, 2.5),
        (N, C, L, K, stride, padding, dilation, vals, f64, padValue) => {
          const span = dilation * (K - 1) + 1;
          const outLength = Math.floor((L + 2 * padding - span) / stride) + 1;
          fc.pre(outLength >= 1);
          const w = { kernel: K, stride, padding, dilation, outLength };
          const x = filled(f64, N * C * L, vals);
          const n = N * outLength * C * K;
          const ref = f64 ? new Float64Array(n) : new Float32Array(n), got = ref.slice();
          tsBackend.unfold(x, N, C, L, w, ref, padValue);
          eager.unfold(x, N, C, L, w, got, padValue);
          expect(sameBits(got, ref)).toBe("");
          const src = filled(f64, n, [...vals].reverse());
          const accRef = filled(f64, N * C * L, [0.25, -1]), accGot = accRef.slice();
          tsBackend.fold(src, N, C, L, w, accRef);
          eager.fold(src, N, C, L, w, accGot);
          expect(sameBits(accGot, accRef)).toBe("");
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("resident kernels (jit's replays: operands in the instance's own memory)", () => {
  // lay out operands in a resident instance, run a call through the resident backend and through
  // its lowered closure, and compare with the copying backend (bit for bit, both dtypes: the
  // resident instance decides as the copying one does, so even float32 GEMMs match exactly)
  function residentRun(kernel: string, arrays: DataArray[], args: (views: DataArray[]) => unknown[], gemms: { M: number; N: number; K: number; f64: boolean }[] = []) {
    const bytes = arrays.reduce((s, a) => s + Math.ceil(a.byteLength / 16) * 16, 0);
    const rk = wasm.resident!(bytes, gemms)!;
    let at = rk.arenaStart;
    const place = (): DataArray[] => {
      const out: DataArray[] = [];
      let p = at;
      for (const a of arrays) {
        const V = a.constructor as Float64ArrayConstructor;
        const v = new V(rk.memory.buffer, p, a.length);
        v.set(a as Float64Array);
        out.push(v);
        p += Math.ceil(a.byteLength / 16) * 16;
      }
      return out;
    };
    const direct = place();
    (rk.backend as unknown as Record<string, (...a: unknown[]) => void>)[kernel]!(...args(direct));
    const directOut = direct.map((v) => v.slice());
    const lowered = place();
    const thunk = rk.lower(kernel, args(lowered));
    if (thunk) thunk(); else (rk.backend as unknown as Record<string, (...a: unknown[]) => void>)[kernel]!(...args(lowered));
    at = rk.arenaStart;
    return { direct: directOut, lowered: lowered.map((v) => v.slice()), lowerable: thunk !== null };
  }
  const same = (a: DataArray, b: DataArray) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

  for (const f64 of [true, false]) {
    it(`binary ops with broadcast rows, columns and scalars, ${f64 ? "float64" : "float32"}: = the TS reference bit for bit`, () => {
      fc.assert(fc.property(dim, dim, fc.constantFrom<BinaryOp>("add", "sub", "mul", "div", "maximum", "minimum"), fc.constantFrom("same", "row", "scalar", "scalarLeft", "column", "columnLeft"), fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: 1, maxLength: 9 }), (R, m, op, pattern, vals) => {
        const n = R * m;
        const a = filled(f64, pattern === "scalarLeft" ? 1 : pattern === "columnLeft" ? R : n, vals);
        const b = filled(f64, pattern === "row" ? m : pattern === "scalar" ? 1 : pattern === "column" ? R : n, [...vals].reverse());
        const aShape = pattern === "scalarLeft" ? [] : pattern === "columnLeft" ? [R, 1] : [R, m];
        const bShape = pattern === "row" ? [m] : pattern === "scalar" ? [] : pattern === "column" ? [R, 1] : [R, m];
        const ref = filled(f64, n, [0]);
        tsBackend.binary(op, a, aShape, b, bShape, ref, [R, m]);
        const r = residentRun("binary", [a, b, filled(f64, n, [0])], (v) => [op, v[0], aShape, v[1], bShape, v[2], [R, m]]);
        return r.lowerable && same(r.direct[2]!, ref) && same(r.lowered[2]!, ref);
      }), { numRuns: 60 });
    });

    it(`unary ops and leading-axis sums, ${f64 ? "float64" : "float32"}: = the TS reference bit for bit`, () => {
      fc.assert(fc.property(dim, dim, fc.constantFrom<UnaryOp>("neg", "abs", "sqrt", "square", "relu", "step"), fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: 1, maxLength: 9 }), (R, m, op, vals) => {
        const x = filled(f64, R * m, vals);
        const ref = filled(f64, R * m, [0]);
        tsBackend.unary(op, x, ref);
        const u = residentRun("unary", [x, filled(f64, R * m, [0])], (v) => [op, v[0], v[1], 0]);
        const sref = filled(f64, m, [0]);
        tsBackend.reduce("sum", x, [R, m], [0], sref);
        const s = residentRun("reduce", [x, filled(f64, m, [0])], (v) => ["sum", v[0], [R, m], [0], v[1]]);
        return same(u.direct[1]!, ref) && same(u.lowered[1]!, ref) && (R === 1 || (same(s.direct[1]!, sref) && same(s.lowered[1]!, sref)));
      }), { numRuns: 60 });
    });

    it(`full sums (lowered to the in-order float64 loop), ${f64 ? "float64" : "float32"}: = the TS reference bit for bit`, () => {
      fc.assert(fc.property(fc.integer({ min: 1, max: 600 }), fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: 1, maxLength: 9 }), (n, vals) => {
        const x = filled(f64, n, vals);
        const ref = filled(f64, 1, [0]);
        tsBackend.reduce("sum", x, [n, 1], [0], ref);
        const s = residentRun("reduce", [x, filled(f64, 1, [7])], (v) => ["sum", v[0], [n, 1], [0], v[1]]);
        return s.lowerable && same(s.direct[1]!, ref) && same(s.lowered[1]!, ref);
      }), { numRuns: 60 });
    });

    it(`GEMM (all transposes, offsets) and GEMM + bias + relu, ${f64 ? "float64" : "float32"}: = the copying WASM backend bit for bit`, () => {
      fc.assert(fc.property(dim, dim, dim, fc.boolean(), fc.boolean(), fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 1, maxLength: 7 }), (M, N, K, tA, tB, vals) => {
        const a = filled(f64, 3 + M * K, vals), b = filled(f64, 1 + K * N, [...vals].reverse()), bias = filled(f64, N, vals);
        const ref = filled(f64, 2 + M * N, [7]);
        wasm.gemm(a, 3, b, 1, ref, 2, M, N, K, tA, tB);
        const g = residentRun("gemm", [a, b, filled(f64, 2 + M * N, [7])], (v) => [v[0], 3, v[1], 1, v[2], 2, M, N, K, tA, tB], [{ M, N, K, f64 }]);
        const a0 = filled(f64, M * K, vals), b0 = filled(f64, K * N, [...vals].reverse());
        const ref2 = filled(f64, M * N, [0]);
        wasm.gemmBiasAct!(a0, b0, bias, ref2, M, N, K, true);
        const ba = residentRun("gemmBiasAct", [a0, b0, bias, filled(f64, M * N, [0])], (v) => [v[0], v[1], v[2], v[3], M, N, K, true], [{ M, N, K, f64 }]);
        return same(g.direct[2]!, ref) && same(g.lowered[2]!, ref) && same(ba.direct[3]!, ref2) && same(ba.lowered[3]!, ref2);
      }), { numRuns: 60 });
    });
  }

  it("refuses an operand outside its memory", () => {
    const rk = wasm.resident!(64, [])!;
    expect(() => rk.backend.unary("neg", new Float64Array(600), new Float64Array(600))).toThrow(/outside its memory/);
  });
});

describe("wasm Threefry-2x32 (random draws' bulk bits)", () => {
  const fill = wasmThreefry(eager)!;
  const EDGE = [0, 1, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];
  const word = fc.oneof(fc.constantFrom(...EDGE), fc.integer({ min: 0, max: 0xffffffff }));

  it("exists on WASM backends only", () => {
    expect(fill).not.toBeNull();
    expect(wasmThreefry(wasmBackend!)).not.toBeNull();
    expect(wasmThreefry(tsBackend)).toBeNull();
  });

  it("gives the JS blocks' words bit for bit: any key, counter run (wrapping past 2³² − 1), x1 and length", () => {
    fc.assert(fc.property(word, word, word, word, fc.integer({ min: 0, max: 41 }), (k0, k1, c0, x1, n) => {
      const got = Array.from(fill(k0, k1, c0, x1, n)!);
      const ref: number[] = [];
      for (let j = 0; j < n; j++) ref.push(...threefry2x32([k0, k1], [(c0 + j) >>> 0, x1]));
      expect(got).toEqual(ref);
    }), { numRuns: 300 });
  });

  it("matches Random123's known answers (through the JS reference it equals)", () => {
    // Random123 kat_vectors: threefry2x32_20 with key and counter all 0 / all 0xffffffff
    expect(Array.from(fill(0, 0, 0, 0, 1)!)).toEqual([0x6b200159, 0x99ba4efe]);
    expect(Array.from(fill(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 1)!)).toEqual([0x1cb996fc, 0xbb002be7]);
  });

  // every bulk draw, on the TS backend (JS loops) and on WASM backends (default thresholds, and all sizes)
  const draws: [string, (k: PRNGKey, n: number) => Tensor | Uint32Array][] = [
    ["randomBits", (k, n) => randomBits(k, n)],
    ["uniform float64", (k, n) => uniform(k, [n], { minval: -2, maxval: 3 })],
    ["uniform float32", (k, n) => uniform(k, [n], { dtype: "float32" })],
    ["normal", (k, n) => normal(k, [n], { mean: 1, std: 2 })],
    ["bernoulli float32", (k, n) => bernoulli(k, 0.3, [n], { dtype: "float32" })],
    ["bernoulli float64", (k, n) => bernoulli(k, 0.7, [n])],
    ...[0, 1, 0.5, 1e-300, 1 - 2 ** -53].map((p): [string, (k: PRNGKey, n: number) => Tensor] => [`bernoulli p=${p}`, (k, n) => bernoulli(k, p, [n])]),
    ["randint", (k, n) => randint(k, [n], -5, 1000)],
    ["permutation", (k, n) => permutation(k, n)],
  ];
  const bitsOf = (r: Tensor | Uint32Array): number[] => Array.from(r instanceof Uint32Array ? r : r.data);
  it("random draws give the same numbers on the TS backend and on WASM backends", () => {
    const prev = getBackend();
    try {
      for (const [name, draw] of draws) {
        for (const n of [0, 1, 7, 15, 16, 17, 33, 1000]) {
          for (const seed of [0, 3, 2 ** 40 + 7]) {
            const run = (b: Backend) => { setBackend(b); return bitsOf(draw(prngKey(seed), n)); };
            const ref = run(tsBackend);
            expect(run(wasmBackend!), `${name} n=${n}`).toEqual(ref);
            expect(run(eager), `${name} n=${n}`).toEqual(ref);
          }
        }
      }
    } finally {
      setBackend(prev);
    }
  });

  it("a jit-compiled draw (bernoulli, uniform, normal in both dtypes) replays other keys through the WASM kernels = eager draws with the JS loops", () => {
    const prev = getBackend();
    try {
      setBackend(wasmBackend!);
      const f = jit((k: PRNGKey) => [bernoulli(k, 0.5, [10, 100], { dtype: "float32" }), uniform(k, [300]), normal(k, [301], { mean: 2 }), normal(k, [64, 5], { dtype: "float32" })]);
      for (const seed of [1, 2, 99, 12345]) {
        setBackend(wasmBackend!);
        const [m, u, z, z32] = f(prngKey(seed)) as Tensor[];
        setBackend(tsBackend);
        expect(Array.from(m!.data)).toEqual(Array.from(bernoulli(prngKey(seed), 0.5, [10, 100], { dtype: "float32" }).data));
        expect(Array.from(u!.data)).toEqual(Array.from(uniform(prngKey(seed), [300]).data));
        expect(Array.from(z!.data)).toEqual(Array.from(normal(prngKey(seed), [301], { mean: 2 }).data));
        expect(Array.from(z32!.data)).toEqual(Array.from(normal(prngKey(seed), [64, 5], { dtype: "float32" }).data));
      }
      expect(f.traceCount).toBe(1);
    } finally {
      setBackend(prev);
    }
  });
});

describe("wasm column sums (regression: FC_SEED=1949953670)", () => {
  it("a sum over leading axes into one element is the reference's full sum (in a double, rounding once), float32", () => {
    const w = createWasmBackend(tsBackend, { thresholds: { colSumMin: 0, sumMin: 0 } });
    if (w === null) return;
    const x = Float32Array.from([5.93783320535517e-33, 1.3573285883735592e-36, 0, 5.93783320535517e-33, 1.3573285883735592e-36]);
    const ref = new Float32Array(1), got = new Float32Array(1);
    tsBackend.reduce("sum", x, [5, 1], [0], ref);
    w.reduce("sum", x, [5, 1], [0], got);
    expect(Object.is(got[0], ref[0])).toBe(true);
  });
});
