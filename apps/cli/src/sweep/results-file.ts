import { closeSync, existsSync, fstatSync, fsyncSync, openSync, readFileSync, readSync, writeSync } from "node:fs";
import type { ResultLine } from "./trial.ts";

/**
 * Append-only results.jsonl: whole lines per write, opened with O_APPEND and fsynced, so a crash
 * (SIGKILL, power loss) can at worst leave a torn *last* line, never a lost earlier one. Lines that
 * arrive in the same event-loop turn share one write + fsync (group commit: an fsync costs ~6 ms
 * on this machine's disk, which would cap a queue's collector at ~160 trials/s).
 */
export class ResultsFile {
  readonly #fd: number;
  #pending: string[] = [];
  #scheduled = false;

  constructor(readonly path: string) {
    this.#fd = openSync(path, "a");
    // a torn last line of an earlier crash must not swallow the next record: end it first
    const size = fstatSync(this.#fd).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      const rfd = openSync(path, "r");
      try { readSync(rfd, last, 0, 1, size - 1); } finally { closeSync(rfd); }
      if (last[0] !== 0x0a) this.#write("\n");
    }
  }

  /** Append one record: written (one write of whole lines, then fsync) at the end of this event-loop turn, or by flush()/close(). */
  append(line: ResultLine): void {
    this.#pending.push(JSON.stringify(line) + "\n");
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Write and fsync every pending record now. */
  flush(): void {
    this.#scheduled = false;
    if (this.#pending.length === 0) return;
    const text = this.#pending.join("");
    this.#pending = [];
    this.#write(text);
  }

  #write(text: string): void {
    const buf = Buffer.from(text, "utf8");
    // one write() call with O_APPEND: the kernel appends it whole (a short write only on a full disk)
    const n = writeSync(this.#fd, buf, 0, buf.length);
    if (n !== buf.length) throw new Error(`results.jsonl: short write (${n} of ${buf.length} bytes): disk full?`);
    fsyncSync(this.#fd);
  }

  close(): void {
    this.flush();
    closeSync(this.#fd);
  }
}

/** What a results.jsonl holds: the first record per trial id (later duplicates ignored) and the count of unreadable lines. */
export interface ReadResults {
  readonly byId: ReadonlyMap<string, ResultLine>;
  /** Lines that are not a complete record (a torn last line after a crash). */
  readonly skipped: number;
}

/**
 * Read results.jsonl, tolerating a torn line (ignored and counted). An `ok` record wins over a
 * `failed` one of the same id; otherwise the first record of an id counts.
 */
export function readResults(path: string): ReadResults {
  const byId = new Map<string, ResultLine>();
  let skipped = 0;
  if (!existsSync(path)) return { byId, skipped };
  for (const raw of readFileSync(path, "utf8").split("\n")) {
    if (raw.trim() === "") continue;
    let rec: ResultLine;
    try {
      rec = JSON.parse(raw) as ResultLine;
    } catch {
      skipped++;
      continue;
    }
    if (typeof rec !== "object" || rec === null || typeof rec.id !== "string" || (rec.status !== "ok" && rec.status !== "failed")) {
      skipped++;
      continue;
    }
    const prev = byId.get(rec.id);
    if (prev === undefined || (prev.status === "failed" && rec.status === "ok")) byId.set(rec.id, rec);
  }
  return { byId, skipped };
}
