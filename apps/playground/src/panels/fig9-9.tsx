import * as Plot from "@observablehq/plot";
import { type Fig99Model, type Fig99Params, type Fig99Result, describeParams, getExperiment } from "@regularize/experiments";
import { useEntryState } from "../ui/schema-state.js";

const INFOS = describeParams(getExperiment("fig9.9").params);
/** The joints of hidden units 7, 8, 9 (where the kink is read off). */
const FIG99_PROBES = [0.5, 8 / 14, 9 / 14] as const;
import { NumberInput, Slider } from "../ui/controls.js";
import { Figures, Panel, Readout, RunBar } from "../ui/panel.js";
import { PlotView } from "../ui/plot.js";
import type { Route } from "../ui/router.js";
import { toyPlot } from "../ui/toy-plot.js";
import { useExperiment } from "../ui/use-experiment.js";

const gapText = (m: Fig99Model) => Array.from(m.gap, (v) => v.toFixed(2)).join(" / ");

export function Fig99({ route }: { route: Route }) {
  const [s, set, url] = useEntryState<Fig99Params>(route, INFOS);
  const run = useExperiment<Fig99Result>("fig9.9", s);
  const r = run.result;
  const plot = (m: Fig99Model, title: string, color: string, extra: Fig99Model | null = null) => r && toyPlot({
    title, x: r.x, y: r.y, grid: r.grid, units: "raw", yDomain: [-2, 5], width: 330, height: 250,
    curves: [...(extra ? [{ values: extra.curve, color: "#aaa", dash: "4,3", width: 1.4 }] : []), { values: m.curve, color }],
    extra: [
      Plot.rectX([r.gapRange], { x1: (d: readonly number[]) => d[0], x2: (d: readonly number[]) => d[1], y1: -2, y2: 5, fill: "currentColor", fillOpacity: 0.08 }),
      Plot.ruleX([0.5, 8 / 14, 9 / 14], { stroke: "currentColor", strokeOpacity: 0.3, strokeDasharray: "2,3" }),
    ],
  });
  return (
    <Panel
      id="fig-9-9"
      figure="Figure 9.9"
      title="Dropout removes a kink"
      notices={url.notices}
      onReset={url.reset}
      caption={{
        tryThis: <>set the bump a to 0 (no kink to remove) or 50 (a sharp one); vary the iterations (0 shows the kinked start) and the
          mask seed. The gap values f(x) at the three joints show the kink — the middle one sticks out before dropout, not after.</>,
        equations: <>f(x) = β + Σₖ mₖωₖ·max(0, x − k/14) with one of m₇, m₈, m₉ set to 0 per step (dropout, §9.3.3); full-batch GD on
          Σᵢ(f(xᵢ) − yᵢ)²; at test time the weight-scaling rule multiplies ω₇…₉ by the keep probability 2/3.</>,
      }}
      intro={<p>
        No data lie between x = 0.415 and 0.742 (gray), where five joints of the 14-unit network fall. A triangular bump on
        hidden units 7, 8 and 9 (ω₇ += a, ω₈ −= 2a, ω₉ += a) is zero at every data point, so it costs nothing: (a) fits as
        well as least squares. Turning off unit 8 (b) shows how much the fit depends on that one unit. Dropout — in every
        iteration one of units 7/8/9 is switched off — makes units that only work together expensive: after 2000
        iterations (c) the kink is gone. The trained network is used with the book's weight-scaling rule (ω₇…₉ × 2/3);
        the dashed gray curve is the same network without it.
      </p>}
      controls={<>
        <Slider label="bump a" name="bump amplitude a" value={s.amplitude} min={0} max={50} step={1} onChange={(a) => set({ amplitude: a })} testId="amplitude" />
        <Slider label="α" name="learning rate of the dropout iterations" value={s.learningRate} min={0.001} max={0.02} step={0.001}
          onChange={(lr) => set({ learningRate: lr })} format={(v) => v.toFixed(3)} testId="lr" />
        <NumberInput label="iterations" name="dropout iterations" value={s.iterations} min={0} max={20000} step={100}
          onChange={(iters) => set({ iterations: Math.max(0, Math.round(iters)) })} testId="iters" />
        <NumberInput label="mask seed" name="seed of the dropout masks" value={s.seed} min={0} step={1}
          onChange={(seed) => set({ seed: Math.max(0, Math.round(seed)) })} testId="seed" />
      </>}
    >
      <RunBar run={run} label="figure 9.9" />
      <Figures run={run}>
      {r && (<>
        <div class="figure-row">
          <figure><PlotView label="Original kinked fit" testId="plot-a" deps={[r]} build={() => plot(r.original, "a) Original", "#1fb5c9")} /></figure>
          <figure><PlotView label="Hidden unit 8 turned off" testId="plot-b" deps={[r]} build={() => plot(r.unit8Off, "b) Turn off hidden unit 8", "#d9480f")} /></figure>
          <figure><PlotView label="After dropout training" testId="plot-c" deps={[r]}
            build={() => plot(r.dropout, `c) ${s.iterations} iters dropout (7/8/9)`, "#2b8a3e", r.dropoutUnscaled)} /></figure>
        </div>
        <div class="readouts">
          <Readout label={`f at x = ${FIG99_PROBES.map((p) => p.toFixed(3)).join(" / ")}: original`} testId="gap-original">{gapText(r.original)}</Readout>
          <Readout label="after dropout" testId="gap-dropout">{gapText(r.dropout)}</Readout>
          <Readout label="SSE original / after dropout / least squares:" testId="sse">
            {`${r.original.sse.toFixed(3)} / ${r.dropout.sse.toFixed(3)} / ${r.lsSse.toFixed(3)}`}
          </Readout>
          <Readout label="SSE without weight scaling:" testId="sse-unscaled">{r.dropoutUnscaled.sse.toFixed(2)}</Readout>
        </div>
        <p class="note">
          The book gives neither the learning rate nor how the kinked start was made; following CHAPTER9 §2 the start is the
          minimum-norm least-squares fit plus a·(e₇ − 2e₈ + e₉) and the dropout steps are full-batch gradient steps on the SSE
          (noise's <code>dropout</code> plugin: rate 1/3 on units 7/8/9, exactly one dropped, one mask per step).
        </p>
      </>)}
      </Figures>
    </Panel>
  );
}
