import * as Plot from "@observablehq/plot";
import { type Fig910Fit, type Fig910Params, type Fig910Result, describeParams, getExperiment } from "@regularize/experiments";
import { useEntryState } from "../ui/schema-state.js";

const INFOS = describeParams(getExperiment("fig9.10").params);
import { Slider } from "../ui/controls.js";
import { Figures, Panel, Readout, RunBar, ScrollTable } from "../ui/panel.js";
import { PlotView } from "../ui/plot.js";
import type { Route } from "../ui/router.js";
import { ORANGE, toyPlot } from "../ui/toy-plot.js";
import { useExperiment } from "../ui/use-experiment.js";

export function Fig910({ route }: { route: Route }) {
  const [s, set, url] = useEntryState<Fig910Params>(route, INFOS);
  const run = useExperiment<Fig910Result>("fig9.10", s, { debounceMs: 300 });
  const r = run.result;
  const plot = (f: Fig910Fit, title: string) => r && toyPlot({
    title, x: r.x, y: r.y, grid: r.grid, truth: r.truth, units: "raw", width: 300, height: 230,
    curves: [{ values: f.curve }],
    extra: f.sigma > 0 ? [Plot.dot(Array.from(f.samples, (x, k) => ({ x, y: r.y[Math.floor(k / 10)]! })), {
      x: "x", y: "y", r: 1.6, fill: ORANGE, fillOpacity: 0.35, clip: true,
    })] : [],
  });
  const labels = ["a", "b", "c", "d"];
  return (
    <Panel
      id="fig-9-10"
      figure="Figure 9.10"
      title="Adding noise to the inputs"
      notices={url.notices}
      onReset={url.reset}
      caption={{
        tryThis: <>slide σₓ of panel d from 0 (the same fit as panel a) to 0.3: the fit flattens and the total curvature in the table
          drops; σₓ = 0 reuses the cached fit.</>,
        equations: <>each step trains on (xᵢ + εᵢ, yᵢ) with fresh εᵢ ~ N(0, σₓ²) (§9.3.4); for a linear model the expected loss is
          Σᵢ(φ₀ + φ₁xᵢ − yᵢ)² + I·σₓ²·φ₁², an L2 penalty on the slope (problem 9.3).</>,
      }}
      intro={<>
        <p>
          At every training step each input becomes x + ε with ε ~ N(0, σₓ²) — fresh noise each time, targets unchanged
          (noise's <code>inputNoise</code> plugin). The network can no longer fit a sharp feature at one exact x, so the
          fitted function gets smoother as σₓ grows. Small dots: ten noise samples per data point.
        </p>
        <p class="note">
          The book's panels are labelled σₓ = 0, 0.6 and 1.0, but the spread of its sample dots is about a tenth of that in the
          [0, 1] units of x; the presets here are σₓ = 0, 0.06 and 0.1 in those units. The book does not give the model: we use
          the simplified network with 40 hidden units, trained full batch on the sum of squared errors with Adam (α = 0.01,
          5000 steps).
        </p>
      </>}
      controls={<>
        <Slider label="σₓ (panel d)" name="input noise standard deviation of panel d" value={s.sigma} min={0} max={0.3} step={0.01}
          onChange={(sigma) => set({ sigma })} format={(v) => v.toFixed(2)} testId="sigma" />
      </>}
    >
      <RunBar run={run} label="figure 9.10" />
      <Figures run={run}>
      {r && (<>
        <div class="grid3">
          {r.fits.map((f, i) => (
            <figure key={i}>
              <PlotView label={`Fit with input noise sigma ${f.sigma}`} testId={`plot-${labels[i]}`} deps={[r]}
                build={() => plot(f, `${labels[i]}) σₓ = ${f.sigma}${i === 3 ? " (slider)" : ""}`)} />
            </figure>
          ))}
        </div>
        <ScrollTable label="Fit quality per noise level">
        <table class="numbers" data-testid="table">
          <thead><tr><th>σₓ</th><th>SSE on the data</th><th>total curvature Σ|Δ²f|</th></tr></thead>
          <tbody>
            {r.fits.map((f, i) => (
              <tr key={i} data-testid={`row-${i}`}><td>{f.sigma}</td><td>{f.sse.toFixed(3)}</td><td>{f.roughness.toFixed(3)}</td></tr>
            ))}
          </tbody>
        </table>
        </ScrollTable>
        <div class="readouts">
          <Readout label={`σₓ = ${r.fits[3]!.sigma}: SSE`} testId="free-sse">{r.fits[3]!.sse.toFixed(3)}</Readout>
          <Readout label="curvature" testId="free-roughness">{r.fits[3]!.roughness.toFixed(3)}</Readout>
        </div>
      </>)}
      </Figures>
    </Panel>
  );
}
