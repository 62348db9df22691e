import * as Plot from "@observablehq/plot";
import { type Mnist1dExplorerParams, type Mnist1dExplorerResult as Mnist1dResult, type Mnist1dStep, describeParams, getExperiment } from "@regularize/experiments";
import { useEntryState } from "../ui/schema-state.js";

const INFOS = describeParams(getExperiment("mnist1d-explorer").params);
import { NumberInput, Select } from "../ui/controls.js";
import { Figures, Panel, Readout, RunBar } from "../ui/panel.js";
import { PlotView } from "../ui/plot.js";
import type { Route } from "../ui/router.js";
import { useExperiment } from "../ui/use-experiment.js";

const series = (v: ArrayLike<number>) => Array.from(v, (y, i) => ({ t: v.length > 1 ? i / (v.length - 1) : 0, y }));

function stepPlot(s: Mnist1dStep) {
  return Plot.plot({
    width: 230, height: 130, marginLeft: 34, marginBottom: 24, marginTop: 8,
    x: { domain: [0, 1], label: null, ticks: 3 },
    y: { label: null, ticks: 4 },
    marks: [
      Plot.ruleY([0], { stroke: "currentColor", strokeOpacity: 0.2 }),
      ...(s.before ? [Plot.line(series(s.before), { x: "t", y: "y", stroke: "currentColor", strokeOpacity: 0.35, strokeWidth: 1 })] : []),
      Plot.line(series(s.values), { x: "t", y: "y", stroke: "#0a7ea4", strokeWidth: 1.6 }),
      ...(s.values.length <= 72 ? [Plot.dot(series(s.values), { x: "t", y: "y", r: 1.2, fill: "#0a7ea4" })] : []),
    ],
  });
}

export function Mnist1dExplorer({ route }: { route: Route }) {
  const [s, set, url] = useEntryState<Mnist1dExplorerParams>(route, INFOS);
  const run = useExperiment<Mnist1dResult>("mnist1d-explorer", s, { debounceMs: 100 });
  const r = run.result;
  return (
    <Panel
      id="mnist1d"
      figure="MNIST-1D"
      title="The MNIST-1D generator, step by step"
      notices={url.notices}
      onReset={url.reset}
      caption={{
        tryThis: <>pick another digit or sample seed and follow the draws through each stage; raise the samples per class to see how
          much the classes overlap after shifting and shearing.</>,
        equations: <>template → pad p ∈ [36, 60] zeros → resample to 72 → scale by 1 + 0.4(u − ½) → circular shift k ∈ [0, 48) →
          correlated noise (Gaussian filter σ = 2) in the padding → + 0.02·N(0, 1) → shear c·linspace(−½, ½) → resample to 40 (§1.4).</>,
      }}
      intro={<p>
        MNIST-1D (Greydanus 2020) turns ten hand-made 12-point templates into 40-point signals with a fixed random
        pipeline: pad with zeros, stretch, scale, shift circularly, fill the padding with correlated noise, add iid
        noise, shear, and downsample. Our generator in <code>@regularize/datasets</code> reproduces the reference data set
        bit for bit; pick a digit and a seed to trace one sample, or browse generated samples per class.
      </p>}
      controls={<>
        <Select label="digit" name="digit class of the traced sample" value={s.label}
          options={Array.from({ length: 10 }, (_, i) => [i, String(i)] as const)} onChange={(label) => set({ label })} testId="label" />
        <NumberInput label="sample seed" name="seed of the traced sample" value={s.seed} min={0} step={1}
          onChange={(seed) => set({ seed: Math.max(0, Math.round(seed)) })} testId="seed" />
        <NumberInput label="samples per class" name="samples per class in the grid" value={s.perClass} min={1} max={12} step={1}
          onChange={(perClass) => set({ perClass: Math.min(12, Math.max(1, Math.round(perClass))) })} testId="per-class" />
        <NumberInput label="grid seed" name="seed of the sample grid" value={s.gridSeed} min={0} step={1}
          onChange={(gridSeed) => set({ gridSeed: Math.max(0, Math.round(gridSeed)) })} testId="grid-seed" />
      </>}
    >
      <RunBar run={run} label="MNIST-1D" />
      <Figures run={run}>
      {r && (<>
        <h2>Templates</h2>
        <PlotView label="The ten MNIST-1D digit templates" testId="templates" deps={[r]} build={() => Plot.plot({
          width: 900, height: 130, marginLeft: 34, marginBottom: 24,
          fx: { label: null, tickFormat: (d: number) => `digit ${d}` },
          x: { label: null, ticks: 0 }, y: { label: null, ticks: 3 },
          marks: [
            Plot.ruleY([0], { stroke: "currentColor", strokeOpacity: 0.2 }),
            Plot.line(r.templates.flatMap((t, c) => Array.from(t, (y, i) => ({ c, i, y }))), {
              fx: "c", x: "i", y: "y", stroke: (d: { c: number }) => (d.c === s.label ? "#d9480f" : "currentColor"), strokeWidth: 1.6,
            }),
          ],
        })} />
        <h2>Pipeline for digit {s.label}, seed {s.seed}</h2>
        <div class="readouts">
          <Readout label="draws:" testId="draws">
            {`p = ${r.draws.p}, scale = ${r.draws.scale.toFixed(4)}, shift k = ${r.draws.k}, shear c = ${r.draws.shearCoeff.toFixed(4)}`}
          </Readout>
          <Readout label="final sample (first 4):" testId="final-head">
            {Array.from(r.steps.at(-1)!.values.slice(0, 4), (v) => v.toFixed(4)).join(", ")}
          </Readout>
        </div>
        <ol class="steps" data-testid="steps">
          {r.steps.map((st, i) => (
            <li key={st.key} data-step={st.key}>
              <div class="step-title">{i}. {st.title} <span class="len">[{st.values.length}]</span></div>
              <PlotView label={`Stage ${st.title}`} deps={[r]} build={() => stepPlot(st)} />
            </li>
          ))}
        </ol>
        <h2>Samples per class (standardised, seed {s.gridSeed})</h2>
        <PlotView label="Grid of generated samples, one row per class" testId="grid" deps={[r]} build={() => Plot.plot({
          width: Math.min(900, 110 * s.perClass + 60), height: 10 * 60 + 30, marginLeft: 40, marginBottom: 20,
          fx: { label: null, axis: null }, fy: { label: "digit" },
          x: { axis: null }, y: { axis: null },
          marks: [
            Plot.frame({ stroke: "currentColor", strokeOpacity: 0.15 }),
            Plot.line(r.grid.flatMap((row, c) => row.flatMap((smp, k) => Array.from(smp, (y, i) => ({ c, k, i, y })))), {
              fx: "k", fy: "c", x: "i", y: "y", z: (d: { c: number; k: number }) => `${d.c}-${d.k}`, stroke: "currentColor", strokeWidth: 1.2,
            }),
          ],
        })} />
      </>)}
      </Figures>
    </Panel>
  );
}
