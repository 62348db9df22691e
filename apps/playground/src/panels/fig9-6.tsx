import { bookDataset, trueFunction } from "@regularize/datasets";
import { type Fig96Params, type Fig96Partial, type Fig96Result, type Fig96Snapshot, describeParams, getExperiment } from "@regularize/experiments";
import { useEntryState } from "../ui/schema-state.js";

const INFOS = describeParams(getExperiment("fig9.6").params);
/** The book's snapshot iterations and the losses printed in its panels a–f. */
const FIG96_SNAPSHOTS = [0, 1000, 5000, 10_000, 50_000, 200_000] as const;
const FIG96_BOOK_LOSSES = [32.24, 1.64, 1.1, 0.8, 0.36, 0.16] as const;
import { NumberInput, Presets } from "../ui/controls.js";
import { LiveChart } from "../ui/live-chart.js";
import { Figures, Panel, Readout, RunBar } from "../ui/panel.js";
import { PlotView } from "../ui/plot.js";
import type { Route } from "../ui/router.js";
import { CYAN, toyPlot } from "../ui/toy-plot.js";
import { useExperiment } from "../ui/use-experiment.js";

const BUDGETS = [10_000, 50_000, 200_000] as const;
const k = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));

export function Fig96({ route }: { route: Route }) {
  const [s, set, url] = useEntryState<Fig96Params>(route, INFOS);
  const run = useExperiment<Fig96Result, Fig96Partial>("fig9.6", s, { debounceMs: 300 });
  const r = run.result;
  // while running (and after Cancel) the run's partial result is drawn: curves and the snapshots reached so far
  const partial = run.status === "running" || run.status === "cancelled" ? run.partial : null;
  const shown = partial ?? (run.stale ? null : r);
  const curves = shown?.curves ?? { steps: [], train: [], val: [] };
  const snaps: readonly Fig96Snapshot[] = shown?.snapshots ?? [];
  const bookLoss = (step: number) => { const i = FIG96_SNAPSHOTS.indexOf(step as (typeof FIG96_SNAPSHOTS)[number]); return i >= 0 ? FIG96_BOOK_LOSSES[i] : undefined; };
  return (
    <Panel
      id="fig-9-6"
      figure="Figure 9.6"
      title="Early stopping"
      notices={url.notices}
      onReset={url.reset}
      caption={{
        tryThis: <>run the quick 10k preset, then the full 200k: the training loss keeps falling (book: 32.24, 1.64, 1.10, 0.80, 0.36, 0.16)
          while the validation loss turns up; the green marker is the step early stopping restores. Change the validation seed to
          see how noisy that choice is. Cancel keeps the snapshots and curves computed so far.</>,
        equations: <>SGD on the batch sum of squared errors (eq. 6.10, batch 5, α = 0.05); early stopping (§9.3.1) keeps
          φ* = argmin over checked steps of the held-out loss.</>,
      }}
      intro={<p>
        The 14-unit network starts almost flat (ω ~ N(0, 0.5²), β = 0) and is trained by SGD (batch 5, α = 0.05, gradient of the
        batch's sum of squared errors) with core-train's <code>fit</code>. The training loss (sum of squared errors over the 15
        points, raw units) keeps falling, but after a few thousand iterations the curve starts to fit the noise. Early
        stopping (optim's <code>earlyStopping</code>) watches the loss on 15 held-out points and restores the best parameters.
      </p>}
      controls={<>
        <Presets label="iterations" value={s.iterations as (typeof BUDGETS)[number]} values={BUDGETS} format={(v) => (v === 10_000 ? "10k (quick)" : v === 200_000 ? "200k (full figure)" : k(v))}
          onChange={(iters) => set({ iterations: iters })} testId="iters" />
        <NumberInput label="init seed" name="seed of the initialisation and batch order" value={s.seed} min={0} step={1}
          onChange={(seed) => set({ seed: Math.max(0, Math.round(seed)) })} testId="seed" />
        <NumberInput label="validation seed" name="seed of the held-out points" value={s.valSeed} min={0} step={1}
          onChange={(valSeed) => set({ valSeed: Math.max(0, Math.round(valSeed)) })} testId="val-seed" />
      </>}
    >
      <RunBar run={run} label="figure 9.6" />
      <p class="note">The full 200 000 iterations take about half a minute to a minute in the browser; snapshots and curves appear as they are reached. 10k is a quick preview (panels a–d).</p>
      <Figures run={run}>
      <div class="grid3" data-testid="snapshots">
        {FIG96_SNAPSHOTS.filter((st) => st <= s.iterations).map((st, i) => {
          const snap = snaps.find((x) => x.step === st);
          return (
            <figure key={st} data-step={String(st)}>
              <figcaption>
                {"abcdef"[i]}) iteration {k(st)}
                {snap && <>: loss <output data-testid={`loss-${st}`}>{snap.trainLoss.toFixed(2)}</output></>}
                {bookLoss(st) !== undefined && <span class="book"> (book {bookLoss(st)!.toFixed(2)})</span>}
              </figcaption>
              {snap
                ? <PlotView label={`Model after ${st} iterations`} deps={[run.runId, snap.step, snap.trainLoss]} build={() => snapshotPlot(snap)} />
                : <div class="placeholder">{run.status === "running" ? "training…" : run.status === "cancelled" ? "not reached (cancelled)" : ""}</div>}
            </figure>
          );
        })}
      </div>
      <div class="figure-row">
        <figure style={{ maxWidth: "min(100%, 560px)" }}>
          <figcaption>Training and validation loss (SSE, log scales)</figcaption>
          <LiveChart label="Training and validation loss curves" testId="curves" x={curves.steps.map((v) => Math.max(v, 1))}
            ys={[curves.train, curves.val]} xLabel="iteration" yLabel="SSE" logX logY
            series={[{ label: "training (15 points)", color: CYAN }, { label: "validation (15 held-out)", color: "#d9480f" }]}
            markers={!partial && r && !run.stale ? [{ x: Math.max(1, r.best.step), color: "#2b8a3e" }] : []} />
        </figure>
        {r && !run.stale && run.status !== "cancelled" && (
          <figure>
            <figcaption>Restored by early stopping: iteration {r.best.step.toLocaleString("en-US")}</figcaption>
            <PlotView label="The restored best model" testId="best" deps={[r]}
              build={() => toyPlot({ x: BOOK.x, y: BOOK.y, grid: GRID, truth: TRUTH, curves: [{ values: r.best.curve, color: "#2b8a3e" }], units: "scaled", width: 320, height: 220 })} />
          </figure>
        )}
      </div>
      </Figures>
      {r && !run.stale && (
        <div class="readouts">
          <Readout label="best validation step:" testId="best-step">{String(r.best.step)}</Readout>
          <Readout label="validation SSE there:" testId="best-val">{r.best.valLoss.toFixed(3)}</Readout>
          <Readout label="training SSE there:" testId="best-train">{r.best.trainLoss.toFixed(3)}</Readout>
          <Readout label="final training SSE:" testId="final-train">{(r.snapshots.at(-1)?.trainLoss ?? NaN).toFixed(3)}</Readout>
        </div>
      )}
    </Panel>
  );
}

// The panel trains on the book's points; snapshots (also partial ones, during the run) are drawn on them.
const BOOK = bookDataset("fig9_6");
const GRID = Float64Array.from({ length: 100 }, (_, i) => i / 99);
const TRUTH = trueFunction(GRID);
function snapshotPlot(snap: Fig96Snapshot) {
  return toyPlot({ x: BOOK.x, y: BOOK.y, grid: GRID, truth: TRUTH, curves: [{ values: snap.curve }], units: "scaled", width: 280, height: 190 });
}
