import { type PlotFigure, type PlotMark, getExperiment } from "@regularize/experiments";
import type { SweepSpec } from "./plan.ts";
import type { ResultLine, Trial } from "./trial.ts";

/**
 * The figures of a finished sweep: the entry's own sweep plots when it has them (fig 9.5's error vs
 * width), else, for the first numeric grid key, each scalar result field (seed mean) against it, one
 * line per combination of the other grid keys.
 */
export function sweepFigures(spec: SweepSpec, trials: readonly Trial[], records: ReadonlyMap<string, ResultLine>): PlotFigure[] {
  const ok = trials.map((t) => records.get(t.id)).filter((r): r is ResultLine & { status: "ok" } => r?.status === "ok");
  if (ok.length === 0) return [];
  const e = getExperiment(spec.experiment);
  if (e.sweepPlots) {
    const preset = spec.panel ? e.sweeps?.find((s) => s.name === spec.panel!.name) : undefined;
    return [...e.sweepPlots(ok.map((r) => ({ params: r.params, result: r.result })), preset)];
  }
  const keys = spec.grid.map(([k]) => k);
  const xKey = keys.find((k) => spec.grid.find(([g]) => g === k)![1].every((v) => typeof v === "number"));
  if (xKey === undefined) return [];
  const others = keys.filter((k) => k !== xKey);
  const metrics = [...new Set(ok.flatMap((r) => (r.result && typeof r.result === "object" ? Object.entries(r.result).filter(([k, v]) => typeof v === "number" && k !== "seed").map(([k]) => k) : [])))].slice(0, 6);
  const xs = [...new Set(ok.map((r) => r.params[xKey] as number))].sort((a, b) => a - b);
  const logX = xs.length > 1 && xs[0]! > 0 && xs[xs.length - 1]! / xs[0]! >= 20;
  return metrics.map((m) => {
    const series = new Map<string, Map<number, number[]>>();
    for (const r of ok) {
      const v = (r.result as Record<string, unknown>)[m];
      if (typeof v !== "number") continue;
      const s = others.map((k) => `${k} ${String(r.params[k])}`).join(", ") || m;
      const byX = series.get(s) ?? new Map<number, number[]>();
      series.set(s, byX);
      const x = r.params[xKey] as number;
      byX.set(x, [...(byX.get(x) ?? []), v]);
    }
    const marks: PlotMark[] = [];
    for (const [name, byX] of series) {
      const sx = [...byX.keys()].sort((a, b) => a - b);
      const mean = sx.map((x) => byX.get(x)!.reduce((a, b) => a + b, 0) / byX.get(x)!.length);
      marks.push({ type: "line", x: sx, y: mean, series: name }, { type: "dot", x: sx, y: mean, series: name });
    }
    const name = `${m}-vs-${xKey}`.replace(/[^A-Za-z0-9._-]+/g, "-");
    return { name, title: `${e.title}: ${m} vs ${xKey} (mean over seeds)`, x: { label: xKey, ...(logX ? { type: "log" as const } : {}) }, y: { label: m }, marks };
  });
}
