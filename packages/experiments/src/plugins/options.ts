import * as v from "valibot";

/**
 * Option schemas shared by the catalog files: every value with its range, so `--plugin l2:lambda=-1`
 * fails before training with the option's name, and `regularize list` prints the ranges.
 */

/** A required finite number in [min, max]. */
export function req(min: number, max: number, description: string) {
  return v.pipe(v.number(), v.finite(), v.minValue(min), v.maxValue(max), v.description(description));
}
/** An optional finite number in [min, max] with a default. */
export function opt(def: number, min: number, max: number, description: string) {
  return v.optional(req(min, max, description), def);
}
/** An optional integer in [min, max] with a default. */
export function optInt(def: number, min: number, max: number, description: string) {
  return v.optional(v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max), v.description(description)), def);
}
/** An optional boolean with a default. */
export function optBool(def: boolean, description: string) {
  return v.optional(v.pipe(v.boolean(), v.description(description)), def);
}
/** An optional choice with a default. */
export function optEnum<const T extends readonly [string, ...string[]]>(options: T, def: T[number], description: string) {
  return v.optional(v.pipe(v.picklist(options), v.description(description)), def);
}
/** Which parameters a regulariser touches: "weights" (tensors with ≥ 2 dims, the default) or "all" (biases too). */
export const maskOption = optEnum(["weights", "all"], "weights", "which tensors: weights (≥ 2 dims, biases left alone) or all");
