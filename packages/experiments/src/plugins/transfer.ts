import * as v from "valibot";
import { l2sp } from "@regularize/penalties";
import {
  gradNorm, maskedReconstruction, multiTask, pcgrad, pretextTask, shiftPrediction, transformPrediction, uncertaintyWeighting, under,
} from "@regularize/transfer";
import { definePlugin } from "./catalog.js";

const tasks = v.pipe(
  v.array(v.strictObject({
    name: v.pipe(v.string(), v.minLength(1)),
    outputs: v.pipe(v.number(), v.integer(), v.minValue(1)),
    targets: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
    loss: v.optional(v.picklist(["crossEntropy", "mse"])),
    weight: v.optional(v.pipe(v.number(), v.minValue(0))),
  })),
  v.minLength(1),
);
type Tasks = v.InferOutput<typeof tasks>;
// valibot's optional keys come out as `x?: T | undefined`; multiTask's are `x?: T`.
const mt = (ts: Tasks) => multiTask({ tasks: ts.map((t) => Object.fromEntries(Object.entries(t).filter(([, x]) => x !== undefined)) as { name: string; outputs: number }) });

/** The plugins of @regularize/transfer (and L2-SP of @regularize/penalties), creatable by name. */
export const TRANSFER_PLUGINS = [
  definePlugin({
    name: "l2sp",
    package: "@regularize/penalties",
    description: "L2-SP: α·Σ(φ − φ⁰)² towards the weights the fit starts from (start it from pretrained weights), β·Σφ² on nothing else.",
    options: v.object({
      alpha: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1e3)), 0.01),
      beta: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1e3)), 0),
    }),
    create: (o) => l2sp({ alpha: o.alpha, beta: o.beta, pretrained: "initial" }),
  }),
  definePlugin({
    name: "pcgrad",
    package: "@regularize/transfer",
    description: "PCGrad gradient surgery over the tasks of a multi-task loss (fit's loss must be that multiTask's loss).",
    options: v.object({ tasks }),
    create: (o) => pcgrad({ multiTask: mt(o.tasks) }),
  }),
  definePlugin({
    name: "uncertaintyWeighting",
    package: "@regularize/transfer",
    description: "Kendall et al.'s homoscedastic-uncertainty task weights Σ ½e^{−s_t}L_t + ½s_t, s_t learned by the plugin.",
    options: v.object({
      tasks,
      learningRate: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(10)), 0.01),
      init: v.optional(v.pipe(v.number(), v.minValue(-50), v.maxValue(50)), 0),
    }),
    create: (o) => uncertaintyWeighting({ multiTask: mt(o.tasks), learningRate: o.learningRate, init: o.init }),
  }),
  definePlugin({
    name: "gradNorm",
    package: "@regularize/transfer",
    description: "GradNorm task weights balancing the tasks' gradient norms on a shared layer (a parameter path prefix).",
    options: v.object({
      tasks,
      shared: v.pipe(v.string(), v.minLength(1)),
      alpha: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(100)), 1.5),
      learningRate: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(10)), 0.025),
    }),
    create: (o) => gradNorm({ multiTask: mt(o.tasks), shared: under(o.shared), alpha: o.alpha, learningRate: o.learningRate }),
  }),
  definePlugin({
    name: "pretextTask",
    package: "@regularize/transfer",
    description: "Self-supervised pretraining on a batch's signals: shift prediction, flip prediction or masked reconstruction (use the matching loss).",
    options: v.object({
      task: v.optional(v.picklist(["shift", "transform", "masked"]), "masked"),
      length: v.optional(v.pipe(v.number(), v.integer(), v.minValue(2), v.maxValue(100_000)), 40),
      fraction: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1)), 0.25),
    }),
    create: (o) => pretextTask(
      o.task === "shift" ? shiftPrediction({ length: o.length }) : o.task === "transform" ? transformPrediction({ length: o.length }) : maskedReconstruction({ length: o.length, fraction: o.fraction }),
    ),
  }),
];
