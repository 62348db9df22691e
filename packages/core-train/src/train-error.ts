/** Base class of every error raised by core-train; `name` is the concrete class name. */
export class TrainError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(safeText(message), options);
    this.name = new.target.name;
  }
}

/** `String(v)`, or its tag when v cannot be converted (a null-prototype object): messages never throw. */
export function safeText(v: unknown): string {
  try {
    return String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}
