import { beforeAll, describe, expect, it } from "vitest";
import {
  manifest,
  readF64,
  readI32,
  readJson,
  sha256,
  toArgs,
  type ManifestVariant,
  type TraceJson,
} from "../test/fixtures.js";
import { expectAllClose, expectBitEqual, parseHexFloat } from "../test/helpers.js";
import { MNIST1D_DEFAULTS, MNIST1D_PRESETS } from "./mnist1d-args.js";
import { generateMnist1dRaw, makeMnist1d, mnist1dSplits, type Mnist1dDataset, type Mnist1dRaw } from "./mnist1d.js";

// Reference: shared/fixtures/mnist1d (upstream greydanus/mnist1d 7878d96 run under NumPy 1.24.2 / SciPy 1.10.1).
// `v8_*` flavour: exact. `orig` (glibc log) and `pkl` (shipped mnist1d_data.pkl) flavours: |Δ| ≤ 1e-12.
const FLAVOUR_ATOL = 1e-12;
const variants = Object.entries(manifest.variants);

function counts(y: Int32Array): number[] {
  const c = new Array<number>(10).fill(0);
  for (const v of y) c[v]! += 1;
  return c;
}

describe("fixture integrity", () => {
  it.each(variants.map(([name, v]) => [name, v] as const))("%s files match manifest SHA-256", (_, v) => {
    for (const file of Object.values(v.files)) expect(sha256(file.path), file.path).toBe(file.sha256);
  });
});

describe.each(variants.map(([name, v]) => [name, v] as const))("makeMnist1d on fixture %s", (name, v: ManifestVariant) => {
  let raw: Mnist1dRaw;
  let data: Mnist1dDataset;
  beforeAll(() => {
    raw = generateMnist1dRaw(toArgs(v.args));
    data = makeMnist1d(toArgs(v.args));
  });

  it("reproduces every per-sample draw and both permutations exactly", () => {
    const trace = readJson<TraceJson>(`${name}/trace.json`);
    expectBitEqual(raw.trace.uPad, trace.u_pad, "u_pad");
    expect(Array.from(raw.trace.p)).toEqual(trace.p);
    expectBitEqual(raw.trace.uScale, trace.u_scale, "u_scale");
    expectBitEqual(raw.trace.scale, trace.scale, "scale");
    expect(Array.from(raw.trace.k)).toEqual(trace.k);
    expectBitEqual(raw.trace.uShear, trace.u_shear, "u_shear");
    expectBitEqual(raw.trace.shearCoeff, trace.shear_coeff, "shear_coeff");
    expect(Array.from(raw.trace.batchPerm)).toEqual(trace.batch_perm);
    expect(raw.trace.seqPerm === null ? null : Array.from(raw.trace.seqPerm)).toEqual(trace.seq_perm);
  });

  it("has the manifest's shapes, labels, time axis and class counts", () => {
    expect(data.shape).toEqual({ train: [v.n_train, v.seq_len], test: [v.n_test, v.seq_len] });
    expect(data.x.length).toBe(v.n_train * v.seq_len);
    expect(data.xTest.length).toBe(v.n_test * v.seq_len);
    expect(Array.from(data.y)).toEqual(Array.from(readI32(`${name}/y_train.bin`)));
    expect(Array.from(data.yTest)).toEqual(Array.from(readI32(`${name}/y_test.bin`)));
    expectBitEqual(data.t, readF64(`${name}/t.bin`), "t");
    expect({ train: counts(data.y), test: counts(data.yTest) }).toEqual(v.label_counts);
  });

  it("normalises with the v8 flavour's mean and std, bit for bit", () => {
    expect(data.normalisation.mean).toBe(parseHexFloat(v.normalisation.v8.mean.hex));
    expect(data.normalisation.std).toBe(parseHexFloat(v.normalisation.v8.std.hex));
  });

  it("equals the v8 flavour bit for bit (train and test)", () => {
    expectBitEqual(data.x, readF64(`${name}/v8_x_train.bin`), "v8_x_train");
    expectBitEqual(data.xTest, readF64(`${name}/v8_x_test.bin`), "v8_x_test");
  });

  // The default variant ships the pickle instead of raw/orig arrays; it is compared below.
  if (v.files.v8_raw !== undefined) it("equals the v8 raw (pre-normalisation) rows bit for bit", () => {
    expectBitEqual(raw.x, readF64(`${name}/v8_raw.bin`), "v8_raw");
    expectAllClose(raw.x, readF64(`${name}/raw.bin`), { atol: FLAVOUR_ATOL }, "orig raw");
  });

  if (v.files.x_train !== undefined) it("is within 1e-12 of the orig flavour (upstream Python, glibc log)", () => {
    expectAllClose(data.x, readF64(`${name}/x_train.bin`), { atol: FLAVOUR_ATOL }, "x_train");
    expectAllClose(data.xTest, readF64(`${name}/x_test.bin`), { atol: FLAVOUR_ATOL }, "x_test");
  });
});

describe("makeMnist1d default dataset against the shipped pickle", () => {
  let data: Mnist1dDataset;
  beforeAll(() => {
    data = makeMnist1d();
  });

  it("is within 1e-12 of mnist1d_data.pkl and of the orig flavour derived from it", () => {
    const pklTrain = readF64("default/pkl_x_train.bin");
    const pklTest = readF64("default/pkl_x_test.bin");
    const worst = Math.max(
      expectAllClose(data.x, pklTrain, { atol: FLAVOUR_ATOL }, "pkl x"),
      expectAllClose(data.xTest, pklTest, { atol: FLAVOUR_ATOL }, "pkl x_test"),
    );
    // The differences come only from 1-ulp log() discrepancies, so they stay at the 1e-15 level.
    expect(worst).toBeLessThan(1e-14);
    const orig = new Float64Array([...pklTrain, ...pklTest]);
    const { entries } = readJson<{ entries: [number, number, number][] }>("default/orig_vs_pkl_diff.json");
    for (const [row, col, value] of entries) orig[row * 40 + col] = value;
    expectAllClose(new Float64Array([...data.x, ...data.xTest]), orig, { atol: FLAVOUR_ATOL }, "orig");
  });

  it("matches the test vectors quoted in CHAPTER9.md §1.4", () => {
    expectAllClose(
      data.x.subarray(0, 6),
      [-0.33200567, -0.47191037, -0.77869708, -1.00974083, -0.88235257, 0.10393481],
      { atol: 5e-9 },
    );
    expect(Array.from(data.y.subarray(0, 10))).toEqual([2, 6, 4, 5, 6, 6, 6, 0, 3, 1]);
  });

  it("is the result of the default arguments and the default preset", () => {
    expect(data.args).toEqual(MNIST1D_DEFAULTS);
    expect(MNIST1D_PRESETS.default).toBe(MNIST1D_DEFAULTS);
  });

  it("exposes the splits as views for training helpers", () => {
    const { train, test } = mnist1dSplits(data);
    expect([train.n, train.dim, test.n, test.dim]).toEqual([4000, 40, 1000, 40]);
    expect(train.x).toBe(data.x);
  });
});

describe("makeMnist1d preset fig9_5 (UDL figure 9.5, notebook 8.3)", () => {
  it("gives 4000/4000 and matches the CHAPTER9.md §1.4 test vectors", () => {
    const data = makeMnist1d(MNIST1D_PRESETS.fig9_5);
    expect(data.shape).toEqual({ train: [4000, 40], test: [4000, 40] });
    expectAllClose(
      data.x.subarray(0, 6),
      [-0.79053787, -0.71154114, -0.50341179, -0.20761472, -0.24208785, -0.30772455],
      { atol: 5e-9 },
    );
    expect(Array.from(data.y.subarray(0, 20))).toEqual([8, 8, 2, 1, 8, 3, 4, 0, 3, 7, 6, 9, 6, 4, 7, 5, 7, 2, 6, 6]);
    expect(Array.from(data.yTest.subarray(0, 10))).toEqual([0, 8, 6, 8, 6, 5, 3, 2, 1, 0]);
    expect(counts(data.y)).toEqual([394, 412, 407, 412, 407, 394, 395, 393, 382, 404]);
  });
});
