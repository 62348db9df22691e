import * as v from "valibot";
import {
  gradNorm, maskedReconstruction, multiTask, pcgrad, pretextTask, shiftPrediction, transformPrediction, uncertaintyWeighting, under,
} from "@regularize/transfer";
import { definePlugin } from "./catalog.js";

// Tasks as a CLI-friendly string "name:outputs[:weight],…" (classification heads, one label column each).
const TASKS_RE = /^[A-Za-z_][\w-]*:\d+(:\d+(\.\d+)?)?(,[A-Za-z_][\w-]*:\d+(:\d+(\.\d+)?)?)*$/;
const tasks = v.pipe(v.string(), v.regex(TASKS_RE, 'tasks must look like "digit:10,aux:4:0.5" (name:outputs[:weight], comma-separated)'),
  v.description("the multi-task heads in model order: name:outputs[:weight], comma-separated"));
const mt = (spec: string) => multiTask({
  tasks: spec.split(",").map((t) => {
    const [name, outputs, weight] = t.split(":");
    return { name: name!, outputs: Number(outputs), ...(weight !== undefined ? { weight: Number(weight) } : {}) };
  }),
});

/** The plugins of @regularize/transfer, creatable by name (L2-SP is with the penalties). */
export const TRANSFER_PLUGINS = [
  definePlugin({
    name: "pcgrad",
    package: "@regularize/transfer",
    description: "PCGrad gradient surgery over the tasks of a multi-task loss (fit's loss must be that multiTask's loss).",
    options: v.strictObject({ tasks }),
    create: (o) => pcgrad({ multiTask: mt(o.tasks) }),
  }),
  definePlugin({
    name: "uncertaintyWeighting",
    package: "@regularize/transfer",
    description: "Kendall et al.'s homoscedastic-uncertainty task weights Σ ½e^{−s_t}L_t + ½s_t, s_t learned by the plugin.",
    options: v.strictObject({
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
    options: v.strictObject({
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
    options: v.strictObject({
      task: v.optional(v.picklist(["shift", "transform", "masked"]), "masked"),
      length: v.optional(v.pipe(v.number(), v.integer(), v.minValue(2), v.maxValue(100_000)), 40),
      fraction: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1)), 0.25),
    }),
    create: (o) => pretextTask(
      o.task === "shift" ? shiftPrediction({ length: o.length }) : o.task === "transform" ? transformPrediction({ length: o.length }) : maskedReconstruction({ length: o.length, fraction: o.fraction }),
    ),
  }),
];
