import { type Mnist1dTrainResult, type SweepSpec, type SweepTrial, getExperiment } from "@regularize/experiments";
import { useState } from "preact/hooks";
import { NumberInput, Presets } from "../ui/controls.js";
import { Figures, Panel, RunBar } from "../ui/panel.js";
import { type Route, int, list, num, useHashState } from "../ui/router.js";
import { type SpecFigure, SpecPlotView } from "../ui/spec-plot.js";
import { useTrialPool } from "../ui/use-trial-pool.js";

const ENTRY = getExperiment("fig9.5");
const SWEEP_A: SweepSpec = ENTRY.sweeps?.find((s) => s.name === "lr") ?? { name: "lr", title: "a) learning rates", grid: { lr: [0.5, 0.1, 0.05] } };
const SWEEP_B: SweepSpec = ENTRY.sweeps?.find((s) => s.name === "batch") ?? { name: "batch", title: "b) batch sizes", grid: { batch: [10, 100, 4000] } };
const LRS = [0.5, 0.1, 0.05] as const;
const BATCHES = [10, 100] as const;

const figures = (trials: readonly SweepTrial<Mnist1dTrainResult>[], sweep: SweepSpec, title: string): SpecFigure[] =>
  (ENTRY.sweepPlots?.(trials, sweep) ?? []).map((f) => ({ ...f, title })) as SpecFigure[];

/** Reads a `regularize sweep fig9.5` run folder's results.jsonl: the ok fig9.5 trials. */
export function parseResults(text: string): { trials: SweepTrial<Mnist1dTrainResult>[]; skipped: number } {
  const trials: SweepTrial<Mnist1dTrainResult>[] = [];
  let skipped = 0;
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as { experiment?: string; status?: string; params?: Record<string, unknown>; result?: Mnist1dTrainResult };
      if (r.experiment === "fig9.5" && r.status === "ok" && r.params && r.result) trials.push({ params: r.params, result: r.result });
      else skipped++;
    } catch { skipped++; }
  }
  return { trials, skipped };
}

export function Fig95({ route }: { route: Route }) {
  const [s, set, url] = useHashState(route, {
    widths: [list(int(1, 2000)), [4, 16, 64] as readonly number[]],
    samples: [int(100, 8000), 1000],
    distance: [num(1, 6000), 20],
    seed: [int(0, 2 ** 31 - 1), 0],
  });
  const full = Math.floor(s.samples * 0.5);
  const trials: Record<string, unknown>[] = [];
  for (const lr of LRS) for (const width of s.widths) trials.push({ width, lr, batch: full, distance: s.distance, samples: s.samples, split: 0.5, seed: s.seed });
  for (const batch of BATCHES) for (const width of s.widths) trials.push({ width, lr: 0.1, batch, distance: s.distance, samples: s.samples, split: 0.5, seed: s.seed });
  const pool = useTrialPool<Mnist1dTrainResult>("fig9.5", trials);
  const live = (pool.result ?? pool.partial ?? []) as unknown as SweepTrial<Mnist1dTrainResult>[];
  // panel b's full-batch curve is panel a's lr 0.1 run
  const liveA = live.filter((t) => t.params.batch === full);
  const liveB = live.filter((t) => t.params.lr === 0.1).map((t) => (t.params.batch === full ? { ...t, params: { ...t.params, batch: full } } : t));
  const [loaded, setLoaded] = useState<{ name: string; trials: SweepTrial<Mnist1dTrainResult>[]; skipped: number } | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const load = async (file: File | undefined) => {
    if (!file) return;
    try {
      const r = parseResults(await file.text());
      if (r.trials.length === 0) throw new Error(`no finished fig9.5 trials in ${file.name}`);
      setLoaded({ name: file.name, ...r });
      setLoadError(null);
    } catch (e) { setLoadError(e instanceof Error ? e.message : String(e)); }
  };
  const maxBatch = loaded ? Math.max(...loaded.trials.map((t) => Number(t.params.batch))) : 0;
  return (
    <Panel
      id="fig-9-5"
      figure="Figure 9.5"
      title="Learning rate and batch size on MNIST-1D"
      notices={url.notices}
      onReset={url.reset}
      intro={<p>
        MLPs 40 → D → D → 10 trained by plain SGD on MNIST-1D, one network per hidden width D: (a) full batch with learning rates
        0.5 / 0.1 / 0.05 for distance/lr steps each, (b) learning rate 0.1 with batches of 10, 100 and the full set. Larger
        learning rates and smaller batches — more gradient noise — generalise better. The live grid below is reduced to run in a
        few seconds in your browser ({trials.length} trainings on {Math.min(2, navigator.hardwareConcurrency || 2)} workers); load the
        <code>results.jsonl</code> of a <code>regularize sweep fig9.5</code> run folder for the full curves.
      </p>}
      controls={<>
        <Presets label="grid" value={s.widths.length === 3 ? 3 : s.widths.length === 6 ? 6 : 0} values={[3, 6]}
          format={(v) => (v === 3 ? "quick: D = 4, 16, 64" : "larger: D = 4 … 128")}
          onChange={(v) => set(v === 3 ? { widths: [4, 16, 64], samples: 1000, distance: 20 } : { widths: [4, 8, 16, 32, 64, 128], samples: 2000, distance: 50 })} testId="grid" />
        <NumberInput label="samples" name="dataset size (half train, half test)" value={s.samples} min={100} max={8000} step={100}
          onChange={(v) => set({ samples: Math.round(Math.min(8000, Math.max(100, v))) })} testId="samples" />
        <NumberInput label="distance (lr × steps)" name="learning rate times steps" value={s.distance} min={1} max={6000} step={1}
          onChange={(v) => set({ distance: Math.min(6000, Math.max(1, v)) })} testId="distance" />
        <NumberInput label="seed" name="initialisation and batch-order seed" value={s.seed} min={0} step={1}
          onChange={(v) => set({ seed: Math.max(0, Math.round(v)) })} testId="seed" />
        <label class="control file">results.jsonl:&nbsp;
          <input type="file" accept=".jsonl,.json,application/json" data-testid="results-file"
            onChange={(e) => void load((e.currentTarget as HTMLInputElement).files?.[0])} />
        </label>
      </>}
      caption={{
        tryThis: <>watch test error (solid) fall with width while train error (dashed) reaches 0; compare learning rates in (a) and
          batch sizes in (b). The book (4000/4000 samples, distance 6000, notebook 8.3's widths up to 400) reads ≈ 35 % test error
          for lr 0.5 vs 38–39 % for 0.1 and 0.05, and ≈ 30 % (batch 10) vs 36–37 % (100) vs 38–39 % (full). The quick grid is small
          and short (1000 samples, distance 20): its networks are under-trained, so it shows the set-up and the train-error trend, not
          the book's test errors — drop a results.jsonl here for the full figure.</>,
        equations: <>SGD φ ← φ − α·∇L<sub>B</sub>(φ) on the mean cross-entropy of a batch B; steps = distance/α so that every
          learning rate travels the same distance (§9.2, implicit regularisation of SGD: eq. 9.9's variance term grows with α/|B|).</>,
      }}
    >
      <RunBar run={pool} label="figure 9.5 grid" />
      {pool.failed.length > 0 && <p class="error">{pool.failed.join("; ")}</p>}
      <Figures run={pool}>
        <div class="figure-row" data-testid="live-grid">
          {liveA.length > 0 && figures(liveA, SWEEP_A, `a) full batch (${full}), learning rates 0.5 / 0.1 / 0.05`).map((f) => <SpecPlotView key={`a${f.name}`} fig={f} deps={[liveA.length, pool.runId]} testId="plot-a" />)}
          {liveB.length > 0 && figures(liveB, SWEEP_B, `b) learning rate 0.1, batch 10 / 100 / ${full}`).map((f) => <SpecPlotView key={`b${f.name}`} fig={f} deps={[liveB.length, pool.runId]} testId="plot-b" />)}
        </div>
      </Figures>
      <div class="dropzone" data-testid="dropzone"
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => { e.preventDefault(); void load(e.dataTransfer?.files?.[0]); }}>
        {loaded
          ? <p data-testid="loaded">Loaded {loaded.trials.length} trials from <code>{loaded.name}</code>{loaded.skipped ? ` (${loaded.skipped} lines skipped)` : ""}.</p>
          : <p>Drop a <code>results.jsonl</code> of <code>regularize sweep fig9.5</code> here (or use the file picker above) to draw the full sweep.</p>}
        {loadError && <p class="error" role="alert">{loadError}</p>}
      </div>
      {loaded && (
        <div class="figure-row" data-testid="loaded-grid">
          {figures(loaded.trials.filter((t) => Number(t.params.batch) === maxBatch), SWEEP_A, `a) from ${loaded.name}: full batch, learning rates`).map((f) => <SpecPlotView key={`la${f.name}`} fig={f} deps={[loaded]} testId="plot-loaded-a" />)}
          {figures(loaded.trials.filter((t) => Number(t.params.lr) === 0.1), SWEEP_B, `b) from ${loaded.name}: lr 0.1, batch sizes`).map((f) => <SpecPlotView key={`lb${f.name}`} fig={f} deps={[loaded]} testId="plot-loaded-b" />)}
        </div>
      )}
    </Panel>
  );
}
