import { existsSync, readFileSync } from "node:fs";
import { getExperiment, type ParamsSchema } from "@regularize/experiments";
import { TrialPayloadError, checkParams } from "./payload.ts";
import { type Trial, makeTrial } from "./trial.ts";

/** A sweep that cannot be planned (bad flag, config, param or value): exit code 2, before anything runs. */
export class SweepPlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SweepPlanError";
  }
}

/** What a sweep is: an experiment, fixed params, a grid (key → values) and a number of seeds. */
export interface SweepSpec {
  readonly experiment: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly grid: ReadonlyArray<readonly [string, readonly unknown[]]>;
  readonly seeds: number;
  /** The entry's sweep preset this spec comes from (fig 9.5's panels), if any. */
  readonly panel?: { readonly name: string; readonly title: string };
}

/** The base type of a schema entry (through optional/nullable wrappers and pipes). */
function baseType(schema: unknown): string {
  let s = schema as { type?: string; wrapped?: unknown } | undefined;
  while (s && (s.type === "optional" || s.type === "nullable" || s.type === "nullish" || s.type === "exact_optional" || s.type === "non_optional")) s = s.wrapped as typeof s;
  return s?.type ?? "unknown";
}

/** Turn a flag's text into the param's type (number, boolean, string); other types parse as JSON. */
export function coerceParam(experiment: string, key: string, text: string): unknown {
  const e = getExperiment(experiment);
  const entries = (e.params as ParamsSchema).entries;
  if (!(key in entries)) throw new SweepPlanError(`${experiment}: unknown param "${key}"; valid params: ${Object.keys(entries).join(", ")}`);
  const t = baseType(entries[key]);
  const s = text.trim();
  if (t === "number") {
    const n = s === "" ? Number.NaN : Number(s);
    if (!Number.isFinite(n)) throw new SweepPlanError(`${experiment}: param "${key}" must be a number, got "${text}"`);
    return n;
  }
  if (t === "boolean") {
    if (s === "true") return true;
    if (s === "false") return false;
    throw new SweepPlanError(`${experiment}: param "${key}" must be true or false, got "${text}"`);
  }
  if (t === "string" || t === "picklist" || t === "literal" || t === "enum") return s;
  try {
    return JSON.parse(s) as unknown;
  } catch {
    throw new SweepPlanError(`${experiment}: param "${key}" expects JSON, got "${text}"`);
  }
}

/** Parse "key=v1,v2,…" (a --grid flag) or "key=value" (a --set flag). */
export function splitAssignment(flag: string, text: string): [string, string] {
  const i = text.indexOf("=");
  if (i <= 0) throw new SweepPlanError(`${flag} expects key=value, got "${text}"`);
  return [text.slice(0, i).trim(), text.slice(i + 1)];
}

/** A sweep config file: { "experiment": id, "params"?: {…}, "grid"?: { key: [values] }, "seeds"?: n }. */
export interface SweepConfigFile {
  readonly experiment: string;
  readonly params?: Record<string, unknown>;
  readonly grid?: Record<string, unknown[]>;
  readonly seeds?: number;
}

/** Read a sweep config file (a .json path) or take the argument as an experiment id. */
export function loadTarget(target: string): SweepConfigFile {
  if (!target.endsWith(".json")) return { experiment: target };
  if (!existsSync(target)) throw new SweepPlanError(`config file not found: ${target}`);
  let cfg: unknown;
  try {
    cfg = JSON.parse(readFileSync(target, "utf8"));
  } catch (err) {
    throw new SweepPlanError(`${target}: not valid JSON (${(err as Error).message})`);
  }
  const c = cfg as Partial<SweepConfigFile>;
  if (typeof c !== "object" || c === null || typeof c.experiment !== "string") throw new SweepPlanError(`${target}: expected { "experiment": id, "params"?, "grid"?, "seeds"? }`);
  if (c.grid !== undefined && (typeof c.grid !== "object" || Object.values(c.grid).some((v) => !Array.isArray(v) || v.length === 0))) {
    throw new SweepPlanError(`${target}: "grid" must map each param to a non-empty array of values`);
  }
  return c as SweepConfigFile;
}

/**
 * The specs of a sweep: one from the flags and config, or, when neither gives a grid and the entry has
 * sweep presets (fig 9.5's panels), one per preset — those named by --sweep, else every preset whose
 * name does not end in "-book" (the full-size ones, hours on 2 cores: ask for them by name).
 */
export function buildSpecs(target: string, flags: { set?: readonly string[]; grid?: readonly string[]; seeds?: number; sweep?: readonly string[] }): SweepSpec[] {
  const base = buildSpec(target, flags);
  const presets = getExperiment(base.experiment).sweeps ?? [];
  if (flags.sweep?.length && base.grid.length > 0) throw new SweepPlanError("--sweep picks a preset grid of the experiment: it cannot be combined with --grid");
  if (base.grid.length > 0 || presets.length === 0) {
    if (flags.sweep?.length) throw new SweepPlanError(`${base.experiment} has no sweep presets`);
    return [base];
  }
  const names = presets.map((p) => p.name);
  for (const n of flags.sweep ?? []) if (!names.includes(n)) throw new SweepPlanError(`${base.experiment}: unknown sweep "${n}"; valid sweeps: ${names.join(", ")}`);
  const chosen = flags.sweep?.length ? presets.filter((p) => flags.sweep!.includes(p.name)) : presets.filter((p) => !p.name.endsWith("-book"));
  return chosen.map((p) => {
    const grid = Object.entries(p.grid).map(([k, vs]) => [k, [...vs]] as const);
    const params = { ...(p.params ?? {}), ...base.params };
    for (const [k] of grid) delete params[k];
    return { experiment: base.experiment, params, grid, seeds: flags.seeds ?? p.seeds ?? base.seeds, panel: { name: p.name, title: p.title } };
  });
}

/** Build the spec from the target (id or config) and the --set / --grid / --seeds flags (flags win over the config). */
export function buildSpec(target: string, flags: { set?: readonly string[]; grid?: readonly string[]; seeds?: number }): SweepSpec {
  const cfg = loadTarget(target);
  try {
    getExperiment(cfg.experiment);
  } catch (err) {
    throw new SweepPlanError((err as Error).message);
  }
  const params: Record<string, unknown> = { ...(cfg.params ?? {}) };
  for (const s of flags.set ?? []) {
    const [k, v] = splitAssignment("--set", s);
    params[k] = coerceParam(cfg.experiment, k, v);
  }
  const grid = new Map<string, unknown[]>(Object.entries(cfg.grid ?? {}));
  for (const g of flags.grid ?? []) {
    const [k, v] = splitAssignment("--grid", g);
    const values = v.split(",").filter((x) => x.trim() !== "").map((x) => coerceParam(cfg.experiment, k, x));
    if (values.length === 0) throw new SweepPlanError(`--grid ${k}: no values`);
    grid.set(k, values);
  }
  if (grid.has("seed")) throw new SweepPlanError(`--grid seed: use --seeds N for seeds`);
  for (const k of grid.keys()) if (k in params) delete params[k];
  const seeds = flags.seeds ?? cfg.seeds ?? 1;
  if (!Number.isInteger(seeds) || seeds < 1 || seeds > 100_000) throw new SweepPlanError(`--seeds must be an integer in [1, 100000], got ${seeds}`);
  return { experiment: cfg.experiment, params, grid: [...grid.entries()], seeds };
}

/**
 * Expand a spec into its trials (grid in flag order, seeds innermost) and validate every trial's
 * params before anything runs. Seeds are base, base + 1, … where base is the `seed` param when
 * set (else 0); an experiment without a `seed` param allows only --seeds 1.
 */
export function planTrials(spec: SweepSpec): Trial[] {
  const e = getExperiment(spec.experiment);
  const hasSeed = "seed" in e.params.entries;
  if (!hasSeed && spec.seeds > 1) throw new SweepPlanError(`${spec.experiment} has no seed param: --seeds must be 1`);
  const base = hasSeed && typeof spec.params.seed === "number" ? spec.params.seed : 0;
  let combos: Record<string, unknown>[] = [{}];
  for (const [k, values] of spec.grid) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [k]: v })));
  if (combos.length * spec.seeds > 1_000_000) throw new SweepPlanError(`sweep too large: ${combos.length * spec.seeds} trials`);
  const trials: Trial[] = [];
  const seen = new Set<string>();
  for (const c of combos) {
    for (let s = 0; s < spec.seeds; s++) {
      const seed = base + s;
      const raw = { ...spec.params, ...c, ...(hasSeed ? { seed } : {}) };
      let params: Record<string, unknown>;
      try {
        params = checkParams(spec.experiment, raw);
      } catch (err) {
        throw new SweepPlanError(err instanceof TrialPayloadError ? err.message : String(err));
      }
      const t = makeTrial(spec.experiment, params, seed);
      if (seen.has(t.id)) continue; // e.g. a grid listing the same value twice
      seen.add(t.id);
      trials.push(t);
    }
  }
  return trials;
}
