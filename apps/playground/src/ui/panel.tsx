import type { ComponentChildren } from "preact";
import type { ExperimentName } from "../experiments/registry.js";
import type { ExperimentState } from "./use-experiment.js";

export function Panel(props: {
  figure: string;
  title: string;
  intro: ComponentChildren;
  controls: ComponentChildren;
  children: ComponentChildren;
  id: string;
}) {
  return (
    <article class="panel" data-panel={props.id}>
      <header>
        <a href="#/" class="back">← all figures</a>
        <h1><span class="fig">{props.figure}</span> {props.title}</h1>
        <div class="intro">{props.intro}</div>
      </header>
      <section class="controls" aria-label="Controls">{props.controls}</section>
      {props.children}
    </article>
  );
}

/** Status line: progress bar, message, Cancel / Run buttons and the last run's time. */
export function RunBar<K extends ExperimentName>(props: { run: ExperimentState<K>; label?: string }) {
  const { run } = props;
  const pct = Math.round(100 * (run.progress?.fraction ?? (run.status === "done" ? 1 : 0)));
  return (
    <div class="runbar" data-testid="runbar" data-status={run.status} data-run={String(run.runId)} role="status" aria-live="polite">
      <progress max={100} value={pct} aria-label={`${props.label ?? "experiment"} progress`} />
      <span class="run-msg" data-testid="run-status">
        {run.status === "running" && `running… ${pct}% ${run.progress?.message ?? ""}`}
        {run.status === "done" && `done in ${fmtMs(run.ms ?? 0)}`}
        {run.status === "cancelled" && "cancelled"}
        {run.status === "error" && `error: ${run.error ?? ""}`}
        {run.status === "idle" && "waiting…"}
      </span>
      {run.status === "running"
        ? <button type="button" onClick={run.cancel} data-testid="cancel">Cancel</button>
        : <button type="button" onClick={run.rerun} data-testid="rerun">Run again</button>}
      {run.status === "done" && <span class="run-ms" data-testid="run-ms" data-ms={String(Math.round(run.ms ?? 0))} hidden />}
    </div>
  );
}

export function fmtMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function Readout(props: { label: ComponentChildren; testId: string; children: ComponentChildren }) {
  return (
    <div class="readout">
      <span class="readout-label">{props.label}</span>{" "}
      <output data-testid={props.testId}>{props.children}</output>
    </div>
  );
}

export const f3 = (v: number) => (Object.is(v, -0) ? 0 : v).toFixed(3);
export const f4 = (v: number) => (Math.abs(v) < 5e-5 ? 0 : v).toFixed(4);
export const pt = (p: readonly [number, number], d = 3) => `(${(Math.abs(p[0]) < 0.5 * 10 ** -d ? 0 : p[0]).toFixed(d)}, ${(Math.abs(p[1]) < 0.5 * 10 ** -d ? 0 : p[1]).toFixed(d)})`;
