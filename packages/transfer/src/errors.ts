/** Bad input to a transfer / multi-task / self-supervised function; names the function and the argument. */
export class TransferError extends Error {
  /** The function or plugin that rejected the input, e.g. "pcgrad". */
  readonly fn: string;
  /** The argument or option at fault, e.g. "grads". */
  readonly argument: string;
  constructor(fn: string, argument: string, message: string) {
    super(`${fn}: ${argument} ${message}`);
    this.name = "TransferError";
    this.fn = fn;
    this.argument = argument;
  }
}

/** Throw unless `v` is a finite number in [lo, hi] (inclusive). */
export function checkRange(fn: string, argument: string, v: unknown, lo: number, hi: number): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < lo || v > hi) {
    throw new TransferError(fn, argument, `must be a finite number in [${lo}, ${hi}], got ${String(v)}`);
  }
  return v;
}

/** Throw unless `v` is an integer in [lo, hi]. */
export function checkInt(fn: string, argument: string, v: unknown, lo: number, hi = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < lo || v > hi) {
    throw new TransferError(fn, argument, `must be an integer in [${lo}, ${hi === Number.MAX_SAFE_INTEGER ? "∞" : hi}], got ${String(v)}`);
  }
  return v;
}
