import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Write rows as CSV (header from the first row's keys; nested values as JSON). */
export function toCsv(rows: readonly Record<string, unknown>[]): string {
  if (rows.length === 0) return "";
  const keys = Object.keys(rows[0]!);
  const cell = (v: unknown) => {
    const s = typeof v === "string" ? v : typeof v === "number" ? String(v) : JSON.stringify(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [keys.join(","), ...rows.map((r) => keys.map((k) => cell(r[k])).join(","))].join("\n") + "\n";
}

/** Write `files` (name → content) into `dir`, creating it; returns the paths written. */
export function writeResults(dir: string, files: Record<string, string>): string[] {
  mkdirSync(dir, { recursive: true });
  return Object.entries(files).map(([name, content]) => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  });
}
