import { getExperiment, resolveParams } from "@regularize/experiments";
import { type Trial, trialId } from "./trial.ts";

/** Largest accepted trial payload (JSON text), so no payload makes a worker allocate without bound. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;

/** A trial payload that fails validation (recorded as a failed trial by workers; exit 2 in the planner). */
export class TrialPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TrialPayloadError";
  }
}

const PAYLOAD_KEYS = new Set(["id", "experiment", "params", "seed"]);

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== "object" || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Check params against an experiment's schema: every key must be one of the schema's params (the
 * schema alone would silently drop unknown keys), then the schema's types and ranges. Returns the
 * resolved params (defaults filled); throws TrialPayloadError naming the param.
 */
export function checkParams(experiment: string, params: unknown): Record<string, unknown> {
  if (!isPlainObject(params)) throw new TrialPayloadError(`params must be an object`);
  const e = getExperiment(experiment);
  const known = Object.keys(e.params.entries);
  for (const k of Object.keys(params)) {
    if (!known.includes(k)) throw new TrialPayloadError(`${experiment}: unknown param "${k}"; valid params: ${known.join(", ")}`);
  }
  try {
    return resolveParams(experiment, params);
  } catch (err) {
    throw new TrialPayloadError((err as Error).message);
  }
}

/**
 * Validate an untrusted trial payload (a queue job's data): size, shape, a registry experiment,
 * known params within their ranges, an integer seed, and an id that matches the content. Nothing in
 * a payload is used as a path, evaluated, or sizes an allocation beyond the schema's ranges.
 */
export function validateTrialPayload(data: unknown): Trial {
  let text: string;
  try {
    text = JSON.stringify(data);
  } catch {
    throw new TrialPayloadError("payload is not JSON-serialisable");
  }
  if (text === undefined) throw new TrialPayloadError("payload is empty");
  if (text.length > MAX_PAYLOAD_BYTES) throw new TrialPayloadError(`payload too large (${text.length} bytes > ${MAX_PAYLOAD_BYTES})`);
  if (!isPlainObject(data)) throw new TrialPayloadError("payload must be an object { id, experiment, params, seed }");
  for (const k of Object.keys(data)) if (!PAYLOAD_KEYS.has(k)) throw new TrialPayloadError(`payload: unknown field "${k}"`);
  const { id, experiment, params, seed } = data;
  if (typeof experiment !== "string" || experiment.length === 0 || experiment.length > 100) throw new TrialPayloadError("payload: experiment must be a registry id");
  try {
    getExperiment(experiment);
  } catch (err) {
    throw new TrialPayloadError((err as Error).message);
  }
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) throw new TrialPayloadError("payload: seed must be an integer in [0, 2^32 - 1]");
  const resolved = checkParams(experiment, params);
  if (typeof id !== "string" || id !== trialId(experiment, params as Record<string, unknown>, seed)) {
    throw new TrialPayloadError("payload: id does not match the trial's content");
  }
  return { id, experiment, params: resolved, seed };
}
