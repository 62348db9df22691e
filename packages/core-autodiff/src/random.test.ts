import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { type PRNGKey, type Tensor, add, addScaledNormal, bernoulli, foldIn, foldInRange, foldInString, getBackend, grad, jit, mul, normal, permutation, prngKey, randint, randomBits, scalar, setBackend, split, sum, tensor, tsBackend, uniform } from "./index.js";
import { createWasmBackend } from "./wasm/wasm-backend.js";
import { threefry2x32 } from "./random.js";
import { threefryRounds } from "./threefry.js";
import { runs } from "../test/arbitraries.js";
import "../test/matchers.js";

const keyArb = fc.nat({ max: Number.MAX_SAFE_INTEGER }).map(prngKey);

describe("threefry2x32", () => {
  // Known-answer vectors of Random123 (kat_vectors, "threefry2x32 20"), also used by JAX's tests
  it("reproduces the Random123 known-answer vectors", () => {
    expect(threefry2x32([0, 0], [0, 0])).toEqual([0x6b200159, 0x99ba4efe]);
    expect(threefry2x32([0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff])).toEqual([0x1cb996fc, 0xbb002be7]);
    expect(threefry2x32([0x13198a2e, 0x03707344], [0x243f6a88, 0x85a308d3])).toEqual([0xc4923a9c, 0x483df7a0]);
  });
});

describe("Threefry-2x32-13 (addScaledNormal's rounds: 13)", () => {
  // Random123's kat_vectors, "threefry2x32 13" (counter words, then key words, then the result)
  it("reproduces the Random123 known-answer vectors; 20 rounds equal threefry2x32", () => {
    const out = new Uint32Array(2);
    const kat = (ctr: [number, number], key: [number, number]): number[] => { threefryRounds(13, key[0], key[1], ctr[0], ctr[1], out, 0); return [...out]; };
    expect(kat([0, 0], [0, 0])).toEqual([0x9d1c5ec6, 0x8bd50731]);
    expect(kat([0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff])).toEqual([0xfd36d048, 0x2d17272c]);
    expect(kat([0x243f6a88, 0x85a308d3], [0x13198a2e, 0x03707344])).toEqual([0xba3e4725, 0xf27d669e]);
    const w = randomBits(prngKey(9), 400);
    for (let i = 0; i < 400; i += 4) {
      threefryRounds(20, w[i]!, w[i + 1]!, w[i + 2]!, w[i + 3]!, out, 0);
      expect([...out]).toEqual(threefry2x32([w[i]!, w[i + 1]!], [w[i + 2]!, w[i + 3]!]));
    }
  });
});

describe("keys", () => {
  test.prop([keyArb], { numRuns: runs(30) })("the same key gives the same draws (every sampler)", (k) => {
    expect(uniform(k, [5]).toFlatArray()).toEqual(uniform(k, [5]).toFlatArray());
    expect(normal(k, [5]).toFlatArray()).toEqual(normal(k, [5]).toFlatArray());
    expect(bernoulli(k, 0.4, [5]).toFlatArray()).toEqual(bernoulli(k, 0.4, [5]).toFlatArray());
    expect(randint(k, [5], -3, 9).toFlatArray()).toEqual(randint(k, [5], -3, 9).toFlatArray());
    expect(permutation(k, 7).toFlatArray()).toEqual(permutation(k, 7).toFlatArray());
    expect(Array.from(randomBits(k, 3))).toEqual(Array.from(randomBits(k, 3)));
  });

  test.prop([keyArb, fc.integer({ min: 2, max: 40 })], { numRuns: runs(30) })("split keys are pairwise distinct, differ from the parent, and draw different streams", (k, n) => {
    const ks = split(k, n);
    expect(ks).toHaveLength(n);
    const ids = new Set([k, ...ks].map((x) => `${x.k0},${x.k1}`));
    expect(ids.size).toBe(n + 1);
    expect(uniform(ks[0]!, [4]).toFlatArray()).not.toEqual(uniform(ks[1]!, [4]).toFlatArray());
    expect(uniform(ks[0]!, [4]).toFlatArray()).not.toEqual(uniform(k, [4]).toFlatArray());
  });

  test.prop([keyArb, fc.integer(), fc.integer()], { numRuns: runs(30) })("foldIn gives distinct keys for distinct data", (k, a, b) => {
    fc.pre(a >>> 0 !== b >>> 0);
    const [ka, kb] = [foldIn(k, a), foldIn(k, b)];
    expect(`${ka.k0},${ka.k1}`).not.toBe(`${kb.k0},${kb.k1}`);
  });

  test.prop([keyArb, fc.integer({ min: 1, max: 40 })], { numRuns: runs(30) })("foldInRange(k, n) = [foldIn(k, 0), …, foldIn(k, n − 1)]", (k, n) => {
    expect(foldInRange(k, n).map((x) => [x.k0, x.k1])).toEqual(Array.from({ length: n }, (_, i) => [foldIn(k, i).k0, foldIn(k, i).k1]));
  });

  it("foldInRange replays under jit with each call's key, and names its bad arguments", () => {
    const f = jit((k: PRNGKey, x: Tensor) => foldInRange(k, 3).map((ki) => add(x, normal(ki, [2]))));
    const x = tensor([1, 2]);
    for (let i = 0; i < 3; i++) {
      const k = foldIn(prngKey(9), i);
      expect(f(k, x).map((t) => t.toFlatArray())).toEqual([0, 1, 2].map((j) => add(x, normal(foldIn(k, j), [2])).toFlatArray()));
    }
    expect(() => foldInRange(prngKey(0), 0)).toThrow(/foldInRange.*n/);
    expect(() => foldInRange({} as PRNGKey, 2)).toThrow(/foldInRange.*key/);
  });

  it("foldInString separates plugin streams by name, deterministically", () => {
    const k = prngKey(7);
    expect(foldInString(k, "dropout")).toEqual(foldInString(k, "dropout"));
    expect(foldInString(k, "dropout")).not.toEqual(foldInString(k, "weightNoise"));
  });

  it("prngKey uses all 53 bits of the seed", () => {
    expect(prngKey(2 ** 32 + 5)).not.toEqual(prngKey(5));
    expect(uniform(prngKey(2 ** 32 + 5), [2]).toFlatArray()).not.toEqual(uniform(prngKey(5), [2]).toFlatArray());
  });
});

describe("samplers", () => {
  test.prop([keyArb, fc.integer({ min: 1, max: 300 })], { numRuns: runs(30) })("uniform lies in [0, 1) and in [minval, maxval)", (k, n) => {
    for (const v of uniform(k, [n]).data) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
    for (const v of uniform(k, [n], { minval: -3, maxval: -2.5 }).data) {
      expect(v).toBeGreaterThanOrEqual(-3);
      expect(v).toBeLessThan(-2.5);
    }
  });

  it("uniform stays half-open when rounding to the dtype would reach maxval (regression)", () => {
    // an interval one float32 ulp wide: every draw must be exactly minval, never maxval
    const a = uniform(prngKey(3), [1000], { minval: 1, maxval: 1 + 2 ** -23, dtype: "float32" });
    expect(new Set(a.data)).toEqual(new Set([1]));
    const b = uniform(prngKey(3), [1000], { minval: 1, maxval: 1 + 2 ** -52 });
    expect(new Set(b.data)).toEqual(new Set([1]));
    const c = uniform(prngKey(4), [1000], { minval: -(2 ** -149), maxval: 0, dtype: "float32" });
    expect(new Set(c.data)).toEqual(new Set([-(2 ** -149)]));
  });

  it("uniform has mean ½ and variance 1/12 within 5 standard errors (n = 200 000)", () => {
    const n = 200_000;
    const u = Array.from(uniform(prngKey(11), [n]).data);
    const m = u.reduce((a, b) => a + b, 0) / n;
    const v = u.reduce((a, b) => a + (b - m) ** 2, 0) / n;
    expect(m).toBeAllclose(0.5, { rtol: 0, atol: 5 * Math.sqrt(1 / 12 / n) });
    // Var of the sample variance of U(0,1): (1/80 − 1/144)/n
    expect(v).toBeAllclose(1 / 12, { rtol: 0, atol: 5 * Math.sqrt((1 / 80 - 1 / 144) / n) });
  });

  it("normal has mean 0, variance 1 and P(|z| < 1) ≈ 0.6827 within 5 standard errors (n = 200 000)", () => {
    const n = 200_000;
    const z = Array.from(normal(prngKey(3), [n]).data);
    const m = z.reduce((a, b) => a + b, 0) / n;
    const v = z.reduce((a, b) => a + (b - m) ** 2, 0) / n;
    const inside = z.filter((x) => Math.abs(x) < 1).length / n;
    expect(m).toBeAllclose(0, { rtol: 0, atol: 5 / Math.sqrt(n) });
    expect(v).toBeAllclose(1, { rtol: 0, atol: 5 * Math.sqrt(2 / n) });
    const p = 0.682689492137;
    expect(inside).toBeAllclose(p, { rtol: 0, atol: 5 * Math.sqrt((p * (1 - p)) / n) });
  });

  it("normal honours mean and std, and has an odd length handled (last pair half used)", () => {
    const n = 100_001;
    const z = Array.from(normal(prngKey(5), [n], { mean: 2, std: 0.5 }).data);
    const m = z.reduce((a, b) => a + b, 0) / n;
    expect(z).toHaveLength(n);
    expect(m).toBeAllclose(2, { rtol: 0, atol: (5 * 0.5) / Math.sqrt(n) });
    expect(normal(prngKey(5), [4], { std: 0 }).toFlatArray()).toEqual([0, 0, 0, 0]);
  });

  it("bernoulli hits rate p within 5 standard errors, and p = 0 / 1 are exact", () => {
    const n = 100_000, p = 0.3;
    const b = Array.from(bernoulli(prngKey(9), p, [n]).data);
    expect(b.every((v) => v === 0 || v === 1)).toBe(true);
    expect(b.reduce((a, c) => a + c, 0) / n).toBeAllclose(p, { rtol: 0, atol: 5 * Math.sqrt((p * (1 - p)) / n) });
    expect(bernoulli(prngKey(9), 0, [50]).toFlatArray().every((v) => v === 0)).toBe(true);
    expect(bernoulli(prngKey(9), 1, [50]).toFlatArray().every((v) => v === 1)).toBe(true);
  });

  test.prop([keyArb, fc.integer({ min: -50, max: 50 }), fc.integer({ min: 1, max: 20 })], { numRuns: runs(30) })("randint draws int32 values in [lo, hi)", (k, lo, span) => {
    const r = randint(k, [64], lo, lo + span);
    expect(r.dtype).toBe("int32");
    for (const v of r.data) {
      expect(v).toBeGreaterThanOrEqual(lo);
      expect(v).toBeLessThan(lo + span);
    }
  });

  test.prop([keyArb, fc.integer({ min: 0, max: 200 })], { numRuns: runs(40) })("permutation is a permutation of 0…n−1", (k, n) => {
    const p = permutation(k, n);
    expect(p.dtype).toBe("int32");
    expect(p.shape).toEqual([n]);
    expect(Array.from(p.data).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it("permutation is uniform: each of the 6 orders of 3 items appears ≈ 1/6 of the time", () => {
    const counts = new Map<string, number>();
    const n = 6000;
    split(prngKey(21), n).forEach((k) => {
      const s = permutation(k, 3).toFlatArray().join("");
      counts.set(s, (counts.get(s) ?? 0) + 1);
    });
    expect(counts.size).toBe(6);
    const se = Math.sqrt((1 / 6) * (5 / 6) / n);
    for (const c of counts.values()) expect(c / n).toBeAllclose(1 / 6, { rtol: 0, atol: 5 * se });
  });
});

describe("bernoulli", () => {
  test.prop([keyArb, fc.integer({ min: 1, max: 300 }), fc.double({ min: 0, max: 1, noNaN: true })], { numRuns: runs(30) })("draws u < p from the same 53-bit uniforms as uniform()", (k, n, p) => {
    const u = uniform(k, [n]).toFlatArray(), b = bernoulli(k, p, [n]).toFlatArray();
    expect(b).toEqual(u.map((x) => (x < p ? 1 : 0)));
  });
});

describe("bernoulli: the fused WASM kernel and the JS loop", () => {
  // the default backend draws with the WASM kernel (threefry + integer compare) from 16 elements on;
  // the TS backend runs the JS loop (float compare): same 0/1 values in both dtypes at every length
  test.prop([keyArb, fc.integer({ min: 0, max: 70 }), fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1, 0.5, 0.9, 2 ** -26, 1 - 2 ** -53))], { numRuns: runs(40) })(
    "agree bit for bit (float32 and float64)",
    (k, n, p) => {
      for (const dtype of ["float32", "float64"] as const) {
        const w = bernoulli(k, p, [n], { dtype });
        const prev = setBackend(tsBackend);
        let t;
        try {
          t = bernoulli(k, p, [n], { dtype });
        } finally {
          setBackend(prev);
        }
        expect(w.dtype).toBe(dtype);
        expect(Array.from(w.data)).toEqual(Array.from(t.data));
      }
    },
  );
});

describe("bernoulli at the edges of p·2⁵³", () => {
  // the WASM-bits path compares integers (hi < H, or hi = H and lo < L): p at, just above and just
  // below a multiple of 2⁻²⁶ (so that draws meet hi = H), integers and non-integers of p·2⁵³
  it("matches uniform() < p for p near k·2⁻²⁶ and at 0, 1, tiny", () => {
    const k = prngKey(123);
    const u = uniform(k, [4096]).toFlatArray();
    const ps = [0, 1, 2 ** -53, 3 * 2 ** -54, 1 - 2 ** -53, 0.5, 0.1, 0.9];
    for (const j of [1, 7, 33554432, 67108863]) for (const d of [-(2 ** -53), 0, 2 ** -53, 2 ** -60]) ps.push(j * 2 ** -26 + d);
    // p with hi = H for some draw: take a draw's own value, and its neighbours
    for (const x of u.slice(0, 8)) ps.push(x, x + 2 ** -53, x - 2 ** -53, Math.floor(x * 2 ** 26) / 2 ** 26);
    for (const p of ps.filter((q) => q >= 0 && q <= 1)) {
      expect(bernoulli(k, p, [4096]).toFlatArray(), `p = ${p}`).toEqual(u.map((x) => (x < p ? 1 : 0)));
    }
  });
});

describe("addScaledNormal: scale·x + std·z in one pass", () => {
  const wasm = createWasmBackend(tsBackend, { thresholds: { threefryMin: 0 } })!;
  const bytes = (t: Tensor): Uint8Array => new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  const onBackend = <T>(b: typeof tsBackend, f: () => T): T => {
    const prev = setBackend(b);
    try { return f(); } finally { setBackend(prev); }
  };

  it("is add(mul(x, scale), mul(normal(key, x.shape), std)) bit for bit: both backends, both dtypes, numbers and tensors, tails of 16", () => {
    for (const [t, len] of [1, 7, 16, 17, 31, 100, 1000, 4001].entries()) {
      for (const dtype of ["float64", "float32"] as const) {
        const key = prngKey(700 + t), x = normal(prngKey(900 + t), [len], { dtype, std: 3 });
        const [a, sd] = t % 2 ? [-1e-3, Math.sqrt(2e-3 / 4000)] : [1, 0.7];
        const ref = onBackend(tsBackend, () => add(mul(x, a), mul(normal(key, [len], { dtype }), sd)));
        for (const b of [tsBackend, wasm]) {
          const got = onBackend(b, () => addScaledNormal(key, x, a, sd));
          const gotT = onBackend(b, () => addScaledNormal(key, x, scalar(a), scalar(sd)));
          expect(got.dtype).toBe(dtype);
          expect(bytes(got)).toEqual(bytes(ref));
          expect(bytes(gotT)).toEqual(bytes(ref));
        }
      }
    }
  });

  it("replays under jit with a new key and new scalars each call, as eager (resident WASM plan)", () => {
    const f = jit((k: PRNGKey, x: Tensor, a: Tensor, sd: Tensor) => addScaledNormal(k, x, a, sd));
    const x = normal(prngKey(1), [50, 30]);
    for (let i = 0; i < 4; i++) {
      const k = foldIn(prngKey(5), i), a = scalar(0.5 + i), sd = scalar(1 / (i + 1));
      expect(bytes(f(k, x, a, sd))).toEqual(bytes(addScaledNormal(k, x, a, sd)));
    }
    expect(getBackend().name).toBe("wasm");
  });

  it("is differentiable in x: the gradient of Σ(scale·x + std·z) is scale", () => {
    const g = grad((x: Tensor) => sum(addScaledNormal(prngKey(3), x, 2.5, 0.1)))(tensor([1, 2, 3]));
    expect(Array.from(g.data)).toEqual([2.5, 2.5, 2.5]);
  });

  it("rounds: 13 draws its z from Threefry-2x32-13 (the same kernel with the other generator); differentiable alike", () => {
    const x = normal(prngKey(2), [300]), key = prngKey(8);
    const z13 = addScaledNormal(key, x, 0, 1, { rounds: 13 }), z20 = addScaledNormal(key, x, 0, 1);
    expect(bytes(z20)).toEqual(bytes(normal(key, [300])));
    expect(Array.from(z13.data).filter((v, i) => v === z20.data[i]).length).toBe(0);
    expect(bytes(addScaledNormal(key, x, 0.5, 2, { rounds: 13 }))).toEqual(bytes(add(mul(x, 0.5), mul(z13, 2))));
    const g = grad((v: Tensor) => sum(mul(addScaledNormal(key, v, 1, 1, { rounds: 13 }), z13)))(x);
    expect(bytes(g)).toEqual(bytes(z13));
  });

  it("bad input: a non-key, a non-float x, a scale tensor that is not a float64 scalar", () => {
    expect(() => addScaledNormal(7 as never, tensor([1]), 1, 1)).toThrow(/addScaledNormal.*key/);
    expect(() => addScaledNormal(prngKey(0), tensor([1], { dtype: "int32" }), 1, 1)).toThrow(/addScaledNormal.*float32 or float64/);
    expect(() => addScaledNormal(prngKey(0), tensor([1]), tensor([1, 2]), 1)).toThrow(/addScaledNormal.*scale/);
    expect(() => addScaledNormal(prngKey(0), tensor([1]), 1, Number.NaN)).toThrow(/addScaledNormal.*std/);
    expect(() => addScaledNormal(prngKey(0), tensor([1]), 1, 1, { rounds: 12 as never })).toThrow(/addScaledNormal.*rounds must be 13 or 20/);
  });
});
