import { type Tensor, astype, prngKey, treeFlatten, treeMap } from "@regularize/core-autodiff";
import { type Plugin, fit } from "@regularize/core-train";
import { type ConformanceCheckName, runPluginConformance, tinyClassification } from "@regularize/core-train/testing";
import { describe, expect, it } from "vitest";
import { adam, adamw, rmsprop, sgd } from "./aliases.js";
import { earlyStopping } from "./early-stopping.js";
import { entropySgd } from "./entropy-sgd.js";
import { flooding } from "./flooding.js";
import { modifiedLoss } from "./modified-loss-plugin.js";
import { sam } from "./sam.js";
import { cosineDecaySchedule } from "./schedules.js";
import { sharpnessMonitor } from "./sharpness-monitor.js";
import { decoupledWeightDecay } from "./weight-decay-plugin.js";

const bits = (t: Tensor) => Array.from(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength)).join();

// fit() compiles by default: the optimizers' state (step counts as tensors, schedules through
// pureCallback) must make one recording serve every step, with the eager path's exact bits
describe("fit() compiled with optim's optimizers", () => {
  const pr = tinyClassification();
  const optimizers = {
    adam: () => adam({ learningRate: 1e-2 }),
    "adam + L2": () => adam({ learningRate: 1e-2, weightDecay: 1e-3 }),
    adamw: () => adamw({ learningRate: cosineDecaySchedule({ init: 1e-2, decaySteps: 6 }) }),
    "sgd + momentum, scheduled": () => sgd({ learningRate: cosineDecaySchedule({ init: 0.1, decaySteps: 5 }), momentum: 0.9, nesterov: true }),
    rmsprop: () => rmsprop({ learningRate: 1e-2 }),
  };
  for (const [name, make] of Object.entries(optimizers)) {
    for (const dtype of ["float64", "float32"] as const) {
      it(`${name}, ${dtype}: compiled, recorded once per run, bit-identical to compile: false`, async () => {
        const data = { x: astype(pr.data.x, dtype), y: pr.data.y };
        const params = treeMap((t: Tensor) => astype(t, dtype), pr.model.init(prngKey(4)));
        const run = (compile: boolean) => fit({ model: pr.model, params, data, loss: pr.loss, optimizer: make(), batchSize: pr.batchSize, steps: 10, seed: 2, compile, onNotice: () => {} });
        const c = await run(true), e = await run(false);
        expect(c.compiled).toBe(true);
        expect(c.notices).toEqual([]);
        expect(treeFlatten(c.params)[0].map(bits)).toEqual(treeFlatten(e.params)[0].map(bits));
        expect(c.history.steps.map((s) => [s.loss, s.gradNorm, s.lr])).toEqual(e.history.steps.map((s) => [s.loss, s.gradNorm, s.lr]));
      });
    }
  }

});

// every optim plugin through the conformance suite's "compiled" check (float64 and float32)
const ALL: ConformanceCheckName[] = ["name", "fit-classification", "fit-regression", "deterministic", "reusable", "factory-pure", "no-mutation", "state-roundtrip", "resume", "penalty", "transform", "eval-deterministic"];
const plugins: Record<string, () => Plugin> = {
  earlyStopping: () => earlyStopping({ patience: 2 }),
  entropySgd: () => entropySgd({ innerSteps: 2 }),
  flooding: () => flooding({ level: 0.1 }),
  modifiedLoss: () => modifiedLoss({ alpha: 0.1 }),
  sam: () => sam({ rho: 0.05 }),
  sharpnessMonitor: () => sharpnessMonitor({ every: 3 }),
  decoupledWeightDecay: () => decoupledWeightDecay({ rate: 1e-3 }),
};
describe("sam under fit()'s compiled step", () => {
  for (const adaptive of [false, true]) {
    it(`records (its ρ/‖g‖ is a kernel, not a value read into JS) and equals eager bit for bit, adaptive ${adaptive}`, async () => {
      const pr = tinyClassification();
      for (const dtype of ["float64", "float32"] as const) {
        const data = { x: astype(pr.data.x, dtype), y: pr.data.y };
        const params = treeMap((t: Tensor) => astype(t, dtype), pr.model.init(prngKey(4)));
        const run = (compile: boolean) => fit({ model: pr.model, params, data, loss: pr.loss, optimizer: adam({ learningRate: 1e-2 }), plugins: [sam({ rho: 0.05, adaptive })], batchSize: pr.batchSize, steps: 8, seed: 2, compile, onNotice: () => {} });
        const c = await run(true), e = await run(false);
        expect(c.compiled).toBe(true);
        expect(c.notices).toEqual([]);
        expect(treeFlatten(c.params)[0].map(bits)).toEqual(treeFlatten(e.params)[0].map(bits));
      }
    });
  }
});

describe("optim's plugins under fit()'s compiled step", () => {
  for (const [name, make] of Object.entries(plugins)) {
    it(`${name}: compiled (or fallen back) = eager, bit for bit`, async () => {
      const report = await runPluginConformance(make, { skip: ALL, steps: 5 });
      expect(report.checks.filter((c) => c.status === "failed")).toEqual([]);
      expect(report.checks.filter((c) => c.status === "passed").map((c) => c.name)).toEqual(["compiled"]);
    });
  }
});
