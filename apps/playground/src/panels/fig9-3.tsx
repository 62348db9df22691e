import * as Plot from "@observablehq/plot";
import { type Fig93Params, type Fig93Result, type Point, describeParams, getExperiment } from "@regularize/experiments";
import { useEntryState } from "../ui/schema-state.js";

const INFOS = describeParams(getExperiment("fig9.3").params);
import { NumberInput, Slider } from "../ui/controls.js";
import { Figures, Panel, Readout, RunBar, pt } from "../ui/panel.js";
import { PlotView, heatmap } from "../ui/plot.js";
import type { Route } from "../ui/router.js";
import { useExperiment } from "../ui/use-experiment.js";

const px = (d: Point) => d[0];
const py = (d: Point) => d[1];
const line = (path: readonly Point[], stroke: string, dash?: string): Plot.Markish[] => [
  Plot.line(path, { x: px, y: py, stroke, strokeWidth: 2, ...(dash ? { strokeDasharray: dash } : {}) }),
  Plot.dot([path.at(-1)!], { x: px, y: py, r: 3.5, fill: stroke }),
];
const dots = (path: readonly Point[], fill: string): Plot.Markish => Plot.dot(path, { x: px, y: py, r: 1.8, fill });

export function Fig93({ route }: { route: Route }) {
  const [s, set, url] = useEntryState<Fig93Params>(route, INFOS);
  const run = useExperiment<Fig93Result>("fig9.3", s);
  const r = run.result;
  const ax = { xLabel: "φ₀", yLabel: "φ₁", width: 330, height: 320 } as const;
  const setStart = (x: number, y: number) => set({ start: [+x.toFixed(3), +y.toFixed(3)] as Point });
  return (
    <Panel
      id="fig-9-3"
      figure="Figure 9.3"
      title="Implicit regularisation of gradient descent"
      notices={url.notices}
      onReset={url.reset}
      caption={{
        tryThis: <>raise α from 0.05 to 0.1: the discrete path (cyan) ends further right, in a flatter part of the valley, and the
          flow on the modified loss (dashed, panel c) follows it; click panel a to start elsewhere. Defaults (notebook 9.2): GD ends
          at (−0.2078, −0.0015), the flow at (−0.2269, 0), the modified flow at (−0.2089, 0).</>,
        equations: <>L(φ) = 1 − exp(−½·φ₁²·e<sup>4φ₀²</sup>); GD φ ← φ − α∇L; the modified loss
          L̃<sub>GD</sub> = L + (α/4)‖∇L‖² (eq. 9.8), whose gradient ∇L + (α/2)H∇L uses Hessian-vector products.</>,
      }}
      intro={<p>
        Loss L(φ) = 1 − exp(−½·φ₁²·e<sup>4φ₀²</sup>) (notebook 9.2): every point of the line φ₁ = 0 is a global minimum and the
        valley is widest at φ₀ = 0. Gradient descent with a finite step α (cyan dots) ends further right — in a flatter
        place — than the continuous gradient flow (white). The flow on the modified loss L + (α/4)‖∇L‖² (dashed) follows
        the discrete path: finite steps act like a penalty on the gradient norm.
      </p>}
      controls={<>
        <Slider label="α" name="alpha (learning rate)" value={s.alpha} min={0.005} max={0.2} step={0.005}
          onChange={(alpha) => set({ alpha })} format={(v) => v.toFixed(3)} testId="alpha" />
        <NumberInput label="steps" name="number of discrete gradient descent steps" value={s.steps} min={1} max={2000} step={1}
          onChange={(steps) => set({ steps: Math.max(1, Math.round(steps)) })} testId="steps" />
        <NumberInput label="start φ₀" name="start phi0" value={s.start[0]} min={-0.8} max={0.5} step={0.05}
          onChange={(v) => set({ start: [v, s.start[1]] })} testId="start0" />
        <NumberInput label="start φ₁" name="start phi1" value={s.start[1]} min={-0.8} max={0.5} step={0.05}
          onChange={(v) => set({ start: [s.start[0], v] })} testId="start1" />
        <NumberInput label="flow time" name="integration time of the continuous paths" value={s.flowTime} min={0.1} max={100} step={0.5}
          onChange={(time) => set({ flowTime: time })} testId="time" />
      </>}
    >
      <RunBar run={run} label="figure 9.3" />
      <Figures run={run}>
      <div class="figure-row">
        <figure>
          <figcaption>a) L(φ): GD (cyan), flow (white)</figcaption>
          <PlotView label="Loss with the discrete and continuous paths" testId="plot-a" deps={[r]} onClickData={setStart}
            build={() => r && heatmap({ grid: r.loss, ...ax, marks: [...line(r.flow, "#fff"), ...line(r.discrete, "#35d0e0"), dots(r.discrete, "#35d0e0")] })} />
        </figure>
        <figure>
          <figcaption>b) implicit regulariser (α/4)‖∇L‖²</figcaption>
          <PlotView label="The gradient descent implicit regulariser" testId="plot-b" deps={[r]}
            build={() => r && heatmap({ grid: r.term, ...ax })} />
        </figure>
        <figure>
          <figcaption>c) L + (α/4)‖∇L‖², its flow (dashed)</figcaption>
          <PlotView label="Modified loss with the continuous path on it" testId="plot-c" deps={[r]} onClickData={setStart}
            build={() => r && heatmap({ grid: r.modified, ...ax, marks: [
              ...line(r.modifiedFlow, "#fff", "5,3"),
              Plot.dot([r.discrete.at(-1)!], { x: px, y: py, r: 5, stroke: "#35d0e0", strokeWidth: 2, fill: "none" }),
            ] })} />
        </figure>
      </div>
      </Figures>
      <p class="hint">Click panel a or c to move the start point. Continuous paths: optim's gradientFlow (adaptive Dormand–Prince) to t = {s.flowTime}.</p>
      {r && (
        <div class="readouts">
          <Readout label={`discrete GD end (α = ${s.alpha}, ${s.steps} steps):`} testId="end-discrete">{pt(r.discrete.at(-1)!, 4)}</Readout>
          <Readout label="gradient flow end:" testId="end-flow">{pt(r.flow.at(-1)!, 4)}</Readout>
          <Readout label="flow on the modified loss, end:" testId="end-modified">{pt(r.modifiedFlow.at(-1)!, 4)}</Readout>
        </div>
      )}
    </Panel>
  );
}
