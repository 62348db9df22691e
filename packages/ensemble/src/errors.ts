import { PluginOptionError, optionValidators } from "@regularize/core-train";

export { PredictiveError } from "@regularize/core-train";

/** An invalid option of an ensemble function or plugin; `fn` (= `plugin`) and `option` name the culprit. */
export class EnsembleOptionError extends PluginOptionError {
  constructor(fn: string, option: string, message: string) {
    super(fn, option, message);
    this.name = "EnsembleOptionError";
  }
}

/** core-train's option validators, throwing EnsembleOptionError. @internal */
export const check = optionValidators(EnsembleOptionError);

/** Throw unless `value` is an integer ≥ min. @internal */
export function requireInteger(fn: string, option: string, value: unknown, min: number): number {
  return check.integer(fn, option, value, min);
}

/** Throw unless `value` is a finite number in [min, max] (bounds optional). @internal */
export function requireNumber(fn: string, option: string, value: unknown, min = -Infinity, max = Infinity): number {
  return check.number(fn, option, value, { ...(min === -Infinity ? {} : { min }), ...(max === Infinity ? {} : { max }) });
}
