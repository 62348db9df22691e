import type { ComponentChildren } from "preact";
import type { ExperimentState } from "./use-experiment.js";

export interface Caption {
  /** What to try with the controls. */
  readonly tryThis: ComponentChildren;
  /** The equations the panel implements (book numbering). */
  readonly equations: ComponentChildren;
}

export function Panel(props: {
  figure: string;
  title: string;
  intro: ComponentChildren;
  controls: ComponentChildren;
  children: ComponentChildren;
  id: string;
  caption: Caption;
  /** URL values that were clamped or ignored. */
  notices?: readonly string[];
  onReset?: () => void;
}) {
  return (
    <article class="panel" data-panel={props.id}>
      <header>
        <a href="#/" class="back">← all figures</a>
        <h1><span class="fig">{props.figure}</span> {props.title}</h1>
        <div class="intro">{props.intro}</div>
      </header>
      {props.notices && props.notices.length > 0 && (
        <div class="notice" role="alert" data-testid="url-notice">
          <strong>Some values in the address were not usable:</strong>
          <ul>{props.notices.map((n) => <li key={n}>{n}</li>)}</ul>
        </div>
      )}
      <section class="controls" aria-label="Controls">
        {props.controls}
        {props.onReset && <button type="button" class="reset" onClick={props.onReset} data-testid="reset">Reset</button>}
      </section>
      {props.children}
      <section class="caption" aria-label="Caption" data-testid="caption">
        <p><strong class="fig">{props.figure}</strong> — {props.title}.</p>
        <p><strong>Try:</strong> {props.caption.tryThis}</p>
        <p><strong>Equations:</strong> {props.caption.equations}</p>
      </section>
    </article>
  );
}

/** Wraps a panel's figures: dims them (and says so) while they show the previous settings' result. */
export function Figures(props: { run: ExperimentState<unknown, unknown>; children: ComponentChildren; class?: string }) {
  return (
    <div class={`figures ${props.class ?? ""} ${props.run.stale ? "stale" : ""}`} data-stale={props.run.stale ? "1" : "0"}>
      {props.run.stale && <p class="stale-note">Showing the result of the previous settings while the new run computes.</p>}
      {props.children}
    </div>
  );
}

export function fmtRate(r: number): string {
  return r >= 1000 ? `${(r / 1000).toFixed(1)}k steps/s` : `${Math.round(r)} steps/s`;
}

/** Status line: progress bar, message, steps/s, Cancel / Run buttons and the last run's time. */
export function RunBar(props: { run: ExperimentState<unknown, unknown>; label?: string; testId?: string }) {
  const { run } = props;
  const frac = run.progress?.fraction ?? (run.status === "done" ? 1 : 0);
  const pct = Math.round(100 * frac);
  return (
    <div class="runbar" data-testid={props.testId ?? "runbar"} data-status={run.status} data-run={String(run.runId)}>
      <progress max={100} value={pct} aria-label={`${props.label ?? "experiment"} progress`} />
      <span class="run-msg" data-testid="run-status" role="status" aria-live="polite">
        {run.status === "running" && `running… ${pct}% ${run.progress?.message ?? ""}`}
        {run.status === "done" && `done in ${fmtMs(run.ms ?? 0)}`}
        {run.status === "cancelled" && (run.partial !== null
          ? `cancelled at ${pct}% — showing what was computed${run.progress?.message ? ` (${run.progress.message})` : ""}`
          : "cancelled — press Run to compute")}
        {run.status === "error" && `error: ${run.error ?? ""}`}
        {run.status === "idle" && "waiting…"}
      </span>
      {run.stepsPerSec !== null && <span class="rate" data-testid="steps-per-sec" data-value={String(Math.round(run.stepsPerSec))}>{fmtRate(run.stepsPerSec)}</span>}
      {run.status === "running"
        ? <button type="button" onClick={run.cancel} data-testid="cancel">Cancel</button>
        : <button type="button" onClick={run.rerun} data-testid="rerun">Run{run.status === "idle" ? "" : " again"}</button>}
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

/** A table that scrolls sideways inside its box on narrow screens (the page itself never does). */
export function ScrollTable(props: { children: ComponentChildren; label: string }) {
  return <div class="table-scroll" role="region" aria-label={props.label} tabIndex={0}>{props.children}</div>;
}

export const f3 = (v: number) => (Object.is(v, -0) ? 0 : v).toFixed(3);
export const f4 = (v: number) => (Math.abs(v) < 5e-5 ? 0 : v).toFixed(4);
export const pt = (p: readonly [number, number], d = 3) => `(${(Math.abs(p[0]) < 0.5 * 10 ** -d ? 0 : p[0]).toFixed(d)}, ${(Math.abs(p[1]) < 0.5 * 10 ** -d ? 0 : p[1]).toFixed(d)})`;
