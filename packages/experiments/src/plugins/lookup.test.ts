import { fit, mlp } from "@regularize/core-train";
import { tinyClassification } from "@regularize/core-train/testing";
import { sgd } from "@regularize/optim";
import { describe, expect, it } from "vitest";
import { ExperimentParamsError } from "../errors.js";
import { describeParams } from "../params.js";
import { UnknownPluginError } from "./catalog.js";
import { createPlugin, listPlugins, resolvePluginOptions } from "./lookup.js";

/** The least options each plugin needs (everything else has a default). */
const MINIMAL: Record<string, Record<string, unknown>> = {
  l2: { lambda: 1e-3 }, l1: { lambda: 1e-3 }, l1Prox: { lambda: 1e-3, learningRate: 0.1 }, elasticNet: { l1: 1e-3, l2: 1e-3 },
  lp: { lambda: 1e-3, p: 1.5 }, groupLasso: { lambda: 1e-3 }, l0Gates: { lambda: 1e-3 }, spectralPenalty: { lambda: 1e-3 },
  spectralNormalization: {}, maxNorm: { c: 3 }, activity: { lambda: 1e-3 }, inputGradient: { lambda: 1e-3 },
  dropout: {}, gaussianDropout: { rate: 0.2 }, uniformDropout: { rate: 0.2 }, betaDropout: { rate: 0.2 }, dropConnect: { rate: 0.2 },
  inputNoise: { sigma: 0.1 }, weightNoise: { sigma: 0.01 }, labelSmoothing: { rho: 0.1, classes: 3 }, disturbLabel: { alpha: 0.1, classes: 3 },
  gradientNoise: { eta: 0.01 }, adversarial: { epsilon: 0.05 },
  weightDecay: { rate: 1e-3 }, earlyStopping: {}, modifiedLoss: { alpha: 0.1 }, sam: {}, flooding: { level: 0.1 }, entropySgd: { innerSteps: 2 },
  sharpnessMonitor: { every: 2, iters: 3, samples: 2 },
  swa: { startEpoch: 0 }, ema: {}, snapshot: { cycleSteps: 2 }, fge: { startStep: 0, cycleSteps: 2 },
  augment: {},
  sgld: { learningRate: 0.1, dataSize: 12 }, sghmc: { learningRate: 0.1, dataSize: 12 }, posteriorSamples: {}, gaussianPrior: { variance: 1, dataSize: 12 },
  bayesByBackprop: { dataSize: 12 },
  l2sp: { alpha: 1e-2 },
};
/** Plugins that need a problem of their own kind (multi-task losses, pretext tasks); their files train them. */
const TESTED_ELSEWHERE = ["pcgrad", "uncertaintyWeighting", "gradNorm", "pretextTask"]; // transfer.test.ts

// core-train's small 3-class problem (4-D Gaussian blobs), the one its conformance suite trains on.
const { data, validation } = tinyClassification();

describe("plugin catalog", () => {
  it("lists every plugin of penalties, noise and optim once, each with a description and a strict schema", () => {
    const names = listPlugins().map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.sort()).toEqual([...Object.keys(MINIMAL), ...TESTED_ELSEWHERE].sort());
    for (const p of listPlugins()) {
      expect(p.description.length).toBeGreaterThan(10);
      expect(p.options.type).toBe("strict_object");
      for (const o of describeParams(p.options)) expect(o.type).not.toBe("unknown");
    }
  });

  for (const [name, options] of Object.entries(MINIMAL)) {
    it(`${name}: creates from its options and trains 4 finite steps`, async () => {
      const plugin = createPlugin(name, options);
      expect(plugin.name).toBe(name);
      const r = await fit({
        model: mlp({ widths: [4, 6, 3] }), data, validation, loss: "crossEntropy",
        optimizer: sgd({ learningRate: 0.1 }), batchSize: 6, steps: 4, seed: 1, plugins: [plugin],
      });
      expect(r.state.step).toBeGreaterThan(0);
      expect(r.history.steps.every((s) => Number.isFinite(s.loss))).toBe(true);
    });
  }

  it("rejects unknown options, naming the plugin and the option", () => {
    const e = (() => { try { resolvePluginOptions("l2", { lambda: 1, lamda: 2 }); } catch (x) { return x; } })();
    expect(e).toBeInstanceOf(ExperimentParamsError);
    expect((e as Error).message).toMatch(/plugin l2/);
    expect((e as Error).message).toMatch(/lamda/);
  });

  it("rejects negative λ, weight decay, rates and σ", () => {
    for (const [name, bad] of [["l2", { lambda: -1 }], ["l1", { lambda: -1e-9 }], ["weightDecay", { rate: -0.1 }], ["dropout", { rate: 1 }],
      ["inputNoise", { sigma: -1 }], ["labelSmoothing", { rho: 1 }], ["l2", { lambda: 1e308 }], ["l2", { lambda: Infinity }], ["l2", {}]] as const) {
      expect(() => createPlugin(name, bad)).toThrow(ExperimentParamsError);
    }
  });

  it("rejects an unknown plugin listing the valid ones", () => {
    expect(() => createPlugin("l3", {})).toThrow(UnknownPluginError);
    expect(() => createPlugin("l3", {})).toThrow(/valid plugins: .*l2.*dropout/);
  });

  it("fills defaults (what a run folder records)", () => {
    expect(resolvePluginOptions("dropout", {})).toEqual({ rate: 0.5, inference: "inverted", sampling: "bernoulli", sharedMask: false });
    expect(resolvePluginOptions("l2", { lambda: 0.1 })).toEqual({ lambda: 0.1, mask: "weights" });
  });
});
