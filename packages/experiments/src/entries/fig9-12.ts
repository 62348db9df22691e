import * as v from "valibot";
import { defineExperiment, type PlotFigure } from "../experiment.js";
import type { Fig912Result } from "../impl/fig9-12.js";

const METHODS = [
  "scratch", "transfer-frozen", "transfer-finetune", "multitask", "multitask-pcgrad", "multitask-uncertainty",
  "ssl-masked", "ssl-shift", "ssl-transform", "ssl-simclr",
] as const;
const int = (lo: number, hi: number, def: number) => v.optional(v.pipe(v.number(), v.integer(), v.minValue(lo), v.maxValue(hi)), def);
const num = (lo: number, hi: number, def: number) => v.optional(v.pipe(v.number(), v.minValue(lo), v.maxValue(hi)), def);

/**
 * Figure 9.12 as a 1-D experiment: transfer, multi-task and self-supervised learning against training
 * from scratch on few labelled MNIST-1D examples (the book's figure is a schematic; this is our analogue).
 */
export const fig912 = defineExperiment({
  id: "fig9.12",
  title: "Transfer, multi-task and self-supervised learning with few labels (MNIST-1D)",
  reproduces: "Figure 9.12 (1-D analogue; the book's figure is a schematic)",
  description:
    "Few labelled MNIST-1D examples (default 200 and 500 of the 4000 training signals; test on the 1000 test signals). " +
    "An MLP trunk 40-H-H (ReLU) with a linear head, Adam, the same step budget for every method: from scratch; (a) transfer from a " +
    "related labelled task (digits 0–4 of a separately generated set), head replaced, then frozen trunk (linear probe) or fine-tuned " +
    "with a smaller trunk learning rate and L2-SP; (b) multi-task with an auxiliary flip-prediction head on unlabelled generator " +
    "signals (fixed weights, PCGrad, or uncertainty weighting); (c) self-supervised pretraining on unlabelled generator signals " +
    "(masked reconstruction, shift prediction, flip prediction, SimCLR/NT-Xent), then fine-tuned like (a). Returns test accuracy per method, size and seed.",
  params: v.object({
    labelled: v.optional(v.pipe(v.array(v.pipe(v.number(), v.integer(), v.minValue(10), v.maxValue(4000))), v.minLength(1)), [200, 500]),
    methods: v.optional(v.pipe(v.array(v.picklist(METHODS)), v.minLength(1)), [...METHODS]),
    seed: int(0, 2 ** 31 - 1, 0),
    /** Number of seeds (seed, seed + 1, …); the table reports means over them. */
    seeds: int(1, 20, 3),
    hidden: int(4, 512, 100),
    /** Training steps on the labelled examples (every method). */
    steps: int(1, 100_000, 800),
    /** Steps of each pretraining (related task or pretext). */
    pretrainSteps: int(1, 100_000, 1500),
    batchSize: int(1, 1000, 50),
    learningRate: num(1e-6, 1, 1e-3),
    /** Unlabelled generator signals for the pretext tasks and the auxiliary task. */
    unlabelled: int(100, 100_000, 8000),
    /** Labelled examples of the related source task (digits 0–4). */
    sourceExamples: int(100, 100_000, 4000),
    /** Fine-tuning: the trunk's learning rate is learningRate × this (the new head gets learningRate). */
    trunkLearningRateScale: num(0, 10, 0.3),
    /** L2-SP α towards the pretrained trunk when fine-tuning (0 = off). */
    l2spAlpha: num(0, 10, 0.01),
    /** Fixed weight of the auxiliary shift task in multi-task learning. */
    auxWeight: num(0, 100, 1),
    /** Test signals used (default all 1000). */
    testExamples: int(10, 1000, 1000),
    /** The auxiliary task of multi-task learning: flip prediction (default) or absolute shift prediction. */
    auxTask: v.optional(v.picklist(["transform", "shift"]), "transform"),
    /** SimCLR views shift circularly by up to ± this many samples. */
    viewShift: int(0, 40, 4),
    /** Adam step size of every pretraining (related task and pretext tasks). */
    pretrainLearningRate: num(1e-6, 1, 3e-3),
    /** NT-Xent temperature τ of SimCLR. */
    temperature: num(0.01, 10, 0.5),
  }),
  acceptsPlugins: true,
  load: async () => (await import("../impl/fig9-12.js")).runFig912,
  plots: (r: Fig912Result): PlotFigure[] => [
    {
      name: "accuracy",
      title: `Test accuracy, mean over ${r.seeds.length} seed${r.seeds.length > 1 ? "s" : ""}`,
      x: { label: "method" },
      y: { label: "test accuracy", domain: [0, 1] },
      marks: r.labelled.map((n) => ({
        type: "bar" as const,
        x: r.rows.filter((row) => row.labelled === n).map((row) => row.method),
        y: r.rows.filter((row) => row.labelled === n).map((row) => row.mean),
        series: `${n} labelled`,
      })),
    },
    {
      name: "vs-scratch",
      title: "Test accuracy minus scratch (same size, mean over seeds)",
      x: { label: "method" },
      y: { label: "Δ accuracy" },
      marks: r.labelled.map((n) => ({
        type: "bar" as const,
        x: r.rows.filter((row) => row.labelled === n && row.method !== "scratch").map((row) => row.method),
        y: r.rows.filter((row) => row.labelled === n && row.method !== "scratch").map((row) => row.vsScratch),
        series: `${n} labelled`,
      })),
    },
  ],
});
