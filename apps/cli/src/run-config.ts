/**
 * What `regularize run` runs: an experiment id or a config file, `--set` params typed by the
 * entry's schema, `--plugin name:k=v,…` choices typed by the plugin's schema, `--seed`. Everything is
 * validated here, before a folder is made or any training starts.
 */
import { existsSync, readFileSync } from "node:fs";
import {
  ExperimentParamsError, UnknownExperimentError, UnknownPluginError, describeParams, getExperiment, getPlugin, resolveParams,
  resolvePlugins, type ParamInfo, type PluginChoice,
} from "@regularize/experiments";
import { UsageError } from "./usage-error.ts";

/** A config file: { "experiment": id, "params"?: {…}, "plugins"?: [{ "name", "options"? }] | ["name:k=v"], "seed"?: n }. */
export interface RunConfigFile {
  readonly experiment: string;
  readonly params?: Record<string, unknown>;
  readonly plugins?: readonly (PluginChoice | string)[];
  readonly seed?: number;
}

/** A validated run: resolved params (defaults filled) and plugins (options with defaults). */
export interface ResolvedRun {
  readonly experiment: string;
  readonly params: Record<string, unknown>;
  readonly plugins: { name: string; options: Record<string, unknown> }[];
}

/** Parse a flag value as the param `info` says: numbers, integers, booleans, enums, points "a,b"; JSON otherwise. */
export function coerceValue(owner: string, info: ParamInfo, text: string): unknown {
  const s = text.trim();
  const bad = (what: string) => new UsageError(`${owner}: ${info.key} must be ${what}, got "${text}"`);
  switch (info.type) {
    case "number":
    case "integer": {
      const n = s === "" ? NaN : Number(s);
      if (Number.isNaN(n)) throw bad(info.type === "integer" ? "an integer" : "a number");
      return n; // ranges (and ±Infinity) are the schema's to reject, with its message
    }
    case "boolean":
      if (s === "true" || s === "1") return true;
      if (s === "false" || s === "0") return false;
      throw bad("true or false");
    case "enum": {
      const opts = info.options ?? [];
      if (!opts.includes(s)) throw bad(`one of ${opts.join(", ")}`);
      return /^-?\d+(\.\d+)?$/.test(s) && opts.every((o) => /^-?\d+(\.\d+)?$/.test(o)) ? Number(s) : s;
    }
    case "point": {
      const parts = (s.startsWith("[") ? s.slice(1, -1) : s).split(",").map((p) => Number(p.trim()));
      if (parts.length !== 2 || parts.some(Number.isNaN)) throw bad('two numbers "a,b"');
      return parts;
    }
    case "string":
      return s;
    default:
      try {
        return JSON.parse(s) as unknown;
      } catch {
        throw bad("JSON");
      }
  }
}

function splitAssignment(flag: string, text: string): [string, string] {
  const i = text.indexOf("=");
  if (i <= 0) throw new UsageError(`${flag} expects key=value, got "${text}"`);
  return [text.slice(0, i).trim(), text.slice(i + 1)];
}

/** `--set key=value` flags → params, typed by the experiment's schema (unknown keys listed). */
export function parseSets(experiment: string, sets: readonly string[]): Record<string, unknown> {
  const infos = describeParams(getExperiment(experiment).params);
  const out: Record<string, unknown> = {};
  for (const text of sets) {
    const [key, value] = splitAssignment("--set", text);
    const info = infos.find((p) => p.key === key);
    if (!info) throw new UsageError(`${experiment}: unknown param "${key}"; valid params: ${infos.map((p) => p.key).join(", ") || "(none)"}`);
    out[key] = coerceValue(experiment, info, value);
  }
  return out;
}

/** `name` or `name:key=value,key=value` → a plugin choice, typed by the plugin's schema (unknown options listed). */
export function parsePluginFlag(text: string): PluginChoice {
  const colon = text.indexOf(":");
  const name = (colon < 0 ? text : text.slice(0, colon)).trim();
  const spec = getPlugin(name); // UnknownPluginError lists the valid ones
  const infos = describeParams(spec.options);
  const options: Record<string, unknown> = {};
  const rest = colon < 0 ? "" : text.slice(colon + 1).trim();
  if (rest !== "") {
    // a point value "a,b" would be split here: points are not plugin options
    for (const part of rest.split(",")) {
      const [key, value] = splitAssignment(`--plugin ${name}`, part);
      const info = infos.find((p) => p.key === key);
      if (!info) throw new UsageError(`plugin ${name}: unknown option "${key}"; valid options: ${infos.map((p) => p.key).join(", ") || "(none)"}`);
      options[key] = coerceValue(`plugin ${name}`, info, value);
    }
  }
  return { name, options };
}

/** Read a run config file (a path ending in .json) or take the argument as an experiment id. */
export function loadTarget(target: string): RunConfigFile {
  if (!target.endsWith(".json")) return { experiment: target };
  if (!existsSync(target)) throw new UsageError(`config file not found: ${target}`);
  let cfg: unknown;
  try {
    cfg = JSON.parse(readFileSync(target, "utf8"));
  } catch (err) {
    throw new UsageError(`${target}: not valid JSON (${(err as Error).message})`);
  }
  const c = cfg as Partial<RunConfigFile> | null;
  if (typeof c !== "object" || c === null || typeof c.experiment !== "string") {
    throw new UsageError(`${target}: expected { "experiment": id, "params"?: {…}, "plugins"?: [{ "name", "options" }], "seed"? }`);
  }
  const known = new Set(["experiment", "params", "plugins", "seed", "title", "reproduces", "runId", "versions", "createdAt"]);
  const extra = Object.keys(c).filter((k) => !known.has(k));
  if (extra.length) throw new UsageError(`${target}: unknown key(s) ${extra.join(", ")}; a run config has experiment, params, plugins, seed`);
  if (c.params !== undefined && (typeof c.params !== "object" || c.params === null || Array.isArray(c.params))) throw new UsageError(`${target}: "params" must be an object`);
  if (c.plugins !== undefined && !Array.isArray(c.plugins)) throw new UsageError(`${target}: "plugins" must be an array`);
  return c as RunConfigFile;
}

/** Turn library validation errors into one-line usage errors. */
export function asUsageError(err: unknown): unknown {
  if (err instanceof ExperimentParamsError || err instanceof UnknownExperimentError || err instanceof UnknownPluginError) return new UsageError(err.message);
  return err;
}

/** Everything `run` needs, validated: the target, its --set params, --plugin choices and --seed. */
export function resolveRun(target: string, flags: { set?: readonly string[]; plugin?: readonly string[]; seed?: number }): ResolvedRun {
  try {
    const cfg = loadTarget(target);
    const experiment = getExperiment(cfg.experiment).id;
    const params: Record<string, unknown> = { ...(cfg.params ?? {}), ...parseSets(experiment, flags.set ?? []) };
    const seed = flags.seed ?? cfg.seed;
    if (seed !== undefined) {
      if (!describeParams(getExperiment(experiment).params).some((p) => p.key === "seed")) throw new UsageError(`${experiment} has no seed param (it is deterministic)`);
      params.seed = seed;
    }
    const fromFile = (cfg.plugins ?? []).map((p) => (typeof p === "string" ? parsePluginFlag(p) : p));
    const choices = [...fromFile, ...(flags.plugin ?? []).map(parsePluginFlag)];
    return { experiment, params: resolveParams(experiment, params), plugins: resolvePlugins(experiment, choices) };
  } catch (err) {
    throw asUsageError(err);
  }
}
