// Its own module so that the CLI can recognise it without loading ioredis (start-up time).

/** Redis is unreachable or refuses us (exit code 2; the message names the redacted URL or the host). */
export class QueueConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QueueConnectionError";
  }
}
