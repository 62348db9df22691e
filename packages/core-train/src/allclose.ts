import { type Numeric, compareAllclose } from "@regularize/core-autodiff";

/**
 * Throw unless |actual − expected| ≤ atol + rtol·|expected| elementwise (NumPy's allclose), with the
 * count and the worst element in the message. Framework-free, so every plugin package's tests can
 * share it; the comparison is core-autodiff's `compareAllclose` (the one implementation, also behind
 * the engine's `toBeAllclose` matcher). Takes tensors, numbers, (nested or typed) arrays and trees.
 * @example assertAllclose(grad(f)(x), [2, 4], { rtol: 1e-12, atol: 0 })
 */
export function assertAllclose(actual: Numeric, expected: Numeric, opts: { rtol?: number; atol?: number; equalNan?: boolean } = {}): void {
  const r = compareAllclose(actual, expected, { rtol: opts.rtol ?? 1e-10, atol: opts.atol ?? 1e-12, equalNan: opts.equalNan ?? false });
  if (!r.ok) throw new Error(`allclose: ${r.message}`);
}
