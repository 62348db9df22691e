import {
  type BayesByBackpropScales, type SwagResult, bayesByBackprop, gaussianPrior, laplace, mcDropoutPredictive, meanFieldPredictive, samplesPredictive,
  sgMcmcNoise, swag, swagPosterior,
} from "@regularize/bayes";
import { type Tree, prngKey, tensor } from "@regularize/core-autodiff";
import { type Plugin, type Predictive, evaluatePredictive, fit, mlp } from "@regularize/core-train";
import { dropout } from "@regularize/noise";
import { adam, sgd } from "@regularize/optim";
import type { Progress, RunContext } from "../experiment.js";
import { mnist1dData } from "./mnist1d-train.js";
import { abortError } from "./with-progress.js";

export interface UncertaintyParams {
  readonly samples: number;
  readonly dataSeed: number;
  readonly steps: number;
  readonly lr: number;
  readonly members: number;
  readonly dropoutRate: number;
  readonly mcSamples: number;
  readonly sgdLr: number;
  readonly swagEpochs: number;
  readonly swagRank: number;
  readonly sgldSteps: number;
  readonly sgldSamples: number;
  readonly priorVariance: number;
  readonly temperature: number;
  readonly seed: number;
}

/** One row of the comparison (test set). */
export interface UncertaintyRow {
  readonly method: string;
  readonly accuracy: number;
  readonly nll: number;
  readonly ece: number;
  /** Wall time of the method's own work (training and/or fitting the posterior), seconds. */
  readonly seconds: number;
}

export interface UncertaintyResult {
  readonly rows: UncertaintyRow[];
  readonly train: number;
  readonly test: number;
}

const model = mlp({ widths: [40, 100, 100, 10], residual: true });

/** Runs the five methods (and the MAP baseline) and evaluates each Predictive on the test set. */
export async function* mnist1dUncertainty(p: UncertaintyParams, ctx: RunContext): AsyncGenerator<Progress, UncertaintyResult, void> {
  const d = mnist1dData({ samples: p.samples, split: 0.8, dataSeed: p.dataSeed });
  const train = { x: tensor(d.x, { shape: d.shape.train }), y: tensor(d.y, { shape: [d.shape.train[0]], dtype: "int32" }) };
  const test = { x: tensor(d.xTest, { shape: d.shape.test }), y: tensor(d.yTest, { shape: [d.shape.test[0]], dtype: "int32" }) };
  const N = d.shape.train[0];
  const rows: UncertaintyRow[] = [];
  const stages = p.members + 6;
  let stage = 0;
  const check = () => { if (ctx.signal.aborted) throw abortError(); };
  const row = (method: string, pred: Predictive, t0: number) => {
    const m = evaluatePredictive(pred, test);
    rows.push({ method, accuracy: m.accuracy!, nll: m.nll!, ece: m.ece!, seconds: (performance.now() - t0) / 1000 });
  };
  const trainAdam = async (seed: number, plugins: Plugin[] = []) =>
    (await fit({ model, data: train, loss: "crossEntropy", optimizer: adam({ learningRate: p.lr }), batchSize: 100, steps: p.steps, seed, plugins, signal: ctx.signal, shuffle: true })).params;

  // deep ensemble (member 0 is the MAP model every post-hoc method starts from)
  const memberParams: Tree[] = [];
  let tEns = 0;
  for (let m = 0; m < p.members; m++) {
    const t0 = performance.now();
    memberParams.push(await trainAdam(p.seed + m));
    tEns += performance.now() - t0;
    check();
    yield { fraction: ++stage / stages, message: `ensemble member ${m + 1} / ${p.members}` };
  }
  const map = memberParams[0]!;
  const tMap = tEns / p.members;
  row("MAP (one net)", samplesPredictive({ model, samples: [map], kind: "classification" }), performance.now() - tMap);
  row(`deep ensemble (M = ${p.members})`, samplesPredictive({ model, samples: memberParams, kind: "classification" }), performance.now() - tEns);

  // MC dropout
  {
    const t0 = performance.now();
    const plugins = [dropout({ rate: p.dropoutRate })];
    const params = await trainAdam(p.seed + 1000, plugins);
    check();
    row(`MC dropout (p = ${p.dropoutRate}, T = ${p.mcSamples})`, mcDropoutPredictive(model, params, { kind: "classification", samples: p.mcSamples, plugins, key: prngKey(p.seed) }), t0);
    yield { fraction: ++stage / stages, message: "MC dropout" };
  }

  // last-layer Laplace (Kronecker GGN, prior precision by the evidence) on the MAP
  {
    const t0 = performance.now();
    const la = laplace({ model, params: map, data: train, likelihood: "categorical", subset: "lastLayer", structure: "kron", priorPrecision: "marginalLikelihood" });
    row(`last-layer Laplace (KFAC, δ = ${la.priorPrecision.toPrecision(3)})`, la.predictive({ samples: 100, key: prngKey(p.seed + 1) }), t0);
    yield { fraction: ++stage / stages, message: "Laplace" };
  }

  // Laplace over every parameter: the diagonal GGN and KFAC (one Kronecker block per layer), δ by the evidence
  {
    for (const [structure, label] of [["diagonal", "diagonal"], ["kron", "KFAC"]] as const) {
      const t0 = performance.now();
      const la = laplace({ model, params: map, data: train, likelihood: "categorical", structure, priorPrecision: "marginalLikelihood" });
      row(`${label} Laplace, all layers (δ = ${la.priorPrecision.toPrecision(3)})`, la.predictive({ samples: 100, key: prngKey(p.seed + 5) }), t0);
      check();
    }
    yield { fraction: ++stage / stages, message: "Laplace over all layers" };
  }

  // SWAG: constant-lr SGD from the MAP, one moment per epoch
  {
    const t0 = performance.now();
    const plug = swag({ startEpoch: 0, rank: p.swagRank });
    const r = await fit({ model, params: map, data: train, loss: "crossEntropy", optimizer: sgd({ learningRate: p.sgdLr, momentum: 0.9 }), batchSize: 100, epochs: p.swagEpochs, seed: p.seed + 2, plugins: [plug], signal: ctx.signal });
    check();
    const post = swagPosterior(r.plugins.swag as SwagResult);
    row(`SWAG (K = ${p.swagRank}, ${p.mcSamples} samples)`, post.predictive(model, { kind: "classification", samples: p.mcSamples, key: prngKey(p.seed + 3) }), t0);
    yield { fraction: ++stage / stages, message: "SWAG" };
  }

  // SGLD from the MAP: sgd(ε) + Langevin noise, Gaussian prior, samples thinned over the second half
  {
    const t0 = performance.now();
    const half = Math.floor(p.sgldSteps / 2);
    const thinning = Math.max(1, Math.floor((p.sgldSteps - half) / p.sgldSamples));
    const noise = sgMcmcNoise({ learningRate: p.sgdLr, dataSize: N, temperature: p.temperature, burnIn: half, thinning, maxSamples: p.sgldSamples });
    const r = await fit({
      model, params: map, data: train, loss: "crossEntropy", optimizer: sgd({ learningRate: p.sgdLr }), batchSize: 100, steps: p.sgldSteps,
      seed: p.seed + 4, plugins: [gaussianPrior({ variance: p.priorVariance, dataSize: N }), noise], signal: ctx.signal,
    });
    check();
    const samples = (r.plugins.sgld as { samples: Tree[] }).samples;
    row(`SGLD (T = ${p.temperature}, ${samples.length} samples)`, samplesPredictive({ model, samples, kind: "classification" }), t0);
    yield { fraction: ++stage / stages, message: "SGLD" };
  }
  // Bayes by Backprop from scratch: the model's parameters are μ, the plugin learns ρ (σ = softplus(ρ))
  {
    const t0 = performance.now();
    const plug = bayesByBackprop({ dataSize: N, priorVariance: p.priorVariance, scales: { initStd: 1e-3, learningRate: p.lr } });
    const r = await fit({ model, data: train, loss: "crossEntropy", optimizer: adam({ learningRate: p.lr }), batchSize: 100, steps: p.steps, seed: p.seed + 6, plugins: [plug], signal: ctx.signal, shuffle: true });
    check();
    const { rho } = r.plugins.bayesByBackprop as BayesByBackpropScales;
    row(`Bayes by Backprop (σ_p² = ${p.priorVariance}, ${p.mcSamples} samples)`, meanFieldPredictive(model, { mu: r.params, rho: rho! }, { kind: "classification", samples: p.mcSamples, key: prngKey(p.seed + 7) }), t0);
    yield { fraction: ++stage / stages, message: "Bayes by Backprop" };
  }
  return { rows, train: N, test: d.shape.test[0] };
}
