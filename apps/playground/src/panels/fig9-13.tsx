import { getExperiment } from "@regularize/experiments";
import { Presets } from "../ui/controls.js";
import { Figures, Panel, Readout, RunBar } from "../ui/panel.js";
import { type Route, int, useHashState } from "../ui/router.js";
import { type SpecFigure, SpecPlotView } from "../ui/spec-plot.js";
import { useExperiment } from "../ui/use-experiment.js";
import { NumberInput } from "../ui/controls.js";

const GALLERY = getExperiment("fig9.13");
const NOTEBOOK = getExperiment("notebook9.5");

interface Fig913Result {
  readonly digit: { readonly index: number; readonly label: number; readonly x: number[] };
  readonly transforms: { name: string; analogueOf: string; labelPreserving: boolean; x: number[]; label: number[] }[];
}
interface Notebook95Result {
  readonly baseline: { readonly testError: number[] };
  readonly augmented: { readonly testError: number[] };
}

const EPOCHS = [5, 50] as const;

export function Fig913({ route }: { route: Route }) {
  const [s, set, url] = useHashState(route, {
    index: [int(0, 999), 0],
    seed: [int(0, 2 ** 32 - 1), 0],
    epochs: [int(1, 500), 5],
  });
  const galleryParams = { index: s.index, seed: s.seed, compare: false };
  const gallery = useExperiment<Fig913Result>("fig9.13", galleryParams, { debounceMs: 60 });
  const compare = useExperiment<Notebook95Result>("notebook9.5", { epochs: s.epochs, seed: s.seed }, { debounceMs: 400 });
  const g = gallery.result, c = compare.result;
  const galleryFigs = g ? (GALLERY.plots?.(g as never, galleryParams as never) ?? []) as readonly SpecFigure[] : [];
  const compareFigs = c ? (NOTEBOOK.plots?.(c as never, { epochs: s.epochs } as never) ?? []) as readonly SpecFigure[] : [];
  const best = (e: readonly number[]) => 100 * Math.min(...e);
  return (
    <Panel
      id="fig-9-13"
      figure="Figure 9.13"
      title="Data augmentation"
      notices={url.notices}
      onReset={url.reset}
      intro={<p>
        The book shows a bird photo under seven label-preserving transforms. Here are their 1-D analogues (datasets' augmentations,
        the fig9.13 registry entry) applied to one MNIST-1D test digit — dashed: the original — and notebook 9.5's experiment: the
        MLP 40-200-200-10 trained on the 4000 training signals, and on those plus 4000 circularly shifted and rescaled copies.
      </p>}
      controls={<>
        <NumberInput label="test digit #" name="index of the test digit" value={s.index} min={0} max={999} step={1}
          onChange={(v) => set({ index: Math.min(999, Math.max(0, Math.round(v))) })} testId="index" />
        <NumberInput label="seed" name="seed of the transforms and the training" value={s.seed} min={0} step={1}
          onChange={(v) => set({ seed: Math.max(0, Math.round(v)) })} testId="seed" />
        <Presets label="notebook 9.5 epochs" value={s.epochs as (typeof EPOCHS)[number]} values={EPOCHS}
          format={(v) => (v === 5 ? "5 (quick)" : "50 (notebook)")} onChange={(epochs) => set({ epochs })} testId="epochs" />
      </>}
      caption={{
        tryThis: <>step through test digits and seeds to see each transform's range; reversal may turn one digit into another (not label
          preserving). Run the 50-epoch comparison for the notebook's setting (the notebook reports a best baseline test error of about
          33 %; augmentation lowers it); the quick 5-epoch run shows the first epochs only.</>,
        equations: <>augmented training set {"{"}(T(xᵢ), yᵢ){"}"} ∪ {"{"}(xᵢ, yᵢ){"}"} with T a random circular shift and scale s ~ U[0.8, 1.2] (§9.3.8);
          SGD lr 0.05, momentum 0.9, batch 100, cross-entropy.</>,
      }}
    >
      <RunBar run={gallery} label="augmentation gallery" />
      <Figures run={gallery}>
        {g && <p>Digit #{g.digit.index}: class {g.digit.label}.</p>}
        <div class="grid3">
          {galleryFigs.map((f) => <SpecPlotView key={f.name} fig={f} deps={[g]} width={300} height={200} />)}
        </div>
      </Figures>
      <h2>Notebook 9.5: with and without augmentation</h2>
      <RunBar run={compare} label="notebook 9.5 comparison" testId="runbar-compare" />
      <Figures run={compare}>
        <div class="figure-row">
          {compareFigs.map((f) => <SpecPlotView key={f.name} fig={f} deps={[c]} width={420} height={260} testId="plot-notebook95" />)}
        </div>
      </Figures>
      {c && !compare.stale && (
        <div class="readouts">
          <Readout label="best test error, baseline:" testId="best-baseline">{`${best(c.baseline.testError).toFixed(1)} %`}</Readout>
          <Readout label="with augmentation:" testId="best-augmented">{`${best(c.augmented.testError).toFixed(1)} %`}</Readout>
        </div>
      )}
    </Panel>
  );
}
