import * as Plot from "@observablehq/plot";
import { type Mnist1dTrainResult, describeParams, getExperiment, listPlugins } from "@regularize/experiments";
import { Figures, Panel, RunBar, ScrollTable } from "../ui/panel.js";
import { PlotView } from "../ui/plot.js";
import { type ParamCodec, type Route, int, num, useHashState } from "../ui/router.js";
import { SchemaControls } from "../ui/schema-controls.js";
import { SERIES_COLORS } from "../ui/spec-plot.js";
import { useTrialPool } from "../ui/use-trial-pool.js";
import type { PluginChoice } from "../worker-protocol.js";

/** Every catalog plugin with its option form description. */
const PLUGINS = listPlugins().map((p) => ({ spec: p, infos: describeParams(p.options) }));
const ENTRY = "mnist1d";
getExperiment(ENTRY); // fail early if the entry is missing

interface Config { readonly plugins: readonly PluginChoice[] }

/** The configurations as compact JSON in the URL (shareable). */
const configsCodec: ParamCodec<readonly Config[]> = {
  parse: (s) => {
    try {
      const v = JSON.parse(s) as unknown;
      if (!Array.isArray(v) || !v.every((c) => c && Array.isArray((c as Config).plugins))) return { value: undefined, notice: "setup is not a list of configurations; using the default" };
      const known = new Set(PLUGINS.map((p) => p.spec.name));
      const unknown = (v as Config[]).flatMap((c) => c.plugins.map((p) => p.name)).filter((n) => !known.has(n));
      if (unknown.length) return { value: undefined, notice: `unknown plugin(s) ${unknown.join(", ")}; using the default` };
      return { value: (v as Config[]).slice(0, 4) };
    } catch { return { value: undefined, notice: "setup is not valid JSON; using the default" }; }
  },
  format: (v) => JSON.stringify(v),
};

const DEFAULT: readonly Config[] = [{ plugins: [] }, { plugins: [{ name: "dropout", options: { rate: 0.2 } }] }];
/**
 * Starting options of a newly added plugin: every default, and for a required option (no default) a
 * small value inside its range (a rate of 0.1, the minimum of an integer, the first choice).
 */
function initialOptions(name: string): Record<string, unknown> {
  const p = PLUGINS.find((x) => x.spec.name === name);
  const out: Record<string, unknown> = {};
  for (const i of p?.infos ?? []) {
    if (i.default !== undefined) continue;
    if (i.type === "number") out[i.key] = Math.min(i.max ?? 0.1, Math.max(i.min ?? 0, 0.1));
    else if (i.type === "integer") out[i.key] = Math.max(i.min ?? 1, 1);
    else if (i.type === "enum" && i.options?.length) out[i.key] = i.options[0];
    else if (i.type === "boolean") out[i.key] = false;
  }
  return out;
}

const label = (c: Config, i: number) => `${i + 1}: ${c.plugins.length ? c.plugins.map((p) => p.name).join(" + ") : "no plugin"}`;

function PluginForm(props: { choice: PluginChoice; onChange: (c: PluginChoice) => void; onRemove: () => void; idPrefix: string }) {
  const p = PLUGINS.find((x) => x.spec.name === props.choice.name);
  if (!p) return null;
  const values: Record<string, unknown> = {};
  for (const i of p.infos) values[i.key] = props.choice.options?.[i.key] ?? i.default;
  return (
    <fieldset class="plugin" data-testid={`${props.idPrefix}-${p.spec.name}`}>
      <legend><code>{p.spec.name}</code> <span class="note">({p.spec.package})</span></legend>
      <p class="note">{p.spec.description}</p>
      <div class="controls inner">
        <SchemaControls infos={p.infos.filter((i) => i.type !== "unknown" && i.type !== "point" && i.type !== "string")} values={values}
          set={(patch) => props.onChange({ name: p.spec.name, options: { ...(props.choice.options ?? {}), ...patch } })}
          hints={Object.fromEntries(p.infos.map((i) => [i.key, { control: "number" as const }]))} />
        <button type="button" onClick={props.onRemove} aria-label={`remove ${p.spec.name}`}>Remove</button>
      </div>
    </fieldset>
  );
}

export function Lab({ route }: { route: Route }) {
  const [s, set, url] = useHashState(route, {
    setup: [configsCodec, DEFAULT],
    steps: [int(10, 20000), 400],
    lr: [num(1e-5, 1), 0.01],
    samples: [int(100, 8000), 1000],
    evalEvery: [int(10, 5000), 50],
    batch: [int(1, 1000), 100],
  });
  const configs = s.setup;
  const trials = configs.map((c) => ({
    params: { steps: s.steps, lr: s.lr, samples: s.samples, split: 0.8, evalEvery: s.evalEvery, batch: s.batch, seed: 42 },
    plugins: c.plugins,
  }));
  const pool = useTrialPool<Mnist1dTrainResult>(ENTRY, trials, { debounceMs: 600 });
  const outcomes = pool.result ?? pool.partial ?? [];
  const setConfigs = (next: readonly Config[]) => set({ setup: next });
  const update = (i: number, c: Config) => setConfigs(configs.map((x, j) => (j === i ? c : x)));
  const rows = outcomes.map((o) => ({ o, c: configs[o.index], i: o.index })).filter((r) => r.c).sort((a, b) => a.i - b.i);
  const colors = configs.map((_, i) => SERIES_COLORS[i % SERIES_COLORS.length]!);
  const names = configs.map(label);
  return (
    <Panel
      id="lab"
      figure="Plugin lab"
      title="Compose regularisers on MNIST-1D"
      notices={url.notices}
      onReset={url.reset}
      intro={<p>
        Every plugin of every package (<code>listPlugins()</code> of <code>@regularize/experiments</code>: {PLUGINS.length} plugins) can be
        added to a configuration; the option forms come from the plugins' option schemas. Each configuration trains the MNIST-1D
        MLP (40-100-100-10, Adam, batch 100 unless you change it) in its own worker with the same data and seed, and their test-accuracy and loss
        curves are overlaid. The whole setup lives in the address: copy it to share it.
      </p>}
      controls={<>
        <SchemaControls infos={[
          { key: "steps", type: "integer", default: 400, min: 10, max: 20000, description: "training steps" },
          { key: "lr", type: "number", default: 0.01, min: 1e-5, max: 1, description: "learning rate (Adam)" },
          { key: "samples", type: "integer", default: 1000, min: 100, max: 8000, description: "dataset size (80 % train)" },
          { key: "evalEvery", type: "integer", default: 50, min: 10, max: 5000, description: "test accuracy every … steps" },
          { key: "batch", type: "integer", default: 100, min: 1, max: 1000, description: "batch size" },
        ]} values={s as unknown as Record<string, unknown>} set={(p) => set(p as Partial<typeof s>)}
          hints={{ steps: { control: "number" }, lr: { control: "number" }, samples: { control: "number" }, evalEvery: { control: "number" }, batch: { control: "number" } }} />
        <button type="button" disabled={configs.length >= 4} onClick={() => setConfigs([...configs, { plugins: [] }])} data-testid="add-config">Add configuration</button>
      </>}
      caption={{
        tryThis: <>add weight decay or label smoothing to configuration 2, raise dropout's rate, or put three configurations side by
          side; send the address to someone to show them the same comparison.</>,
        equations: <>each plugin hooks into core-train's fit (penalty added to the loss, gradient transform, forward wrapper or batch
          hook); the configurations differ only in their plugins.</>,
      }}
    >
      <div class="configs">
        {configs.map((c, i) => (
          <section key={i} class="config" aria-label={`configuration ${i + 1}`} data-testid={`config-${i}`}>
            <h2><span class="swatch" style={{ background: colors[i] }} aria-hidden="true" /> {names[i]}</h2>
            {c.plugins.map((p, k) => (
              <PluginForm key={p.name} idPrefix={`config-${i}`} choice={p}
                onChange={(np) => update(i, { plugins: c.plugins.map((x, j) => (j === k ? np : x)) })}
                onRemove={() => update(i, { plugins: c.plugins.filter((_, j) => j !== k) })} />
            ))}
            <div class="control">
              <label>add plugin{" "}
                <select data-testid={`add-plugin-${i}`} value="" onChange={(e) => {
                  const name = (e.currentTarget as HTMLSelectElement).value;
                  if (name && !c.plugins.some((p) => p.name === name)) update(i, { plugins: [...c.plugins, { name, options: initialOptions(name) }] });
                }}>
                  <option value="">choose…</option>
                  {PLUGINS.map((p) => <option key={p.spec.name} value={p.spec.name} disabled={c.plugins.some((x) => x.name === p.spec.name)}>{p.spec.name} ({p.spec.package.replace("@regularize/", "")})</option>)}
                </select>
              </label>
              {configs.length > 1 && <button type="button" onClick={() => setConfigs(configs.filter((_, j) => j !== i))}>Remove configuration</button>}
            </div>
          </section>
        ))}
      </div>
      <RunBar run={pool} label="plugin lab" />
      {pool.failed.length > 0 && <p class="error" role="alert" data-testid="lab-errors">{pool.failed.join("; ")}</p>}
      <Figures run={pool}>
        {rows.length > 0 && (
          <div class="figure-row">
            <figure>
              <PlotView label="Test accuracy during training, one curve per configuration" testId="plot-accuracy" deps={[rows.length, pool.runId]}
                build={() => Plot.plot({
                  width: 400, height: 260, marginLeft: 44, y: { label: "test accuracy", grid: true }, x: { label: "step" },
                  color: { domain: names, range: colors, legend: true },
                  marks: rows.map(({ o, i }) => Plot.line(o.result.curve.steps.map((st, k) => [st, o.result.curve.testAccuracy[k]!]), { x: "0", y: "1", stroke: colors[i]!, strokeWidth: 1.8 })),
                })} />
            </figure>
            <figure>
              <PlotView label="Training loss, one curve per configuration" testId="plot-loss" deps={[rows.length, pool.runId]}
                build={() => Plot.plot({
                  width: 400, height: 260, marginLeft: 44, y: { label: "training loss (batch)", type: "log", grid: true }, x: { label: "step" },
                  color: { domain: names, range: colors, legend: true },
                  marks: rows.map(({ o, i }) => Plot.line(o.result.loss.steps.map((st, k) => [st, o.result.loss.values[k]!]).filter((d) => d[1]! > 0), { x: "0", y: "1", stroke: colors[i]!, strokeWidth: 1.4 })),
                })} />
            </figure>
          </div>
        )}
      </Figures>
      {rows.length > 0 && (
        <ScrollTable label="Final errors per configuration">
          <table class="numbers" data-testid="lab-table">
            <thead><tr><th>configuration</th><th>train error %</th><th>test error %</th><th>test loss</th></tr></thead>
            <tbody>
              {rows.map(({ o, i }) => (
                <tr key={i} data-testid={`lab-row-${i}`}><td>{names[i]}</td><td>{o.result.trainError.toFixed(1)}</td><td>{o.result.testError.toFixed(1)}</td><td>{o.result.testLoss.toFixed(3)}</td></tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
    </Panel>
  );
}
