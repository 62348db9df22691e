import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import type { RedisOptions } from "bullmq";

/** A queue URL that cannot be used (bad syntax, scheme, unreadable CA): exit code 2. */
export class QueueUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QueueUrlError";
  }
}

/** A parsed `--queue` URL: what to connect to and how to print it. */
export interface QueueTarget {
  /** The URL with its password replaced by `***`: the only form that is ever printed or written. */
  readonly redacted: string;
  /** host:port, for error messages. */
  readonly host: string;
  /** The password (to scrub from any output), or undefined. */
  readonly secret?: string;
  /** ioredis options (BullMQ requires maxRetriesPerRequest: null). */
  readonly connection: RedisOptions;
}

/** The queue URL from --queue, else the REGULARIZE_QUEUE environment variable (keeps passwords out of shell history). */
export function queueUrlFrom(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return flag ?? (env.REGULARIZE_QUEUE?.trim() || undefined);
}

/** Replace the password of a redis:// or rediss:// URL by `***` (best effort on unparsable text). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString().replace(/%2A%2A%2A@/i, "***@");
  } catch {
    return url.replace(/(\/\/[^:/@]*:)[^@]*@/, "$1***@");
  }
}

/**
 * Parse `redis://[user:password@]host[:port][/db]` or `rediss://…` (TLS; `tlsCa` a PEM file of a
 * private CA). Connections fail fast: 5 s connect timeout, a bounded reconnect schedule.
 */
export function parseQueueUrl(url: string, opts: { tlsCa?: string } = {}): QueueTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new QueueUrlError(`--queue: not a URL: ${redactUrl(url)} (expected redis://[user:password@]host:port[/db] or rediss://…)`);
  }
  const redacted = redactUrl(url);
  if (u.protocol !== "redis:" && u.protocol !== "rediss:") throw new QueueUrlError(`--queue: unsupported scheme "${u.protocol}" in ${redacted} (expected redis:// or rediss://)`);
  if (!u.hostname) throw new QueueUrlError(`--queue: no host in ${redacted}`);
  const port = u.port ? Number(u.port) : 6379;
  const dbText = u.pathname.replace(/^\//, "");
  const db = dbText === "" ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0 || db > 1024) throw new QueueUrlError(`--queue: database must be an integer, got "${dbText}" in ${redacted}`);
  const host = u.hostname.replace(/^\[|\]$/g, "");
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  const username = u.username ? decodeURIComponent(u.username) : undefined;
  let tls: RedisOptions["tls"];
  if (u.protocol === "rediss:") {
    let ca: Buffer | undefined;
    if (opts.tlsCa) {
      try {
        ca = readFileSync(opts.tlsCa);
      } catch (err) {
        throw new QueueUrlError(`--tls-ca: cannot read ${opts.tlsCa} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      }
    }
    // SNI takes host names only (an IP there is deprecated); the certificate is still checked against the IP
    tls = { ...(isIP(host) ? {} : { servername: host }), ...(ca ? { ca } : {}) };
  } else if (opts.tlsCa) {
    throw new QueueUrlError(`--tls-ca needs a rediss:// URL (got ${redacted})`);
  }
  return {
    redacted,
    host: `${host}:${port}`,
    ...(password ? { secret: password } : {}),
    connection: {
      host, port, db,
      ...(username ? { username } : {}),
      ...(password ? { password } : {}),
      ...(tls ? { tls } : {}),
      maxRetriesPerRequest: null,
      connectTimeout: 5000,
      // reconnect for ~30 s after a lost connection, then give up (commands then fail, no hang)
      retryStrategy: (times: number) => (times > 30 ? null : Math.min(200 * times, 1000)),
    },
  };
}

/**
 * Scrub a secret from everything this process prints (stdout, stderr): the password and its
 * URL-encoded form become `***`, whatever code path (ours, BullMQ's, ioredis') prints it.
 */
export function scrubOutput(secret: string | undefined): void {
  if (!secret) return;
  const forms = [...new Set([secret, encodeURIComponent(secret)])].filter((s) => s.length > 0);
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (typeof chunk === "string" || Buffer.isBuffer(chunk)) {
        let s = typeof chunk === "string" ? chunk : chunk.toString("utf8");
        for (const f of forms) s = s.split(f).join("***");
        return write(s, ...rest);
      }
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
}

/** Replace a secret in a text (for strings written to files or job records). */
export function scrubText(text: string, secret: string | undefined): string {
  if (!secret) return text;
  return text.split(secret).join("***").split(encodeURIComponent(secret)).join("***");
}
