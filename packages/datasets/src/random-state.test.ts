import { describe, expect, it } from "vitest";
import { readJson } from "../test/fixtures.js";
import { expectBitEqual } from "../test/helpers.js";
import { DatasetArgumentError } from "./errors.js";
import { RandomState } from "./random-state.js";

// Reference: shared/fixtures/mnist1d/rng_vectors.json (NumPy 1.24.2 legacy RandomState). Tolerance: exact.
interface SeedVectors {
  seed: number;
  state_after_seeding: { key_first5: number[]; key_623: number; pos: number };
  uint32_first20: number[];
  random_sample_first10: number[];
  rand_scalar_first10: number[];
  standard_normal_first10: number[];
  permutation_10: number[];
  permutation_5000_first20: number[];
  choice48_first10: number[];
}
interface PolarPair {
  u1: number;
  u2: number;
  x1: number;
  x2: number;
  r2: number;
  rejected: boolean;
  log_v8?: number;
  normal_first_returned_v8?: number;
  normal_cached_second_v8?: number;
}
const vectors = readJson<Record<string, unknown>>("rng_vectors.json");
const seeds = ["42", "0", "1234", "4294967295"].map((k) => vectors[k] as SeedVectors);

describe("RandomState seeding (init_genrand)", () => {
  it.each(seeds.map((v) => [v.seed, v] as const))("matches NumPy's state words after seed(%i)", (seed, v) => {
    const state = new RandomState(seed).getState();
    expect(Array.from(state.key.subarray(0, 5))).toEqual(v.state_after_seeding.key_first5);
    expect(state.key[623]).toBe(v.state_after_seeding.key_623);
    expect(state.pos).toBe(v.state_after_seeding.pos);
    expect(state.hasGauss).toBe(false);
  });
});

describe.each(seeds.map((v) => [v.seed, v] as const))("RandomState(%i) streams", (seed, v) => {
  it("yields NumPy's first 20 raw uint32 words", () => {
    const rng = new RandomState(seed);
    expect(Array.from({ length: 20 }, () => rng.nextUint32())).toEqual(v.uint32_first20);
  });
  it("yields NumPy's random_sample values as an array and as scalars", () => {
    expectBitEqual(new RandomState(seed).randomSample(10), v.random_sample_first10, "random_sample(10)");
    const rng = new RandomState(seed);
    expectBitEqual(Array.from({ length: 10 }, () => rng.rand()), v.rand_scalar_first10, "rand()");
  });
  it("yields NumPy's standard_normal values (polar method, cached pair)", () => {
    expectBitEqual(new RandomState(seed).standardNormal(10), v.standard_normal_first10, "standard_normal");
    const rng = new RandomState(seed);
    expectBitEqual(Array.from({ length: 10 }, () => rng.randn()), v.standard_normal_first10, "randn()");
  });
  it("yields NumPy's permutations", () => {
    expect(Array.from(new RandomState(seed).permutation(10))).toEqual(v.permutation_10);
    expect(Array.from(new RandomState(seed).permutation(5000).subarray(0, 20))).toEqual(v.permutation_5000_first20);
  });
  it("yields NumPy's choice(48) draws", () => {
    const rng = new RandomState(seed);
    expect(Array.from({ length: 10 }, () => rng.choice(48))).toEqual(v.choice48_first10);
  });
});

describe("RandomState polar method details (seed 42)", () => {
  const pairs = (vectors.polar_breakdown_seed42 as { pairs: PolarPair[] }).pairs;

  it("consumes uniforms in pairs, rejects r² ≥ 1 and returns f·x2 before the cached f·x1", () => {
    const uniforms = new RandomState(42).randomSample(2 * pairs.length);
    const rng = new RandomState(42);
    pairs.forEach((pair, i) => {
      expect(uniforms[2 * i]).toBe(pair.u1);
      expect(uniforms[2 * i + 1]).toBe(pair.u2);
      const x1 = 2 * pair.u1 - 1;
      const x2 = 2 * pair.u2 - 1;
      expect([x1, x2, x1 * x1 + x2 * x2]).toEqual([pair.x1, pair.x2, pair.r2]);
      expect(pair.r2 >= 1).toBe(pair.rejected);
      if (!pair.rejected) {
        expect(Math.log(pair.r2)).toBe(pair.log_v8);
        expect(rng.standardNormal()).toBe(pair.normal_first_returned_v8);
        expect(rng.standardNormal()).toBe(pair.normal_cached_second_v8);
      }
    });
    expect(pairs.some((p) => p.rejected)).toBe(true);
  });

  it("keeps the cached normal across interleaved uniform draws", () => {
    const spec = vectors.cache_semantics_seed42 as { values: number[]; cached_gauss_after: number };
    const rng = new RandomState(42);
    const got = [rng.randn(), rng.rand(), rng.randn(), rng.randn()];
    expectBitEqual(got, spec.values, "randn, rand, randn, randn");
    const state = rng.getState();
    expect(state.hasGauss).toBe(true);
    expect(state.cachedGaussian).toBe(spec.cached_gauss_after);
  });

  it("uses V8 Math.log values listed for the pairs where V8 and glibc differ", () => {
    const { examples } = vectors.log_discrepancy_examples_seed42 as {
      examples: { r2: number; log_v8: number; log_glibc: number }[];
    };
    expect(examples.length).toBeGreaterThan(0);
    for (const e of examples) expect(Math.log(e.r2)).toBe(e.log_v8);
  });

  it("matches NumPy's permutations of sizes 1, 2, 3, 40 and 100", () => {
    const sizes = vectors.permutation_seed42_sizes as Record<string, number[]>;
    for (const [n, perm] of Object.entries(sizes)) {
      expect(Array.from(new RandomState(42).permutation(Number(n)))).toEqual(perm);
    }
  });

  it("draws nothing for choice(1)", () => {
    const spec = vectors.choice1_consumes_nothing_seed42 as { choice1: number; next_rand: number };
    const rng = new RandomState(42);
    expect(rng.choice(1)).toBe(spec.choice1);
    expect(rng.rand()).toBe(spec.next_rand);
  });
});

// Reference values printed by NumPy 2.4.6 (legacy RandomState, unchanged since 1.x). Tolerance: exact.
describe("RandomState against further NumPy vectors", () => {
  it("seeds from an array with init_by_array", () => {
    const rng = new RandomState([1, 2, 3]);
    expect(Array.from({ length: 5 }, () => rng.nextUint32())).toEqual([
      2619334238, 1552691353, 3808334787, 2540200029, 2045850693,
    ]);
    // Python's random.seed(42) is init_by_array([42]); random.random() = 0.6394267984578837.
    expectBitEqual(new RandomState([42]).randomSample(3), [0.6394267984578837, 0.025010755222666936, 0.27502931836911926]);
  });

  it("draws randint over ranges wider than 32 bits from high-word-first 64-bit words", () => {
    expect(Array.from(new RandomState(7).randint(0, 2 ** 40 + 12345, 4))).toEqual([
      752595690692, 108744157686, 291964244179, 309610205529,
    ]);
    expect(Array.from(new RandomState(7).randint(-5, 2 ** 53 - 6, 4))).toEqual([
      2516435200042175, 2465213813631473, 7765043079598286, 5914923542591074,
    ]);
  });

  it("matches uniform(lo, hi, n) and normal(loc, scale, n)", () => {
    expectBitEqual(new RandomState(3).uniform(-2.5, 7, 5), [
      2.7325800744584674, 4.227404314871996, 0.2635950196729713, 2.3528622493777984, 5.98299606630272,
    ]);
    expectBitEqual(new RandomState(3).normal(1.5, 0.3, 5), [
      2.0365885420290954, 1.6309529551535968, 1.5289492404216025, 0.9409521889906528, 1.4167835392456802,
    ]);
  });

  it("matches choice with p, with and without replacement, and choice without replacement", () => {
    const p = [0.1, 0.2, 0.3, 0.15, 0.25];
    expect(Array.from(new RandomState(11).choice(5, 12, { p }))).toEqual([1, 0, 2, 3, 2, 2, 0, 2, 4, 4, 3, 1]);
    expect(Array.from(new RandomState(11).choice(6, 4, { replace: false, p: [...p, 0] }))).toEqual([1, 0, 2, 3]);
    expect(Array.from(new RandomState(11).choice(10, 4, { replace: false }))).toEqual([7, 8, 2, 6]);
  });

  it("matches scalar and array randint with one and two bounds", () => {
    const rng = new RandomState(11);
    expect([rng.randint(3, 9), rng.randint(100), Array.from(rng.randint(-10, -3, 4))]).toEqual([
      4,
      63,
      [-10, -7, -9, -5],
    ]);
  });

  it("shuffles like NumPy's legacy shuffle and reports NumPy's get_state fields", () => {
    const a = [0, 1, 2, 3, 4, 5, 6];
    new RandomState(5).shuffle(a);
    expect(a).toEqual([6, 2, 4, 1, 0, 5, 3]);
    const rng = new RandomState(9);
    rng.standardNormal();
    const s = rng.getState();
    expect([s.pos, s.hasGauss, s.cachedGaussian, s.key[0]]).toEqual([4, true, -0.2895440692501988, 3797526626]);
  });
});

describe("RandomState state", () => {
  it("resumes exactly from getState/setState, including a cached normal", () => {
    const rng = new RandomState(2024);
    rng.randomSample(700);
    rng.standardNormal();
    const snapshot = rng.getState();
    const expected = [rng.standardNormal(), rng.rand(), rng.choice(1000), rng.standardNormal()];
    const other = new RandomState(1);
    other.setState(snapshot);
    expect([other.standardNormal(), other.rand(), other.choice(1000), other.standardNormal()]).toEqual(expected);
  });

  it("returns a copy from getState, so later draws do not alter a snapshot", () => {
    const rng = new RandomState(5);
    const snapshot = rng.getState();
    const before = snapshot.key.slice();
    rng.randomSample(1000);
    expect(snapshot.key).toEqual(before);
  });

  it("clears the cached normal when reseeded", () => {
    const rng = new RandomState(42);
    rng.standardNormal();
    rng.seed(42);
    expect(rng.getState().hasGauss).toBe(false);
    expect(rng.standardNormal()).toBe(0.4967141530112327);
  });
});

describe("RandomState argument errors", () => {
  const cases: [string, () => unknown, string][] = [
    ["negative seed", () => new RandomState(-1), "seed"],
    ["seed above 2^32 − 1", () => new RandomState(2 ** 32), "seed"],
    ["fractional seed", () => new RandomState(1.5), "seed"],
    ["NaN seed", () => new RandomState(Number.NaN), "seed"],
    ["empty seed array", () => new RandomState([]), "seed"],
    ["bad seed array entry", () => new RandomState([1, -2]), "seed[1]"],
    ["negative size", () => new RandomState(1).randomSample(-1), "size"],
    ["randint low ≥ high", () => new RandomState(1).randint(5, 5), "high"],
    ["randint non-integer", () => new RandomState(1).randint(0.5, 4), "low"],
    ["randint range above 2^53", () => new RandomState(1).randint(-(2 ** 52), 2 ** 53), "high"],
    ["choice from nothing", () => new RandomState(1).choice(0), "n"],
    ["choice too many without replacement", () => new RandomState(1).choice(3, 4, { replace: false }), "size"],
    ["choice p of wrong length", () => new RandomState(1).choice(3, 2, { p: [0.5, 0.5] }), "p"],
    ["choice p not summing to 1", () => new RandomState(1).choice(2, 2, { p: [0.5, 0.6] }), "p"],
    ["choice negative p", () => new RandomState(1).choice(2, 2, { p: [1.5, -0.5] }), "p"],
    // an unknown key was ignored (fuzz, seed 271828)
    ["choice unknown option", () => new RandomState(1).choice(1, 0, { reduction: "avg" } as never), "options.reduction"],
    ["choice options not an object", () => new RandomState(1).choice(3, 1, ["a"] as never), "options"],
    ["normal negative scale", () => new RandomState(1).normal(0, -1), "scale"],
    ["uniform NaN bound", () => new RandomState(1).uniform(Number.NaN, 1), "low"],
    ["setState wrong kind", () => new RandomState(1).setState({ ...new RandomState(1).getState(), kind: "PCG" as "MT19937" }), "state.kind"],
    ["setState bad pos", () => new RandomState(1).setState({ ...new RandomState(1).getState(), pos: 625 }), "state.pos"],
  ];
  it.each(cases)("rejects %s with a DatasetArgumentError naming the argument", (_, run, argument) => {
    expect(run).toThrow(DatasetArgumentError);
    try {
      run();
    } catch (error) {
      expect((error as DatasetArgumentError).argument).toBe(argument);
    }
  });

  it("does not advance the stream when an argument is rejected", () => {
    const rng = new RandomState(42);
    expect(() => rng.choice(3, 5, { replace: false })).toThrow(DatasetArgumentError);
    expect(rng.rand()).toBe(0.3745401188473625);
  });
});

describe("shuffle argument guard", () => {
  it("refuses what is not an array or a typed array, instead of a TypeError or a silent no-op", () => {
    const rng = new RandomState(1);
    for (const bad of [undefined, null, () => 1, "abc", { length: 3 }]) expect(() => rng.shuffle(bad as never), String(bad)).toThrow(/^x: must be an array or a typed array/);
    const a = [1, 2, 3];
    rng.shuffle(a);
    expect([...a].sort()).toEqual([1, 2, 3]);
  });
});
