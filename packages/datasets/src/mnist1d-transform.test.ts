import { describe, expect, it } from "vitest";
import { readF64, readJson, type TraceJson } from "../test/fixtures.js";
import { expectBitEqual } from "../test/helpers.js";
import { DatasetArgumentError } from "./errors.js";
import { mnist1dTemplates } from "./mnist1d-templates.js";
import { mnist1dSampleSteps } from "./mnist1d-transform.js";
import { linspace } from "./numpy-numerics.js";
import { RandomState } from "./random-state.js";

// Reference: n200_seed42 fixture (num_samples 200, seed 42, other arguments default). Tolerance: exact.
const trace = readJson<TraceJson>("n200_seed42/trace.json");
const raw = readF64("n200_seed42/v8_raw.bin");

/** The raw output row that came from generation index `s` (rows were reordered by batch_perm). */
function rawRowOfSample(s: number): Float64Array {
  const row = trace.batch_perm.indexOf(s);
  return raw.subarray(row * 40, (row + 1) * 40);
}

describe("mnist1dSampleSteps", () => {
  it("reproduces the dataset's first sample: same draws and the same raw row", () => {
    const steps = mnist1dSampleSteps(0, { seed: 42 });
    expect(steps.draws).toEqual({
      uPad: trace.u_pad[0],
      p: trace.p[0],
      uScale: trace.u_scale[0],
      scale: trace.scale[0],
      k: trace.k[0],
      uShear: trace.u_shear[0],
      shearCoeff: trace.shear_coeff[0],
    });
    expectBitEqual(steps.downsampled, rawRowOfSample(0), "downsampled");
  });

  it("continues a shared generator, so consecutive calls walk through the dataset's samples", () => {
    const rng = new RandomState(42);
    mnist1dSampleSteps(0, { rng });
    const second = mnist1dSampleSteps(0, { rng });
    expect(second.draws.k).toBe(trace.k[1]);
    expectBitEqual(second.downsampled, rawRowOfSample(1), "sample 1");
  });

  it("returns stages that are consistent with each other", () => {
    const s = mnist1dSampleSteps(3, { seed: 7 });
    const L = 72;
    const { p, scale, k, shearCoeff } = s.draws;
    const template = mnist1dTemplates().x.subarray(36, 48);
    expectBitEqual(s.template, template, "template");
    expect(s.padded.length).toBe(12 + p);
    expectBitEqual(s.padded.subarray(0, 12), Array.from(template, (v) => v + 1e-8), "template + ε");
    expect(Array.from(s.padded.subarray(12))).toEqual(new Array(p).fill(0));
    expect([s.dilated.length, s.scaled.length, s.sheared.length, s.downsampled.length]).toEqual([L, L, L, 40]);
    expectBitEqual(s.scaled, Array.from(s.dilated, (v) => v * scale), "scaled");
    expectBitEqual(s.shifted, Array.from({ length: L }, (_, i) => s.scaled[(i - k + L) % L]!), "shifted");
    for (let i = 0; i < L; i++) {
      expect(s.mask[i]).toBe(s.shifted[i] !== 0 ? 1 : 0);
      expect(s.withCorrNoise[i]).toBe(s.mask[i] ? s.shifted[i] : s.corrNoise[i]);
      expect(s.withIidNoise[i]).toBe(s.withCorrNoise[i]! + s.iidNoise[i]!);
    }
    // Padding shows up as exact zeros, so some positions must have been replaced by noise.
    expect(s.mask.includes(0)).toBe(true);
    const line = linspace(-0.5, 0.5, L);
    expectBitEqual(s.sheared, Array.from(s.withIidNoise, (v, i) => v - shearCoeff * line[i]!), "sheared");
    expect([s.t.template.length, s.t.internal.length, s.t.final.length]).toEqual([12, L, 40]);
  });

  it("honours generator arguments, e.g. a shorter output and no noise", () => {
    const s = mnist1dSampleSteps(1, { seed: 3, finalSeqLength: 20, corrNoiseScale: 0, iidNoiseScale: 0 });
    expect(s.downsampled.length).toBe(20);
    // 0·z is −0 for negative z (as in NumPy), so compare by value.
    expect(s.iidNoise.every((v) => v === 0)).toBe(true);
  });

  it("rejects a label outside 0..9 and a non-RandomState rng", () => {
    expect(() => mnist1dSampleSteps(10)).toThrow(DatasetArgumentError);
    expect(() => mnist1dSampleSteps(0, { rng: {} as RandomState })).toThrow(/rng/);
  });
});

describe("mnist1dSampleSteps argument guard", () => {
  it("names a null options argument", async () => {
    const { mnist1dSampleSteps } = await import("./mnist1d-transform.js");
    expect(() => mnist1dSampleSteps(1, null as never)).toThrow(/^options: must be an options object, got null/);
  });
});
