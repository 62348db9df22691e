/** A mistake in the command line, a config file or the environment (not a bug): one line, exit code 2, no stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Exit codes of `regularize`. */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;
