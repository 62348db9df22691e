import type { ResultLine, Trial } from "./trial.ts";

/** One row of the sweep summary: a grid point, its trial counts and the seed-mean of each scalar result field. */
export interface SummaryRow {
  readonly point: Readonly<Record<string, unknown>>;
  readonly ok: number;
  readonly failed: number;
  readonly missing: number;
  /** Mean over the point's `ok` seeds of every top-level numeric field of the result. */
  readonly means: Readonly<Record<string, number>>;
}

/** Group the trials' records by grid point (the grid keys' values) and average scalar results over seeds. */
export function summarize(trials: readonly Trial[], records: ReadonlyMap<string, ResultLine>, gridKeys: readonly string[]): SummaryRow[] {
  const groups = new Map<string, { point: Record<string, unknown>; trials: Trial[] }>();
  for (const t of trials) {
    const point = Object.fromEntries(gridKeys.map((k) => [k, t.params[k]]));
    const key = JSON.stringify(point);
    const g = groups.get(key) ?? { point, trials: [] };
    g.trials.push(t);
    groups.set(key, g);
  }
  return [...groups.values()].map(({ point, trials: ts }) => {
    let ok = 0, failed = 0, missing = 0;
    const sums = new Map<string, { s: number; n: number }>();
    for (const t of ts) {
      const r = records.get(t.id);
      if (!r) { missing++; continue; }
      if (r.status === "failed") { failed++; continue; }
      ok++;
      if (r.result !== null && typeof r.result === "object" && !Array.isArray(r.result)) {
        for (const [k, v] of Object.entries(r.result)) {
          if (typeof v !== "number" || k === "seed") continue;
          const a = sums.get(k) ?? { s: 0, n: 0 };
          a.s += v;
          a.n++;
          sums.set(k, a);
        }
      }
    }
    const means = Object.fromEntries([...sums.entries()].map(([k, a]) => [k, a.s / a.n]));
    return { point, ok, failed, missing, means };
  });
}

const fmt = (v: unknown): string => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? v.toPrecision(4) : v.toExponential(3)) : String(v));

/** The summary as a plain-text table (one line per grid point; at most `maxMetrics` metric columns). */
export function summaryTable(rows: readonly SummaryRow[], gridKeys: readonly string[], maxMetrics = 6): string {
  const metrics = [...new Set(rows.flatMap((r) => Object.keys(r.means)))].slice(0, maxMetrics);
  const head = [...gridKeys, "ok", "failed", ...metrics.map((m) => `mean ${m}`)];
  const body = rows.map((r) => [...gridKeys.map((k) => fmt(r.point[k])), String(r.ok), String(r.failed), ...metrics.map((m) => (m in r.means ? fmt(r.means[m]) : "–"))]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join("  ");
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}
