import { Redis, type RedisOptions as IoRedisOptions } from "ioredis";
import type { QueueTarget } from "./queue-url.ts";

import { QueueConnectionError } from "./connection-error.ts";

export { QueueConnectionError };

/**
 * Connect once, without retries, within `timeoutMs`, and PING: so an unreachable Redis or wrong
 * credentials give one clear error within seconds instead of BullMQ's endless reconnects.
 */
export async function probeRedis(target: QueueTarget, timeoutMs = 5000): Promise<void> {
  const options = { ...target.connection, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: timeoutMs } as IoRedisOptions;
  // ioredis 6's typings reject its own RedisOptions under exactOptionalPropertyTypes (replyMapping)
  const client = new Redis(options as never);
  // the error event carries the cause (ECONNREFUSED, WRONGPASS); connect() may only say "Connection is closed"
  let cause: Error | undefined;
  client.on("error", (err: Error) => { cause ??= err; });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      (async () => {
        await client.connect();
        await client.ping();
      })(),
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs); }),
    ]);
  } catch (err) {
    const e = (cause ?? err) as Error;
    const msg = e.message ?? String(e);
    if (/WRONGPASS|NOAUTH|invalid username-password|AUTH failed|NOPERM/i.test(msg)) {
      throw new QueueConnectionError(`Redis at ${target.host} refused the credentials (${msg.split("\n")[0]!.replace(/\s+/g, " ").slice(0, 120)})`);
    }
    const code = (e as NodeJS.ErrnoException).code;
    throw new QueueConnectionError(`cannot reach Redis at ${target.redacted}: ${code ?? msg.split("\n")[0]}`);
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}
