import { closeSync, existsSync, fstatSync, fsyncSync, openSync, readFileSync, readSync, writeSync } from "node:fs";
import type { ResultLine } from "./trial.ts";

/**
 * Append-only results.jsonl: one full line per write, opened with O_APPEND and fsynced, so a
 * crash (SIGKILL, power loss) can at worst leave a torn *last* line, never a lost earlier one.
 */
export class ResultsFile {
  readonly #fd: number;

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

  /** Append one record as a single write of a full line, then fsync. */
  append(line: ResultLine): void {
    this.#write(JSON.stringify(line) + "\n");
  }

  #write(text: string): void {
    const buf = Buffer.from(text, "utf8");
    // one write() call with O_APPEND: the kernel appends it whole (a short write only on a full disk)
    const n = writeSync(this.#fd, buf, 0, buf.length);
    if (n !== buf.length) throw new Error(`results.jsonl: short write (${n} of ${buf.length} bytes): disk full?`);
    fsyncSync(this.#fd);
  }

  close(): void {
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
