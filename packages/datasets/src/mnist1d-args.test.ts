import { describe, expect, it } from "vitest";
import { DatasetArgumentError } from "./errors.js";
import { MNIST1D_DEFAULTS, MNIST1D_PRESETS, resolveMnist1dArgs, type Mnist1dArgs } from "./mnist1d-args.js";
import { makeMnist1d } from "./mnist1d.js";

describe("resolveMnist1dArgs", () => {
  it("fills upstream defaults", () => {
    expect(resolveMnist1dArgs()).toEqual({
      numSamples: 5000,
      trainSplit: 0.8,
      templateLen: 12,
      padding: [36, 60],
      scaleCoeff: 0.4,
      maxTranslation: 48,
      corrNoiseScale: 0.25,
      iidNoiseScale: 0.02,
      shearScale: 0.75,
      shuffleSeq: false,
      finalSeqLength: 40,
      seed: 42,
    });
    expect(resolveMnist1dArgs({ seed: 3 })).toEqual({ ...MNIST1D_DEFAULTS, seed: 3 });
  });

  it("defines the figure 9.5 preset as 8000 samples split 0.5", () => {
    expect(MNIST1D_PRESETS.fig9_5).toEqual({ ...MNIST1D_DEFAULTS, numSamples: 8000, trainSplit: 0.5 });
    expect(MNIST1D_PRESETS.shuffled.shuffleSeq).toBe(true);
  });

  const bad: [string, Partial<Record<keyof Mnist1dArgs, unknown>>, string][] = [
    ["negative numSamples", { numSamples: -5 }, "numSamples"],
    ["fewer than one sample per class", { numSamples: 9 }, "numSamples"],
    ["fractional numSamples", { numSamples: 100.5 }, "numSamples"],
    ["NaN numSamples", { numSamples: Number.NaN }, "numSamples"],
    ["trainSplit 0", { trainSplit: 0 }, "trainSplit"],
    ["trainSplit 1", { trainSplit: 1 }, "trainSplit"],
    ["trainSplit NaN", { trainSplit: Number.NaN }, "trainSplit"],
    ["trainSplit leaving an empty train split", { numSamples: 10, trainSplit: 0.05 }, "trainSplit"],
    ["padding lo > hi", { padding: [40, 36] }, "padding"],
    ["negative padding", { padding: [-1, 3] }, "padding"],
    ["padding not a pair", { padding: [36] }, "padding"],
    ["zero templateLen", { templateLen: 0 }, "templateLen"],
    ["negative scaleCoeff", { scaleCoeff: -0.1 }, "scaleCoeff"],
    ["zero maxTranslation", { maxTranslation: 0 }, "maxTranslation"],
    ["infinite corrNoiseScale", { corrNoiseScale: Number.POSITIVE_INFINITY }, "corrNoiseScale"],
    ["negative iidNoiseScale", { iidNoiseScale: -1 }, "iidNoiseScale"],
    ["NaN shearScale", { shearScale: Number.NaN }, "shearScale"],
    ["non-boolean shuffleSeq", { shuffleSeq: 1 }, "shuffleSeq"],
    ["zero finalSeqLength", { finalSeqLength: 0 }, "finalSeqLength"],
    ["non-integer seed", { seed: 4.2 }, "seed"],
    ["negative seed", { seed: -1 }, "seed"],
    ["seed above 2^32 − 1", { seed: 2 ** 32 }, "seed"],
    ["string seed", { seed: "42" }, "seed"],
    ["unknown argument", { numSample: 100 } as never, "numSample"],
  ];
  it.each(bad)("rejects %s with DatasetArgumentError naming the argument", (_, args, argument) => {
    let caught: unknown;
    try {
      resolveMnist1dArgs(args as Partial<Mnist1dArgs>);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DatasetArgumentError);
    expect(caught).toBeInstanceOf(Error);
    expect((caught as DatasetArgumentError).argument).toBe(argument);
    expect((caught as DatasetArgumentError).name).toBe("DatasetArgumentError");
  });

  it("makeMnist1d validates before generating anything", () => {
    // Ten million samples would take minutes; the bad seed must be reported first.
    expect(() => makeMnist1d({ numSamples: 10_000_000, seed: -1 })).toThrow(DatasetArgumentError);
  });
});
