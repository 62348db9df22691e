import { describeParams, getExperiment } from "@regularize/experiments";
import { Figures, Panel, RunBar, ScrollTable } from "../ui/panel.js";
import type { Route } from "../ui/router.js";
import { SchemaControls } from "../ui/schema-controls.js";
import { useEntryState } from "../ui/schema-state.js";
import { type SpecFigure, SpecPlotView } from "../ui/spec-plot.js";
import { useExperiment } from "../ui/use-experiment.js";

const ENTRY = getExperiment("fig9.7");
const INFOS = describeParams(ENTRY.params);

/** The registry's fig9.7 result (notebook 9.3's curves and MSEs). */
interface Fig97Result {
  readonly singleMse: number;
  readonly memberMse: number[];
  readonly medianMse: number;
  readonly meanMse: number;
  readonly indices: number[][];
}

interface Fig97Params { readonly seed: number; readonly members: number }

export function Fig97({ route }: { route: Route }) {
  const [s, set, url] = useEntryState<Fig97Params>(route, INFOS);
  const run = useExperiment<Fig97Result>("fig9.7", s, { debounceMs: 60 });
  const r = run.result;
  const figs = r ? (ENTRY.plots?.(r, s as unknown as Record<string, unknown>) ?? []) as readonly SpecFigure[] : [];
  return (
    <Panel
      id="fig-9-7"
      figure="Figure 9.7"
      title="Ensembling by bagging"
      notices={url.notices}
      onReset={url.reset}
      intro={<p>
        Notebook 9.3's recipe drawn as the book's figure: the 14-unit network fitted in closed form on 15 noisy points (a), then
        on bootstrap resamples of them — 15 draws with replacement, dot size = how often a point was drawn, undrawn points have
        no dot (b–e) — and the members combined by their mean and median. The combination beats every single member on the
        mean squared error against the true function.
      </p>}
      controls={<SchemaControls infos={INFOS} values={s as unknown as Record<string, unknown>} set={set as (p: Record<string, unknown>) => void}
        hints={{ seed: { label: "data seed", control: "number" }, members: { label: "members", min: 1, max: 12, step: 1 } }} />}
      caption={{
        tryThis: <>change the number of members (1–12) and the seed: the mean and median stay below the members' errors. With seed 1
          and 4 members the table shows notebook 9.3's numbers: single 0.1954, members 0.2223 / 0.0979 / 0.1202 / 0.0479,
          median 0.0198, mean 0.0182.</>,
        equations: <>member m is fitted on a bootstrap resample (indices ~ Uniform{"{"}0…14{"}"}, with replacement); the ensemble
          predicts mean<sub>m</sub> f<sub>m</sub>(x) or median<sub>m</sub> f<sub>m</sub>(x) (§9.3.2); MSE = (1/100)Σ(f(x) − μ(x))² on 100
          points of [0, 1].</>,
      }}
    >
      <RunBar run={run} label="figure 9.7" />
      <Figures run={run}>
        <div class="grid3">
          {figs.map((f) => <SpecPlotView key={f.name} fig={f} deps={[r]} width={320} height={240} />)}
        </div>
      </Figures>
      {r && !run.stale && (
        <ScrollTable label="Mean squared errors against the true function">
          <table class="numbers" data-testid="mse-table">
            <thead><tr><th>model</th><th>MSE</th></tr></thead>
            <tbody>
              <tr data-testid="mse-single"><td>single model (all data)</td><td>{r.singleMse.toFixed(4)}</td></tr>
              {r.memberMse.map((m, i) => <tr key={i} data-testid={`mse-member-${i + 1}`}><td>member {i + 1}</td><td>{m.toFixed(4)}</td></tr>)}
              <tr data-testid="mse-median"><td>median of the members</td><td>{r.medianMse.toFixed(4)}</td></tr>
              <tr data-testid="mse-mean"><td>mean of the members</td><td>{r.meanMse.toFixed(4)}</td></tr>
            </tbody>
          </table>
        </ScrollTable>
      )}
    </Panel>
  );
}
