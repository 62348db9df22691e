import { expect } from "vitest";

/** Asserts bit-for-bit equality (Object.is per element) and reports the first mismatch compactly. */
export function expectBitEqual(actual: ArrayLike<number>, expected: ArrayLike<number>, label = "array"): void {
  expect(actual.length, `${label} length`).toBe(expected.length);
  let mismatches = 0;
  let first = -1;
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      if (first < 0) first = i;
      mismatches++;
    }
  }
  const detail = first < 0 ? "" : ` (first at ${first}: ${actual[first]} vs ${expected[first]})`;
  expect(`${mismatches} mismatches${detail}`, label).toBe("0 mismatches");
}

/** Asserts |a − e| ≤ atol + rtol·|e| elementwise; returns the largest absolute difference seen. */
export function expectAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  { atol = 0, rtol = 0 }: { atol?: number; rtol?: number },
  label = "array",
): number {
  expect(actual.length, `${label} length`).toBe(expected.length);
  let worst = 0;
  let bad = -1;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const d = Math.abs(actual[i]! - e);
    if (!(d <= atol + rtol * Math.abs(e)) && bad < 0) bad = i;
    worst = Math.max(worst, d);
  }
  const detail = bad < 0 ? "ok" : `index ${bad}: ${actual[bad]} vs ${expected[bad]}`;
  expect(detail, `${label} within atol ${atol}, rtol ${rtol}`).toBe("ok");
  return worst;
}

/** Parses a C99 hex float like "-0x1.68f0a0013d885p-8" exactly. */
export function parseHexFloat(hex: string): number {
  const m = /^(-?)0x([01])\.([0-9a-f]+)p([+-]?\d+)$/i.exec(hex);
  if (m === null) throw new Error(`not a hex float: ${hex}`);
  const [, sign, lead, frac, exp] = m;
  let mantissa = Number(lead);
  for (let i = 0; i < frac!.length; i++) mantissa += parseInt(frac![i]!, 16) / 16 ** (i + 1);
  return (sign === "-" ? -1 : 1) * mantissa * 2 ** Number(exp);
}
