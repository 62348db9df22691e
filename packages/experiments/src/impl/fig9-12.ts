import {
  Tensor, type Tree, argmax, foldIn, foldInString, permutation, prngKey,
} from "@regularize/core-autodiff";
import { type Loss, type Model, type Plugin, fit, linear, mlp } from "@regularize/core-train";
import {
  type Augmentation, amplitudeScale, circularShift, gaussianNoise, generateMnist1dRaw, makeMnist1d, sequence,
} from "@regularize/datasets";
import { adam } from "@regularize/optim";
import { l2sp } from "@regularize/penalties";
import {
  type Pretext, augmentationView, auxiliaryTask, contrastive, freeze, maskedReconstruction, multiHead, multiTask, paramGroups,
  pcgrad, pretextTask, replaceHead, shiftPrediction, transformPrediction, uncertaintyWeighting, under, withHead,
} from "@regularize/transfer";
import type { RunContext } from "../experiment.js";

/** The methods of the fig9.12 table. */
export const FIG912_METHODS = [
  "scratch", "transfer-frozen", "transfer-finetune", "multitask", "multitask-pcgrad", "multitask-uncertainty",
  "ssl-masked", "ssl-shift", "ssl-transform", "ssl-simclr",
] as const;
export type Fig912Method = (typeof FIG912_METHODS)[number];

/** Params of fig9.12 after validation. */
export interface Fig912Params {
  readonly labelled: number[];
  readonly methods: Fig912Method[];
  readonly seed: number;
  readonly seeds: number;
  readonly hidden: number;
  readonly steps: number;
  readonly pretrainSteps: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly unlabelled: number;
  readonly sourceExamples: number;
  readonly trunkLearningRateScale: number;
  readonly l2spAlpha: number;
  readonly auxWeight: number;
  readonly testExamples: number;
  readonly auxTask: "transform" | "shift";
  readonly viewShift: number;
  readonly pretrainLearningRate: number;
  readonly temperature: number;
}

/** One row of the table: a method at one labelled-set size, test accuracy per seed. */
export interface Fig912Row {
  readonly method: Fig912Method;
  readonly labelled: number;
  /** Test accuracy per seed (seed, seed + 1, …). */
  readonly accuracies: number[];
  readonly mean: number;
  /** Sample standard deviation over seeds (0 for one seed). */
  readonly sd: number;
  /** mean − mean of "scratch" at the same size (NaN when scratch was not run). */
  readonly vsScratch: number;
  /** Seeds on which this method beat scratch (paired by seed). */
  readonly winsVsScratch: number;
}

/** Result of fig9.12. */
export interface Fig912Result {
  readonly rows: Fig912Row[];
  readonly labelled: number[];
  readonly methods: Fig912Method[];
  readonly seeds: number[];
  readonly testExamples: number;
  /** Mean training loss over the last 10 % of each pretraining's steps (related task or pretext), per seed. */
  readonly pretrainLoss: Record<string, number[]>;
  readonly seconds: number;
}

interface Data { readonly x: Tensor; readonly y: Tensor }

/**
 * SimCLR's views, from datasets' augmentations: circular shift uniform in [−maxShift, maxShift],
 * amplitude scale U[0.8, 1.2], Gaussian noise σ = 0.1 (notebook 9.5's augmentations plus noise).
 */
export function simclrViews(maxShift: number): Augmentation {
  return sequence([circularShift({ min: -maxShift, max: maxShift }), amplitudeScale({ low: 0.8, high: 1.2 }), gaussianNoise({ sigma: 0.1 })]);
}

function rows(x: Float64Array, dim: number, idx: ArrayLike<number>): Tensor {
  const out = new Float64Array(idx.length * dim);
  for (let i = 0; i < idx.length; i++) out.set(x.subarray(idx[i]! * dim, idx[i]! * dim + dim), i * dim);
  return new Tensor(out, [idx.length, dim], "float64");
}

function accuracy(pred: Tensor, y: Int32Array): number {
  const a = argmax(pred, 1).data;
  let c = 0;
  for (let i = 0; i < y.length; i++) if (a[i] === y[i]) c++;
  return c / y.length;
}

/**
 * Figure 9.12 in 1-D: few labelled MNIST-1D examples, from scratch vs (a) transfer from a related
 * labelled task (digits 0–4 of a separately generated set, head replaced), (b) multi-task with a
 * self-supervised auxiliary task (shift prediction on unlabelled signals), (c) self-supervised
 * pretraining on unlabelled generator signals (masked reconstruction, shift prediction, SimCLR),
 * each fine-tuned on the labelled examples. Same architecture, optimizer and step budget everywhere.
 */
export async function* runFig912(p: Fig912Params, ctx: RunContext): AsyncGenerator<{ fraction: number; message?: string; metrics?: Record<string, number> }, Fig912Result, void> {
  const t0 = performance.now();
  const target = makeMnist1d({});
  const { mean: mu, std } = target.normalisation;
  const dim = target.shape.train[1];
  const norm = (x: Float64Array) => { const o = new Float64Array(x.length); for (let i = 0; i < x.length; i++) o[i] = (x[i]! - mu) / std; return o; };
  const nTest = Math.min(p.testExamples, target.shape.test[0]);
  const test = { x: rows(target.xTest, dim, Array.from({ length: nTest }, (_, i) => i)), y: target.yTest.slice(0, nTest) };

  // Plentiful unlabelled signals and a related labelled task, each from its own generator seed,
  // standardised like the target set (never the target's test examples).
  const poolRaw = generateMnist1dRaw({ numSamples: p.unlabelled, seed: 4321 });
  const pool = new Tensor(norm(poolRaw.x), [p.unlabelled, dim], "float64");
  const needSource = p.methods.some((m) => m.startsWith("transfer"));
  let source: Data | undefined;
  if (needSource) {
    const raw = generateMnist1dRaw({ numSamples: Math.ceil(p.sourceExamples * 2.4), seed: 9876 });
    const keep: number[] = [];
    for (let i = 0; i < raw.n && keep.length < p.sourceExamples; i++) if (raw.y[i]! < 5) keep.push(i);
    source = { x: rows(norm(raw.x), dim, keep), y: new Tensor(Int32Array.from(keep, (i) => raw.y[i]!), [keep.length], "int32") };
  }

  const H = p.hidden;
  const trunk = mlp({ widths: [dim, H, H] });
  const digitHead = linear({ inputs: H, outputs: 10 });
  const classifier = withHead(trunk, digitHead, { activation: "relu" }) as Model<Tree>;
  const unlabelledData: Data = { x: pool, y: new Tensor(new Int32Array(p.unlabelled), [p.unlabelled], "int32") };
  const shift = shiftPrediction({ length: dim });
  const flips = transformPrediction({ length: dim });
  const aux = p.auxTask === "shift" ? shift : flips;
  const pretexts: Record<string, { pretext: Pretext; head: Model<Tree> }> = {
    "ssl-masked": { pretext: maskedReconstruction({ length: dim, fraction: 0.25 }), head: linear({ inputs: H, outputs: dim }) as Model<Tree> },
    "ssl-shift": { pretext: shift, head: linear({ inputs: H, outputs: shift.outputs }) as Model<Tree> },
    "ssl-transform": { pretext: flips, head: linear({ inputs: H, outputs: flips.outputs }) as Model<Tree> },
    "ssl-simclr": { pretext: contrastive({ view: augmentationView(simclrViews(p.viewShift)), outputs: 32, temperature: p.temperature, length: dim }), head: mlp({ widths: [H, 64, 32] }) as Model<Tree> },
  };

  const train = async (model: Model<Tree>, params: Tree | undefined, data: Data, loss: Loss | "crossEntropy", optimizer: ReturnType<typeof adam> | ReturnType<typeof paramGroups>, plugins: Plugin[], steps: number, batchSize: number, seed: number) => {
    // the plugins the user picked (CLI --plugin, the playground's lab) join every training
    const r = await fit({ model, ...(params ? { params } : {}), data, loss, optimizer, plugins: [...plugins, ...(ctx.plugins ?? [])], batchSize, steps, seed, signal: ctx.signal });
    return r;
  };

  const seeds = Array.from({ length: p.seeds }, (_, i) => p.seed + i);
  const acc: Record<string, number[]> = {};
  const pretrainLoss: Record<string, number[]> = {};
  const pretrainedNeeded = p.methods.filter((m) => m.startsWith("transfer") || m.startsWith("ssl"));
  const pretrainKinds = [...new Set(pretrainedNeeded.map((m) => (m.startsWith("transfer") ? "source" : m)))];
  const totalUnits = seeds.length * (pretrainKinds.length * 2 + p.labelled.length * p.methods.length);
  let done = 0;
  const tick = (message: string, metrics?: Record<string, number>) => ({ fraction: Math.min(1, ++done / totalUnits), message, ...(metrics ? { metrics } : {}) });

  for (const seed of seeds) {
    if (ctx.signal.aborted) break;
    const key = prngKey(seed);
    // Pretrainings (one per kind and seed), on the related task or the unlabelled pool.
    const pretrained: Record<string, Tree> = {};
    for (const kind of pretrainKinds) {
      const s = foldIn(foldInString(key, `pretrain:${kind}`), 0).k0 >>> 1;
      let r;
      if (kind === "source") {
        const m = withHead(trunk, linear({ inputs: H, outputs: 5 }), { activation: "relu" }) as Model<Tree>;
        r = await train(m, undefined, source!, "crossEntropy", adam({ learningRate: p.pretrainLearningRate }), [], p.pretrainSteps, 100, s);
      } else {
        const { pretext, head } = pretexts[kind]!;
        const m = withHead(trunk, head, { activation: "relu" }) as Model<Tree>;
        r = await train(m, undefined, unlabelledData, pretext.loss, adam({ learningRate: p.pretrainLearningRate }), [pretextTask(pretext)], p.pretrainSteps, 100, s);
      }
      // mean training loss of the last 10 % of the steps (one step's loss is noisy)
      const tail = r.history.steps.slice(-Math.max(1, Math.ceil(r.history.steps.length / 10)));
      const last = tail.reduce((a, row) => a + row.loss, 0) / tail.length;
      (pretrainLoss[kind] ??= []).push(last);
      pretrained[kind] = r.params;
      done++;
      yield tick(`seed ${seed}: pretrained ${kind}`, { [`pretrainLoss.${kind}`]: last });
    }

    const perm = permutation(foldInString(key, "subset"), target.shape.train[0]).data;
    for (const n of p.labelled) {
      const idx = Array.from(perm.subarray(0, n));
      const data: Data = { x: rows(target.x, dim, idx), y: new Tensor(Int32Array.from(idx, (i) => target.y[i]!), [n], "int32") };
      const bs = Math.min(p.batchSize, n);
      const fineSeed = foldInString(key, `fine:${n}`).k0 >>> 1;
      for (const method of p.methods) {
        if (ctx.signal.aborted) break;
        let a: number;
        if (method === "scratch") {
          const r = await train(classifier, undefined, data, "crossEntropy", adam({ learningRate: p.learningRate }), [], p.steps, bs, fineSeed);
          a = accuracy(classifier.apply(r.params, test.x), test.y);
        } else if (method.startsWith("multitask")) {
          const mt = multiTask({ tasks: [{ name: "digit", outputs: 10 }, { name: "aux", outputs: aux.outputs, weight: p.auxWeight }] });
          const model = multiHead(trunk, { digit: digitHead, aux: linear({ inputs: H, outputs: aux.outputs }) }, { activation: "relu" }) as Model<Tree>;
          const yy = mt.labels(n, { digit: Float64Array.from(data.y.data) });
          const plugins: Plugin[] = [auxiliaryTask({ multiTask: mt, task: "aux", pretext: aux, pool, batchSize: bs })];
          if (method === "multitask-pcgrad") plugins.push(pcgrad({ multiTask: mt }));
          if (method === "multitask-uncertainty") plugins.push(uncertaintyWeighting({ multiTask: mt, learningRate: 0.01 }));
          const r = await train(model, undefined, { x: data.x, y: yy }, mt.loss, adam({ learningRate: p.learningRate }), plugins, p.steps, bs, fineSeed);
          a = accuracy(mt.outputsOf(model.apply(r.params, test.x), "digit"), test.y);
        } else {
          const kind = method.startsWith("transfer") ? "source" : method;
          const params = replaceHead(pretrained[kind] as { trunk: Tree; head: Tree }, digitHead, foldInString(key, `head:${n}`));
          const optimizer = method === "transfer-frozen"
            ? freeze(adam({ learningRate: p.learningRate }), under("trunk"))
            : paramGroups({ trunk: { mask: under("trunk"), transform: adam({ learningRate: p.learningRate * p.trunkLearningRateScale }) } }, adam({ learningRate: p.learningRate }));
          const plugins = method === "transfer-frozen" || p.l2spAlpha === 0 ? [] : [l2sp({ alpha: p.l2spAlpha, pretrained: { trunk: params.trunk } })];
          const r = await train(classifier, params, data, "crossEntropy", optimizer, plugins, p.steps, bs, fineSeed);
          a = accuracy(classifier.apply(r.params, test.x), test.y);
        }
        (acc[`${method}@${n}`] ??= []).push(a);
        yield tick(`seed ${seed}, ${n} labelled: ${method} ${(100 * a).toFixed(1)} %`, { [`accuracy.${method}.${n}`]: a });
      }
    }
  }

  const out: Fig912Row[] = [];
  for (const n of p.labelled) {
    const base = acc[`scratch@${n}`];
    for (const method of p.methods) {
      const xs = acc[`${method}@${n}`] ?? [];
      const m = xs.reduce((s, v) => s + v, 0) / Math.max(1, xs.length);
      const sd = xs.length > 1 ? Math.sqrt(xs.reduce((s, v) => s + (v - m) ** 2, 0) / (xs.length - 1)) : 0;
      const bm = base ? base.reduce((s, v) => s + v, 0) / base.length : NaN;
      out.push({
        method, labelled: n, accuracies: xs, mean: m, sd, vsScratch: m - bm,
        winsVsScratch: base ? xs.filter((v, i) => v > base[i]!).length : 0,
      });
    }
  }
  return { rows: out, labelled: p.labelled, methods: p.methods, seeds, testExamples: nTest, pretrainLoss, seconds: (performance.now() - t0) / 1000 };
}

