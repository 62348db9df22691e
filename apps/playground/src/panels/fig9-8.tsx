import * as Plot from "@observablehq/plot";
import { type Fig98Params, type Fig98Result, describeParams, getExperiment } from "@regularize/experiments";
import { useEffect, useState } from "preact/hooks";
import { Checkbox } from "../ui/controls.js";
import { Figures, Panel, Readout, RunBar } from "../ui/panel.js";
import { PlotView } from "../ui/plot.js";
import type { Route } from "../ui/router.js";
import { SchemaControls } from "../ui/schema-controls.js";
import { useEntryState } from "../ui/schema-state.js";
import { CYAN, ORANGE } from "../ui/toy-plot.js";
import { useExperiment } from "../ui/use-experiment.js";

const INFOS = describeParams(getExperiment("fig9.8").params);

/** The book's panels b–d: keep masks of layer 1 units 1–4 then layer 2 units 1–4 (CHAPTER9 §2, fig 9.8). */
const BOOK_MASKS: readonly (readonly [string, readonly number[]])[] = [
  ["a) full network", [1, 1, 1, 1, 1, 1, 1, 1]],
  ["b)", [1, 1, 0, 1, 1, 0, 1, 1]],
  ["c)", [0, 1, 1, 0, 0, 1, 1, 1]],
  ["d)", [1, 0, 1, 1, 1, 1, 1, 0]],
];

/** The 3-4-4-1 schematic with hidden units switched off by `mask` (a dropped unit loses its edges). */
function Schematic(props: { mask: readonly number[]; label: string }) {
  const layers = [3, 4, 4, 1];
  const X = [40, 140, 240, 340];
  const ys = (n: number) => Array.from({ length: n }, (_, i) => 30 + ((i + 0.5) * 200) / n);
  const on = (l: number, i: number) => (l === 1 ? props.mask[i] === 1 : l === 2 ? props.mask[4 + i] === 1 : true);
  const edges: preact.JSX.Element[] = [];
  for (let l = 0; l < 3; l++) {
    ys(layers[l]!).forEach((y0, i) => ys(layers[l + 1]!).forEach((y1, j) => {
      if (on(l, i) && on(l + 1, j)) edges.push(<line key={`${l}-${i}-${j}`} x1={X[l]} y1={y0} x2={X[l + 1]} y2={y1} stroke="currentColor" stroke-opacity={0.35} />);
    }));
  }
  return (
    <svg viewBox="0 0 380 250" class="schematic" role="img" aria-label={props.label} data-testid="schematic">
      {edges}
      {layers.map((n, l) => ys(n).map((y, i) => (
        <circle key={`${l}-${i}`} cx={X[l]} cy={y} r={13} fill={on(l, i) ? (l === 0 ? ORANGE : l === 3 ? CYAN : "#5c7cfa") : "none"}
          stroke="currentColor" stroke-dasharray={on(l, i) ? undefined : "3,3"} stroke-opacity={on(l, i) ? 0.8 : 0.5} />
      )))}
      <text x={40} y={245} text-anchor="middle" font-size="12" fill="currentColor">input</text>
      <text x={190} y={245} text-anchor="middle" font-size="12" fill="currentColor">hidden layers</text>
      <text x={340} y={245} text-anchor="middle" font-size="12" fill="currentColor">output</text>
    </svg>
  );
}

export function Fig98({ route }: { route: Route }) {
  const [s, set, url] = useEntryState<Fig98Params>(route, INFOS);
  const run = useExperiment<Fig98Result>("fig9.8", s, { debounceMs: 300 });
  const r = run.result;
  const reduced = typeof window !== "undefined" && window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;
  const [playing, setPlaying] = useState(!reduced);
  const [frame, setFrame] = useState(0);
  const [book, setBook] = useState<number | null>(null);
  const frames = r?.masks ?? [];
  useEffect(() => {
    if (!playing || frames.length === 0 || book !== null) return;
    const t = setInterval(() => setFrame((f) => (f + 1) % frames.length), 800);
    return () => clearInterval(t);
  }, [playing, frames.length, book]);
  const mask = book !== null ? BOOK_MASKS[book]![1] : frames[frame % Math.max(1, frames.length)] ?? [1, 1, 1, 1, 1, 1, 1, 1];
  const maskLabel = book !== null ? `book panel ${BOOK_MASKS[book]![0]}` : `random mask ${(frame % Math.max(1, frames.length)) + 1} of ${frames.length}`;
  return (
    <Panel
      id="fig-9-8"
      figure="Figure 9.8"
      title="Dropout"
      notices={url.notices}
      onReset={url.reset}
      intro={<p>
        Dropout switches each hidden unit off with probability p at every training step (left: the book's 3-4-4-1 schematic
        with masks drawn as in training; a dropped unit takes its edges with it). At test time the network is used either with
        the <strong>weight-scaling rule</strong> — every unit on, activations × (1 − p) — or with <strong>Monte Carlo dropout</strong>:
        T passes with fresh masks, whose mean and spread give a prediction and an uncertainty band. Right: an MLP 1-W-W-1
        trained with dropout (noise's <code>dropout</code>, full batch, Adam) on the seed-1 toy data, both ways.
      </p>}
      controls={<>
        <SchemaControls infos={INFOS} values={s as unknown as Record<string, unknown>} set={set as (p: Record<string, unknown>) => void}
          keys={["rate", "width", "steps", "samples", "seed"]}
          hints={{
            rate: { label: "p (drop rate)", max: 0.9, step: 0.05 },
            width: { label: "width W", presets: [16, 32, 64, 128], presetFormat: String },
            steps: { label: "steps", control: "number" },
            samples: { label: "MC passes T", min: 1, max: 200, step: 1 },
            seed: { label: "seed", control: "number" },
          }} />
        <Checkbox label="animate the masks" value={playing && book === null} onChange={(v) => { setBook(null); setPlaying(v); }} testId="animate" />
      </>}
      caption={{
        tryThis: <>raise p towards 0.9: training gets noisier, the MC band widens and the two test-time rules drift apart; p = 0 makes
          them identical. Pick the book's masks b–d under the schematic, or let random masks play.</>,
        equations: <>training: h ← m ⊙ h with mₖ ~ Bernoulli(1 − p) per hidden unit and step (§9.3.3); weight scaling: f(x) with every
          hidden activation × (1 − p); MC dropout: mean and sd of f(x; m⁽ᵗ⁾) over t = 1…T fresh masks.</>,
      }}
    >
      <RunBar run={run} label="figure 9.8" />
      <Figures run={run}>
        <div class="figure-row">
          <figure>
            <figcaption>{maskLabel}</figcaption>
            <Schematic mask={mask} label={`Network with dropped units: ${maskLabel}`} />
            <div class="presets" role="group" aria-label="the book's masks">
              {BOOK_MASKS.map(([label], i) => (
                <button key={label} type="button" aria-pressed={book === i} onClick={() => { setBook(book === i ? null : i); }} data-testid={`book-mask-${i}`}>{label}</button>
              ))}
            </div>
          </figure>
          {r && (
            <figure>
              <figcaption>Weight scaling vs MC dropout (T = {s.samples})</figcaption>
              <PlotView label="Weight scaling prediction against the Monte Carlo dropout mean and band" testId="plot-predictions" deps={[r]}
                build={() => Plot.plot({
                  width: 360, height: 260, marginLeft: 36, marginBottom: 30,
                  x: { domain: [0, 1], label: "x" }, y: { domain: [-1, 4], label: "y" },
                  color: { domain: ["MC dropout mean ± 2 sd", "weight scaling", "true function"], range: [CYAN, "#d6336c", "currentColor"], legend: true },
                  marks: [
                    Plot.frame({ stroke: "currentColor", strokeOpacity: 0.25 }),
                    Plot.areaY(r.grid.map((x, i) => [x, r.mcMean[i]! - 2 * r.mcSd[i]!, r.mcMean[i]! + 2 * r.mcSd[i]!]), { x: "0", y1: "1", y2: "2", fill: CYAN, fillOpacity: 0.2, clip: true }),
                    ...r.mcPasses.map((c) => Plot.line(r.grid.map((x, i) => [x, c[i]!]), { x: "0", y: "1", stroke: CYAN, strokeOpacity: 0.3, strokeWidth: 0.8, clip: true })),
                    Plot.line(r.grid.map((x, i) => [x, r.truth[i]!]), { x: "0", y: "1", stroke: "currentColor", strokeOpacity: 0.6, strokeDasharray: "3,3" }),
                    Plot.line(r.grid.map((x, i) => [x, r.mcMean[i]!]), { x: "0", y: "1", stroke: CYAN, strokeWidth: 2, clip: true }),
                    Plot.line(r.grid.map((x, i) => [x, r.weightScaling[i]!]), { x: "0", y: "1", stroke: "#d6336c", strokeWidth: 1.8, strokeDasharray: "6,3", clip: true }),
                    Plot.dot(r.data.x.map((x, i) => [x, r.data.y[i]!]), { x: "0", y: "1", r: 3.5, fill: ORANGE, stroke: "#7a3d00", strokeWidth: 0.6 }),
                  ],
                })} />
            </figure>
          )}
        </div>
      </Figures>
      {r && !run.stale && (
        <div class="readouts">
          <Readout label="MSE vs the true function, weight scaling:" testId="mse-ws">{r.mseWeightScaling.toFixed(4)}</Readout>
          <Readout label="MC dropout mean:" testId="mse-mc">{r.mseMc.toFixed(4)}</Readout>
          <Readout label="mean squared gap between the rules:" testId="gap">{r.gap.toExponential(2)}</Readout>
          <Readout label="training MSE (weight scaling):" testId="train-loss">{r.trainLoss.toFixed(4)}</Readout>
        </div>
      )}
    </Panel>
  );
}
