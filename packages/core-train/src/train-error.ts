/** Base class of every error raised by core-train; `name` is the concrete class name. */
export class TrainError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
