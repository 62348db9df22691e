import { toDisplayUnits } from "@regularize/datasets";
import { type Fig92Params, type Fig92Result, type RidgeFit, describeParams, getExperiment } from "@regularize/experiments";
import { useEntryState } from "../ui/schema-state.js";

const INFOS = describeParams(getExperiment("fig9.2").params);
const FIG92_PROBES = [0, 0.25, 0.5, 0.75, 1] as const;
import { NumberInput, Select, Slider } from "../ui/controls.js";
import { Figures, Panel, Readout, RunBar, ScrollTable } from "../ui/panel.js";
import { PlotView } from "../ui/plot.js";
import { type Route, oneOf, useHashState } from "../ui/router.js";
import { toyPlot, type Units } from "../ui/toy-plot.js";
import { useExperiment } from "../ui/use-experiment.js";

const LOG_MIN = -7; // slider position meaning λ = 0
const toSlider = (l: number) => (l <= 0 ? LOG_MIN : Math.max(LOG_MIN + 0.1, Math.log10(l)));
const fromSlider = (v: number) => (v <= LOG_MIN ? 0 : +(10 ** v).toPrecision(3));
export const fmtLambda = (l: number) => (l === 0 ? "0" : l >= 0.01 ? String(+l.toPrecision(3)) : l.toExponential(1).replace("e", "e"));

export function Fig92({ route }: { route: Route }) {
  const [s, set, url] = useEntryState<Fig92Params>(route, INFOS);
  const [view, setView, viewUrl] = useHashState(route, { units: [oneOf<Units>("scaled", "raw"), "scaled" as Units] });
  const run = useExperiment<Fig92Result>("fig9.2", s, { debounceMs: 60 });
  const r = run.result;
  const u = (v: number) => (view.units === "scaled" ? toDisplayUnits(v) : v);
  const small = (fit: RidgeFit, title: string, big = false) => r && toyPlot({
    title, x: r.x, y: r.y, grid: r.grid, truth: r.truth, curves: [{ values: fit.curve }], units: view.units,
    width: big ? 420 : 270, height: big ? 300 : 190,
  });
  const rows = r ? [...r.fits, r.free] : [];
  return (
    <Panel
      id="fig-9-2"
      figure="Figure 9.2"
      title="L2 regularisation of the 14-unit network"
      notices={[...url.notices, ...viewUrl.notices]}
      onReset={url.reset}
      caption={{
        tryThis: <>slide the free λ from 0 (the curve interpolates all 15 points) up to 1 (almost a straight line); switch to the
          generated data with seed 1 to compare with the VERIFIED table (λ = 10⁻³: f(0) = 0.8776, SSE = 0.657137).</>,
        equations: <>f(x) = β + Σₖ ωₖ·max(0, x − k/14) (§1.2); the L2-regularised least squares Σᵢ(yᵢ − f(xᵢ))² + λΣₖωₖ² (eqs. 9.1, 9.5)
          solved in closed form, φ = (AᵀA + λ·diag(0, 1, …, 1))⁻¹Aᵀy.</>,
      }}
      intro={<p>
        The simplified network with 14 fixed ReLU joints (15 parameters for 15 points) is fitted in closed form,
        φ = (AᵀA + λ·diag(0, 1, …, 1))⁻¹Aᵀy — ridge regression with the bias unpenalised. With λ = 0 the curve passes
        through every point; moderate λ (panels c–d) is closest to the true function (black); large λ over-smooths.
      </p>}
      controls={<>
        <Select label="data" name="data set" value={s.data} testId="data"
          options={[["book", "book (digitised fig 9.2)"], ["seed", "generated (seeded)"]]} onChange={(data) => set({ data })} />
        {s.data === "seed" && <NumberInput label="seed" name="data seed" value={s.seed} min={0} step={1} testId="seed"
          onChange={(seed) => set({ seed: Math.max(0, Math.round(seed)) })} />}
        <Slider label="free λ" name="free lambda, log scale" value={toSlider(s.lambda)} min={LOG_MIN} max={0} step={0.1}
          onChange={(v) => set({ lambda: fromSlider(v) })} format={() => fmtLambda(s.lambda)} testId="lambda" />
        <Select label="y axis" name="y axis units" value={view.units} testId="units"
          options={[["scaled", "book's scaled units"], ["raw", "raw units"]]} onChange={(units) => setView({ units })} />
      </>}
    >
      <RunBar run={run} label="figure 9.2" />
      <Figures run={run}>
      {r && (<>
        <div class="grid3" data-testid="six-panels">
          {r.fits.map((fit, i) => (
            <PlotView key={fit.lambda} label={`Ridge fit with lambda ${fit.lambda}`} deps={[r, view.units]} noExport={false}
              build={() => small(fit, `${"abcdef"[i]}) λ = ${fmtLambda(fit.lambda)}`)} />
          ))}
        </div>
        <h2>Free λ = {fmtLambda(r.free.lambda)}</h2>
        <PlotView label="Ridge fit with the free lambda" testId="free-plot" deps={[r, view.units]} build={() => small(r.free, "", true)} />
        <ScrollTable label="Probe values and SSE per λ">
        <table class="numbers" data-testid="table">
          <thead><tr>
            <th>λ</th>{FIG92_PROBES.map((p) => <th key={p}>f({p})</th>)}<th>SSE (raw)</th>
          </tr></thead>
          <tbody>
            {rows.map((f, i) => (
              <tr key={i} data-lambda={String(f.lambda)} data-testid={i === rows.length - 1 ? "row-free" : `row-${i}`}>
                <td>{fmtLambda(f.lambda)}{i === rows.length - 1 ? " (free)" : ""}</td>
                {Array.from(f.probes, (v, j) => <td key={j}>{u(v).toFixed(4)}</td>)}
                <td>{f.sse.toFixed(6)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </ScrollTable>
        <p class="note">
          f values are in {view.units === "scaled" ? "the book's scaled units y′ = 0.6·(y − cosh 1)/sinh 1" : "raw units"}; the SSE
          is always in raw units. Because the bias is not penalised, the fitted curves are the same in both units.
          Book data: digitised from the figure (±0.02). Generated data: the notebooks' generator; seed 1 is their data set.
        </p>
        <div class="readouts">
          <Readout label="free-λ fit: f(0) =" testId="free-f0">{u(r.free.probes[0]!).toFixed(4)}</Readout>
          <Readout label="f(1) =" testId="free-f1">{u(r.free.probes[4]!).toFixed(4)}</Readout>
          <Readout label="SSE =" testId="free-sse">{r.free.sse.toFixed(6)}</Readout>
        </div>
      </>)}
      </Figures>
    </Panel>
  );
}
