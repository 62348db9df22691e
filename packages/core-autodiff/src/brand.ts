/**
 * A registry-wide brand on every Tensor. `instanceof` fails for a tensor made by another copy of this
 * package (its ESM and CJS builds loaded together: the dual-package hazard); the brand lets the
 * checks that reject non-tensors say so instead of "object, not a tensor".
 */
export const TENSOR_BRAND: unique symbol = Symbol.for("@regularize/core-autodiff/Tensor") as never;

/** True when `v` carries the Tensor brand (from this copy or another). */
export function hasTensorBrand(v: unknown): boolean {
  return typeof v === "object" && v !== null && (v as { [TENSOR_BRAND]?: unknown })[TENSOR_BRAND] === true;
}
