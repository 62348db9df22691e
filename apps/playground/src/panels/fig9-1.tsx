import * as Plot from "@observablehq/plot";
import { type Fig91Params, type Fig91Result, type LocalMinimum, type Point, describeParams, getExperiment } from "@regularize/experiments";
import { NumberInput, Slider } from "../ui/controls.js";
import { Figures, Panel, Readout, RunBar, f3, pt } from "../ui/panel.js";
import { PlotView, heatmap, pathMarks } from "../ui/plot.js";
import type { Route } from "../ui/router.js";
import { useEntryState } from "../ui/schema-state.js";
import { useExperiment } from "../ui/use-experiment.js";

const minimaMarks = (minima: readonly LocalMinimum[]): Plot.Markish[] => [
  Plot.dot(minima.slice(1), { x: (m: LocalMinimum) => m.phi[0], y: (m: LocalMinimum) => m.phi[1], r: 4.5, fill: "#35d0e0", stroke: "#063", strokeWidth: 0.8 }),
  Plot.dot(minima.slice(0, 1), { x: (m: LocalMinimum) => m.phi[0], y: (m: LocalMinimum) => m.phi[1], r: 5.5, fill: "#555", stroke: "#fff", strokeWidth: 1.2 }),
];

const INFOS = describeParams(getExperiment("fig9.1").params);

export function Fig91({ route }: { route: Route }) {
  const [s, set, url] = useEntryState<Fig91Params>(route, INFOS);
  const run = useExperiment<Fig91Result>("fig9.1", s);
  const r = run.result;
  const setStart = (x: number, y: number) => set({ start: [+x.toFixed(2), +y.toFixed(2)] as Point });
  const ax = { xLabel: "φ₀ (offset)", yLabel: "φ₁ (frequency)", width: 330, height: 320 } as const;
  return (
    <Panel
      id="fig-9-1"
      figure="Figure 9.1"
      title="Explicit L2 regularisation of the Gabor model"
      notices={url.notices}
      onReset={url.reset}
      caption={{
        tryThis: <>move λ from 0 (the plain loss and its many local minima) to 1 and watch the minima of L + λ·g disappear and the
          global one slide towards (0, 12.5); click a heat map to start gradient descent elsewhere. At λ = 0.2 the global
          minimum is at (0.086, 13.80) and GD from (2.6, 8.5) ends near (0.10, 13.48).</>,
        equations: <>L(φ) = Σᵢ (f(xᵢ; φ) − yᵢ)² with the Gabor model f (eq. 6.8); the regularised loss L(φ) + λ·g(φ) (eq. 9.1)
          with g(φ) = φ₀² + (φ₁ − 12.5)², an L2 penalty (eq. 9.5) centred at (0, 12.5); GD φ ← φ − α·∇(L + λg).</>,
      }}
      intro={<p>
        The Gabor model's loss L(φ) (sum of squares over the 30 points of §6.1.2) has many local minima (cyan; the
        global one in gray). Adding λ·g(φ) with the bowl g = φ₀² + (φ₁ − 12.5)² — weak prior knowledge that
        φ ≈ (0, 12.5) — removes most of them and moves the global minimum. Gradient descent (white path) from a start
        point you can click now reaches the valley of the global minimum.
      </p>}
      controls={<>
        <Slider label="λ" name="lambda (regularisation strength)" value={s.lambda} min={0} max={1} step={0.01}
          onChange={(lambda) => set({ lambda })} testId="lambda" format={(v) => v.toFixed(2)} />
        <Slider label="α" name="alpha (learning rate)" value={s.alpha} min={0.01} max={0.3} step={0.01}
          onChange={(alpha) => set({ alpha })} testId="alpha" format={(v) => v.toFixed(2)} />
        <NumberInput label="steps" name="number of gradient descent steps" value={s.steps} min={0} max={1000} step={1}
          onChange={(steps) => set({ steps: Math.round(steps) })} testId="steps" />
        <NumberInput label="start φ₀" name="start phi0" value={s.start[0]} min={-10} max={10} step={0.1}
          onChange={(v) => set({ start: [v, s.start[1]] })} testId="start0" />
        <NumberInput label="start φ₁" name="start phi1" value={s.start[1]} min={2.5} max={22.5} step={0.1}
          onChange={(v) => set({ start: [s.start[0], v] })} testId="start1" />
      </>}
    >
      <RunBar run={run} label="figure 9.1" />
      <Figures run={run}>
      <div class="figure-row">
        <figure>
          <figcaption>a) loss L(φ)</figcaption>
          <PlotView label="Heat map of the Gabor loss with its local minima" testId="plot-a" deps={[r]} onClickData={setStart}
            build={() => r && heatmap({ grid: r.loss, ...ax, marks: [...minimaMarks(r.lossMinima)] })} />
        </figure>
        <figure>
          <figcaption>b) regulariser g(φ)</figcaption>
          <PlotView label="Heat map of the centred L2 regulariser" testId="plot-b" deps={[r]}
            build={() => r && heatmap({ grid: r.reg, ...ax, marks: [Plot.dot([[0, 12.5]], { x: "0", y: "1", r: 4, fill: "#555", stroke: "#fff" })] })} />
        </figure>
        <figure>
          <figcaption>c) L(φ) + λ·g(φ), λ = {s.lambda.toFixed(2)}</figcaption>
          <PlotView label="Heat map of the regularised loss with minima and the gradient descent path" testId="plot-c"
            deps={[r]} onClickData={setStart}
            build={() => r && heatmap({
              grid: r.total, ...ax,
              marks: [
                ...(r.lossMinima[0] ? [Plot.dot([r.lossMinima[0]], { x: (m: LocalMinimum) => m.phi[0], y: (m: LocalMinimum) => m.phi[1], r: 5.5, stroke: "#ddd", strokeWidth: 1.5, fill: "none" })] : []),
                ...minimaMarks(r.totalMinima),
                ...pathMarks(r.path),
              ],
            })} />
        </figure>
      </div>
      </Figures>
      <p class="hint">Click panel a or c to move the start point of gradient descent.</p>
      {r && (
        <div class="readouts">
          <Readout label="global minimum of L + λg:" testId="global-min">{pt(r.totalMinima[0]?.phi ?? [NaN, NaN])}</Readout>
          <Readout label="value there:" testId="global-min-value">{f3(r.totalMinima[0]?.value ?? NaN)}</Readout>
          <Readout label="global minimum of L (λ = 0):" testId="global-min-l">{pt(r.lossMinima[0]?.phi ?? [NaN, NaN])}</Readout>
          <Readout label="local minima of L / of L + λg:" testId="minima-count">{`${r.lossMinima.length} / ${r.totalMinima.length}`}</Readout>
          <Readout label={`GD end after ${s.steps} steps:`} testId="gd-end">{pt(r.path[r.path.length - 1]!)}</Readout>
          <Readout label="L + λg at the GD end:" testId="gd-end-value">{f3(r.pathEndValue)}</Readout>
        </div>
      )}
    </Panel>
  );
}
