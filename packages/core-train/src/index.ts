export type { GradientTransformation, AnyTransformation } from "./transform.js";
export type {
  Batch, Mode, Site, ForwardContext, ForwardHookContext, Objective, ObjectiveContext, CancelScope, FitContext, Plugin,
} from "./plugin.js";
