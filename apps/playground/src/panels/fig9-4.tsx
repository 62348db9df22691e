import * as Plot from "@observablehq/plot";
import { type Fig94Params, type Fig94Result, type LocalMinimum, describeParams, getExperiment } from "@regularize/experiments";
import { useEntryState } from "../ui/schema-state.js";

const INFOS = describeParams(getExperiment("fig9.4").params);
import { Select, Slider } from "../ui/controls.js";
import { Figures, Panel, Readout, RunBar, f4, pt } from "../ui/panel.js";
import { PlotView, heatmap } from "../ui/plot.js";
import type { Route } from "../ui/router.js";
import { useExperiment } from "../ui/use-experiment.js";

const BATCH_SIZES = [1, 2, 3, 5, 6, 10, 15, 30] as const;
const mark = (m: LocalMinimum, fill: string, hollow = false) =>
  Plot.dot([m], { x: (d: LocalMinimum) => d.phi[0], y: (d: LocalMinimum) => d.phi[1], r: 5, ...(hollow ? { stroke: fill, strokeWidth: 1.5, fill: "none" } : { fill, stroke: "#fff" }) });

export function Fig94({ route }: { route: Route }) {
  const [s, set, url] = useEntryState<Fig94Params>(route, INFOS);
  const run = useExperiment<Fig94Result>("fig9.4", s, { debounceMs: 300 });
  const r = run.result;
  const ax = { xLabel: "φ₀", yLabel: "φ₁", width: 260, height: 250, contours: 14 } as const;
  return (
    <Panel
      id="fig-9-4"
      figure="Figure 9.4"
      title="Implicit regularisation of SGD (Gabor model)"
      notices={url.notices}
      onReset={url.reset}
      caption={{
        tryThis: <>set b = 30 (full batch): the SGD term c vanishes; b = 1 makes it largest. Raise α towards 40 and watch the
          minimum of the modified loss (d) drift away from the minimum of L at (0, 16.03).</>,
        equations: <>L̃<sub>SGD</sub> = L + (α/4)‖∇L‖² + (α/4B)Σ<sub>b</sub>‖∇L<sub>b</sub> − ∇L‖² (eqs. 9.9–9.10); the last term is
          replaced by its expectation over random partitions into batches of size b, (α/4)(1/b)((I−b)/(I−1))(1/I)Σᵢ‖∇ℓᵢ − ∇L‖².</>,
      }}
      intro={<>
        <p>
          SGD with learning rate α and batches of size b behaves like gradient descent on a modified loss: the mean loss
          L, plus the gradient-descent term (α/4)‖∇L‖², plus a term for the variance of the batch gradients. Here the
          variance term is its expectation over random partitions into batches of size b,
          (α/4)·(1/b)·((I−b)/(I−1))·(1/I)·Σᵢ‖∇ℓᵢ − ∇L‖² (I = 30). The minimum barely moves: SGD prefers places where
          the per-example gradients agree.
        </p>
        <p class="note">
          Unlike figure 9.1, L here is the <strong>mean</strong> of the 30 squared errors, L = (1/30)·Σᵢ(f(xᵢ; φ) − yᵢ)².
          Each panel has its own colour scale. The book does not state α, b or the partition; b = 5 and α = 10 are our defaults.
        </p>
      </>}
      controls={<>
        <Slider label="α" name="alpha (learning rate)" value={s.alpha} min={0} max={40} step={0.5}
          onChange={(alpha) => set({ alpha })} format={(v) => v.toFixed(1)} testId="alpha" />
        <Select label="batch size b" name="SGD batch size" value={s.batchSize} testId="batch"
          options={BATCH_SIZES.map((b) => [b, b === 30 ? "30 (full batch)" : String(b)] as const)} onChange={(batch) => set({ batchSize: batch })} />
        <Select label="grid" name="grid resolution" value={s.resolution} testId="res"
          options={[[51, "51² (fast)"], [101, "101²"], [201, "201² (slow)"]]} onChange={(res) => set({ resolution: res })} />
      </>}
    >
      <RunBar run={run} label="figure 9.4" />
      <Figures run={run}>
      <div class="figure-row">
        <figure>
          <figcaption>a) mean loss L</figcaption>
          <PlotView label="Mean Gabor loss" testId="plot-a" deps={[r]}
            build={() => r && heatmap({ grid: r.loss, ...ax, marks: [mark(r.lossMin, "#2f6fdf")] })} />
        </figure>
        <figure>
          <figcaption>b) GD term (α/4)‖∇L‖²</figcaption>
          <PlotView label="Gradient descent implicit term" testId="plot-b" deps={[r]} build={() => r && heatmap({ grid: r.gdTerm, ...ax })} />
        </figure>
        <figure>
          <figcaption>c) SGD term (batch-gradient variance)</figcaption>
          <PlotView label="SGD implicit term" testId="plot-c" deps={[r]} build={() => r && heatmap({ grid: r.sgdTerm, ...ax })} />
        </figure>
        <figure>
          <figcaption>d) modified loss a + b + c</figcaption>
          <PlotView label="Modified SGD loss with its minimum" testId="plot-d" deps={[r]}
            build={() => r && heatmap({ grid: r.modified, ...ax, marks: [mark(r.lossMin, "#ddd", true), mark(r.modifiedMin, "#2f6fdf")] })} />
        </figure>
      </div>
      </Figures>
      {r && (
        <div class="readouts">
          <Readout label="minimum of L:" testId="loss-min">{pt(r.lossMin.phi)}</Readout>
          <Readout label="minimum of the modified loss:" testId="modified-min">{pt(r.modifiedMin.phi)}</Readout>
          <Readout label="modified loss there:" testId="modified-min-value">{f4(r.modifiedMin.value)}</Readout>
        </div>
      )}
    </Panel>
  );
}
