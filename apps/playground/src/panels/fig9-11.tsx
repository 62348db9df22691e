import * as Plot from "@observablehq/plot";
import { bookDataset, trueFunction } from "@regularize/datasets";
import type { Fig911Result } from "@regularize/experiments";
import { Checkbox, NumberInput, Presets, Select, Slider } from "../ui/controls.js";
import { Figures, Panel, Readout, RunBar, ScrollTable } from "../ui/panel.js";
import { PlotView } from "../ui/plot.js";
import { type Route, bool, int, num, oneOf, useHashState } from "../ui/router.js";
import { CYAN, ORANGE } from "../ui/toy-plot.js";
import { useExperiment } from "../ui/use-experiment.js";


/** σ_p² of the book's panels a/d, b/e, c/f. */
const PRESETS = [1000, 100, 10] as const;
const PROBES = [0, 0.25, 0.5, 0.75, 1] as const;
/** 101 points: the probes are exactly on the grid (indices 0, 25, 50, 75, 100). */
const AT = Array.from({ length: 101 }, (_, i) => i / 100);
const SAMPLE_COLORS = [CYAN, "#5c7cfa", "#2b8a3e", "#d6336c", "#7048e8", "#868e96"];
const BOOK = bookDataset("fig9_11");
const TRUTH = trueFunction(AT);
const fmtVar = (v: number) => (v >= 1 ? String(+v.toPrecision(3)) : v.toPrecision(2));

export function Fig911({ route }: { route: Route }) {
  const [s, set, url] = useHashState(route, {
    sp: [num(1e-3, 1e6), 1000],
    noise: [bool, false],
    samples: [int(0, 100), 2],
    seed: [int(0, 2 ** 32 - 1), 0],
    data: [oneOf("seed1", "book"), "seed1" as "seed1" | "book"],
  });
  const params = {
    priorVariance: s.sp, samples: s.samples, seed: s.seed, at: AT, hiddenUnits: 14, noiseVariance: 0.09,
    ...(s.data === "book" ? { data: { x: Array.from(BOOK.x), y: Array.from(BOOK.y) } } : {}),
  };
  const run = useExperiment<Fig911Result>("fig9.11", params, { debounceMs: 60 });
  const r = run.result;
  const base = (title: string, marks: Plot.Markish[], res: Fig911Result) => Plot.plot({
    title, width: 340, height: 250, marginLeft: 36, marginBottom: 30,
    x: { domain: [0, 1], label: "x" }, y: { domain: [-1, 4], label: "y" },
    marks: [
      Plot.frame({ stroke: "currentColor", strokeOpacity: 0.25 }),
      Plot.line(AT.map((x, i) => [x, TRUTH[i]!]), { x: "0", y: "1", stroke: "currentColor", strokeOpacity: 0.5, strokeDasharray: "3,3" }),
      ...marks,
      Plot.dot(res.data.x.map((x, i) => [x, res.data.y[i]!]), { x: "0", y: "1", r: 3.5, fill: ORANGE, stroke: "#7a3d00", strokeWidth: 0.6 }),
    ],
  });
  const sdShown = r ? (s.noise ? r.sdWithNoise : r.sd) : [];
  return (
    <Panel
      id="fig-9-11"
      figure="Figure 9.11"
      title="Bayesian approach: posterior samples and predictive band"
      notices={url.notices}
      onReset={url.reset}
      intro={<p>
        The 14-unit simplified network is linear in its 15 parameters φ, so with a Gaussian likelihood (σ² = 0.09) and prior
        φ ~ N(0, σ_p²·I) the posterior is Gaussian and exact (bayes' <code>linearGaussian</code>). Left: functions of posterior samples
        φ = μ + L·z. Right: the posterior mean with a band of ±2 sd. A large σ_p² lets the samples wiggle and the band widen between
        and beyond the data; a small one shrinks them towards zero (it is ridge regression with λ = σ²/σ_p²).
      </p>}
      controls={<>
        <Presets label="σ_p² (book panels)" value={s.sp as (typeof PRESETS)[number]} values={PRESETS} onChange={(sp) => set({ sp })} testId="presets" />
        <Slider label="σ_p²" name="prior variance, log scale" value={Math.log10(s.sp)} min={-1} max={4} step={0.05}
          onChange={(v) => set({ sp: +(10 ** v).toPrecision(3) })} format={() => fmtVar(s.sp)} testId="sp" />
        <Checkbox label="include observation noise σ² in the band" value={s.noise} onChange={(noise) => set({ noise })} testId="noise" />
        <NumberInput label="samples" name="number of posterior samples" value={s.samples} min={0} max={100} step={1}
          onChange={(v) => set({ samples: Math.min(100, Math.max(0, Math.round(v))) })} testId="samples" />
        <NumberInput label="sample seed" name="seed of the posterior samples" value={s.seed} min={0} step={1}
          onChange={(v) => set({ seed: Math.max(0, Math.round(v)) })} testId="seed" />
        <Select label="data" name="training data" value={s.data} testId="data"
          options={[["seed1", "seed-1 data (notebook 9.4, verified table)"], ["book", "book's 15 points (digitised)"]]} onChange={(data) => set({ data })} />
      </>}
      caption={{
        tryThis: <>press 1000, 100 and 10 (the book's panels a/d, b/e, c/f): the samples calm down and the band narrows. Tick “include
          observation noise” to see the band of a new noisy observation (off in the book). The table shows the posterior mean and
          function sd at five points; on the seed-1 data they match the chapter's VERIFIED values (σ_p² = 1000: mean 0.4173 and sd
          0.5317 at x = 0).</>,
        equations: <>Σ_post = (HᵀH/σ² + I/σ_p²)⁻¹, μ_post = Σ_post·Hᵀy/σ² (Bayesian inference, §9.3.5, in closed form for this linear-in-φ model); predictive mean
          h̃(x)ᵀμ_post and variance h̃(x)ᵀΣ_post·h̃(x) (+ σ² with observation noise); samples φ = μ_post + L·z with Σ_post = LLᵀ.</>,
      }}
    >
      <RunBar run={run} label="figure 9.11" />
      <Figures run={run}>
        {r && (
          <div class="figure-row">
            <figure>
              <PlotView label={`Posterior samples for prior variance ${r.priorVariance}`} testId="plot-samples" deps={[r]}
                build={() => base(`a) ${r.samples.length} posterior sample${r.samples.length === 1 ? "" : "s"}, σ_p² = ${fmtVar(r.priorVariance)}`,
                  r.samples.map((smp, k) => Plot.line(AT.map((x, i) => [x, smp[i]!]), { x: "0", y: "1", stroke: SAMPLE_COLORS[k % SAMPLE_COLORS.length]!, strokeWidth: 1.6, clip: true })), r)} />
            </figure>
            <figure>
              <PlotView label={`Posterior mean with a band of two standard deviations${s.noise ? " including observation noise" : ""}`} testId="plot-band" deps={[r, s.noise]}
                build={() => base(`b) mean ± 2 sd${s.noise ? " (with σ²)" : ""}, σ_p² = ${fmtVar(r.priorVariance)}`, [
                  Plot.areaY(AT.map((x, i) => [x, r.mean[i]! - 2 * sdShown[i]!, r.mean[i]! + 2 * sdShown[i]!]), { x: "0", y1: "1", y2: "2", fill: "currentColor", fillOpacity: 0.18, clip: true }),
                  Plot.line(AT.map((x, i) => [x, r.mean[i]!]), { x: "0", y: "1", stroke: CYAN, strokeWidth: 2, clip: true }),
                ], r)} />
            </figure>
          </div>
        )}
      </Figures>
      {r && !run.stale && (<>
        <ScrollTable label="Posterior mean and sd at five points">
          <table class="numbers" data-testid="posterior-table">
            <thead><tr><th>σ_p² = {fmtVar(r.priorVariance)}</th>{PROBES.map((p) => <th key={p}>x = {p}</th>)}</tr></thead>
            <tbody>
              <tr data-testid="row-mean"><td>mean</td>{PROBES.map((p) => <td key={p}>{r.mean[Math.round(p * 100)]!.toFixed(4)}</td>)}</tr>
              <tr data-testid="row-sd"><td>sd{s.noise ? " (with σ²)" : " (function)"}</td>{PROBES.map((p) => <td key={p}>{sdShown[Math.round(p * 100)]!.toFixed(4)}</td>)}</tr>
            </tbody>
          </table>
        </ScrollTable>
        <div class="readouts">
          <Readout label="log evidence log p(y):" testId="log-evidence">{r.logEvidence.toFixed(3)}</Readout>
          <Readout label="posterior mean bias β:" testId="bias">{r.posteriorMean.at(-1)!.toFixed(4)}</Readout>
        </div>
      </>)}
    </Panel>
  );
}
