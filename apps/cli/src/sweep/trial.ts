import { createHash } from "node:crypto";

/** One trial of a sweep: an experiment, its fully resolved params and the run seed. */
export interface Trial {
  /** Content id: sha256 of the canonical JSON of { experiment, params, seed }, first 16 hex digits. */
  readonly id: string;
  readonly experiment: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly seed: number;
}

/** What running a trial gives: a result, or the reason it failed. */
export type TrialOutcome =
  | { readonly status: "ok"; readonly result: unknown }
  | { readonly status: "failed"; readonly error: string };

/** One line of results.jsonl. */
export type ResultLine = { readonly id: string; readonly experiment: string; readonly params: Readonly<Record<string, unknown>>; readonly seed: number } & TrialOutcome;

/** JSON with object keys sorted at every depth, so equal content gives equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** The content id of a trial (see Trial.id). */
export function trialId(experiment: string, params: Readonly<Record<string, unknown>>, seed: number): string {
  return createHash("sha256").update(canonicalJson({ experiment, params, seed })).digest("hex").slice(0, 16);
}

/** Build a trial, computing its id. */
export function makeTrial(experiment: string, params: Readonly<Record<string, unknown>>, seed: number): Trial {
  return { id: trialId(experiment, params, seed), experiment, params, seed };
}
