/** Base class of every error raised by @regularize/optim; `fn` names the factory or function that rejected its input. */
export class OptimError extends Error {
  /** The factory or function (e.g. "sgd", "earlyStopping") that raised the error. */
  readonly fn: string;
  constructor(fn: string, message: string) {
    super(`${fn}: ${message}`);
    this.name = new.target.name;
    this.fn = fn;
  }
}

/** An invalid option (NaN, negative learning rate, empty list...); `option` names it. */
export class OptionError extends OptimError {
  /** The offending option, e.g. "learningRate". */
  readonly option: string;
  constructor(fn: string, option: string, message: string) {
    super(fn, `option "${option}" ${message}`);
    this.option = option;
  }
}

/** Misuse at call time: missing params, trees that do not match the state, a schedule returning NaN. */
export class UsageError extends OptimError {}
