// The shared `toBeAllclose` matcher: NumPy's allclose (|a − e| ≤ atol + rtol·|e| elementwise) with
// the tolerances always written at the call site, plus a shape check. Import this file (for its
// side effect) from every test that compares numbers. The comparison itself is `compareAllclose`,
// the one implementation every package's test helper uses.
import { expect } from "vitest";
import { type AllcloseOptions, type Numeric, compareAllclose } from "../src/index.js";

export type { AllcloseOptions, Numeric };

expect.extend({
  toBeAllclose(received: unknown, expected: Numeric, opts: AllcloseOptions) {
    const r = compareAllclose(received as Numeric, expected, opts);
    return {
      pass: r.ok,
      message: () => (r.ok ? `expected values not to be allclose (rtol ${opts.rtol}, atol ${opts.atol})` : r.message),
    };
  },
});

declare module "vitest" {
  interface Matchers<T = any> {
    /** NumPy allclose with explicit tolerances; also checks shapes when both sides have one. */
    toBeAllclose(expected: Numeric, opts: AllcloseOptions): T;
  }
}
