/**
 * Throw unless |actual − expected| ≤ atol + rtol·|expected| elementwise (NumPy's allclose), with the
 * failing element in the message. Framework-free, so every plugin package's tests can share it.
 */
export function assertAllclose(
  actual: ArrayLike<number> | number,
  expected: ArrayLike<number> | number,
  opts: { rtol?: number; atol?: number } = {},
): void {
  const a = typeof actual === "number" ? [actual] : Array.from(actual);
  const b = typeof expected === "number" ? [expected] : Array.from(expected);
  if (a.length !== b.length) throw new Error(`allclose: ${a.length} values vs ${b.length} expected`);
  const rtol = opts.rtol ?? 1e-10, atol = opts.atol ?? 1e-12;
  a.forEach((x, i) => {
    const y = b[i]!;
    if (!(Math.abs(x - y) <= atol + rtol * Math.abs(y))) throw new Error(`element ${i}: ${x} vs ${y} (rtol ${rtol}, atol ${atol})`);
  });
}
