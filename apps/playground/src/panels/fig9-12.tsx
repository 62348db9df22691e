import { getExperiment } from "@regularize/experiments";
import { Presets } from "../ui/controls.js";
import { Figures, Panel, RunBar, ScrollTable } from "../ui/panel.js";
import { type Route, oneOf, useHashState } from "../ui/router.js";
import { type SpecFigure, SpecPlotView } from "../ui/spec-plot.js";
import { useExperiment } from "../ui/use-experiment.js";

const ENTRY = getExperiment("fig9.12");

/** The registry's fig9.12 result (one row per method and labelled-set size). */
interface Fig912Result {
  readonly rows: { method: string; labelled: number; accuracies: number[]; mean: number; sd: number; vsScratch: number; winsVsScratch: number }[];
  readonly labelled: number[];
  readonly seeds: number[];
  readonly seconds: number;
}

/** A browser-sized run (four methods, 200 labels, one seed, short trainings) and the entry's full defaults. */
const PRESETS = {
  quick: {
    labelled: [200], methods: ["scratch", "transfer-finetune", "multitask", "ssl-masked"], seeds: 1, hidden: 64, steps: 300,
    pretrainSteps: 300, unlabelled: 2000, sourceExamples: 1000, testExamples: 500,
  },
  full: {},
} as const;
type PresetName = keyof typeof PRESETS;

export function Fig912({ route }: { route: Route }) {
  const [s, set, url] = useHashState(route, { preset: [oneOf<PresetName>("quick", "full"), "quick" as PresetName] });
  const params = PRESETS[s.preset];
  const run = useExperiment<Fig912Result>("fig9.12", params, { debounceMs: 100 });
  const r = run.result;
  const figs = r ? (ENTRY.plots?.(r, params as Record<string, unknown>) ?? []) as readonly SpecFigure[] : [];
  return (
    <Panel
      id="fig-9-12"
      figure="Figure 9.12"
      title="Transfer, multi-task and self-supervised learning"
      notices={url.notices}
      onReset={url.reset}
      intro={<p>
        The book's figure is a schematic (segmentation and depth on street scenes); this is its 1-D analogue on MNIST-1D with few
        labelled examples (the transfer package's methods, the fig9.12 registry entry): train from scratch, (a) transfer a trunk
        pretrained on a related labelled task and fine-tune it, (b) multi-task learning with an auxiliary head on unlabelled signals,
        (c) self-supervised pretraining (masked reconstruction) then fine-tuning. All use the same step budget on the labels.
      </p>}
      controls={<Presets label="run" value={s.preset === "quick" ? 0 : 1} values={[0, 1]}
        format={(v) => (v === 0 ? "quick: 4 methods, 200 labels, 1 seed" : "full: 10 methods, 200 and 500 labels, 3 seeds (minutes)")}
        onChange={(v) => set({ preset: v === 0 ? "quick" : "full" })} testId="preset" />}
      caption={{
        tryThis: <>compare each method's test accuracy with training from scratch on the same 200 labels; the full run adds PCGrad and
          uncertainty weighting for multi-task, three more pretext tasks (shift, flip, SimCLR), 500 labels and three seeds.</>,
        equations: <>transfer: φ<sub>trunk</sub> from the source task, new head, fine-tuned with a smaller trunk rate and L2-SP α‖φ − φ<sub>0</sub>‖²
          (§9.3.6); multi-task: L = L<sub>main</sub> + w·L<sub>aux</sub> on a shared trunk; self-supervised: pretext loss on unlabelled x,
          then fine-tuning (§9.3.7).</>,
      }}
    >
      <RunBar run={run} label="figure 9.12" />
      <Figures run={run}>
        <div class="figure-row">
          {figs.map((f) => <SpecPlotView key={f.name} fig={f} deps={[r]} width={420} height={280} />)}
        </div>
      </Figures>
      {r && !run.stale && (
        <ScrollTable label="Test accuracy per method">
          <table class="numbers" data-testid="fig912-table">
            <thead><tr><th>method</th><th>labelled</th><th>test accuracy (mean)</th><th>sd</th><th>vs scratch</th></tr></thead>
            <tbody>
              {r.rows.map((row) => (
                <tr key={`${row.method}-${row.labelled}`} data-testid={`row-${row.method}-${row.labelled}`}>
                  <td>{row.method}</td><td>{row.labelled}</td><td>{(100 * row.mean).toFixed(1)} %</td><td>{(100 * row.sd).toFixed(1)}</td>
                  <td>{Number.isFinite(row.vsScratch) ? `${row.vsScratch >= 0 ? "+" : ""}${(100 * row.vsScratch).toFixed(1)}` : "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
    </Panel>
  );
}
