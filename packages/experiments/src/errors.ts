/** Base class of the registry's errors (`name` survives minification: set explicitly). */
export class ExperimentError extends Error {
  constructor(message: string, name = "ExperimentError") {
    super(message);
    this.name = name;
  }
}

/** An id that is not in the registry; lists the valid ones. */
export class UnknownExperimentError extends ExperimentError {
  constructor(readonly id: string, readonly valid: readonly string[]) {
    super(`unknown experiment "${id}"; valid ids: ${valid.join(", ")}`, "UnknownExperimentError");
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
    super(`${experiment}: invalid params: ${issues.map((i) => `${i.path || "(params)"}: ${i.message}`).join("; ")}`, "ExperimentParamsError");
  }
}

/** The run was aborted through its signal. */
export class ExperimentAbortedError extends ExperimentError {
  constructor(readonly experiment: string) {
    super(`${experiment}: aborted`, "ExperimentAbortedError");
  }
}
