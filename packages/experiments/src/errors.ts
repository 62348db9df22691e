import { describeValue } from "@regularize/core-train";

// Messages are built from what callers pass, which may be anything (a Symbol or a null-prototype
// object cannot go into a template string): non-strings are described instead.
const text = (v: unknown): string => (typeof v === "string" ? v : describeValue(v));
const list = (v: unknown): string => (Array.isArray(v) ? v.map(text).join(", ") : text(v));

/** Base class of the registry's errors (`name` survives minification: set explicitly). */
export class ExperimentError extends Error {
  constructor(message: string, name = "ExperimentError") {
    super(text(message));
    this.name = name;
  }
}

/** An id that is not in the registry; lists the valid ones. */
export class UnknownExperimentError extends ExperimentError {
  constructor(readonly id: string, readonly valid: readonly string[]) {
    super(`unknown experiment "${text(id)}"; valid ids: ${list(valid)}`, "UnknownExperimentError");
  }
}

/** One problem of a params object, by path. */
export interface ParamIssue {
  /** Dotted path of the offending param, e.g. "lr" or "data.x". */
  readonly path: string;
  readonly message: string;
}

/** Params that fail the experiment's schema: every issue, each naming its param. */
export class ExperimentParamsError extends ExperimentError {
  constructor(readonly experiment: string, readonly issues: readonly ParamIssue[]) {
    super(`${text(experiment)}: invalid params: ${(Array.isArray(issues) ? issues : [issues]).map((i: Partial<ParamIssue> | null | undefined) => `${text(i?.path || "(params)")}: ${text(i?.message)}`).join("; ")}`, "ExperimentParamsError");
  }
}

/** The run was aborted through its signal. */
export class ExperimentAbortedError extends ExperimentError {
  constructor(readonly experiment: string) {
    super(`${text(experiment)}: aborted`, "ExperimentAbortedError");
  }
}
