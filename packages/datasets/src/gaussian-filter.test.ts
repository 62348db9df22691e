import { describe, expect, it } from "vitest";
import { readJson } from "../test/fixtures.js";
import { expectAllClose, expectBitEqual } from "../test/helpers.js";
import { correlateSymmetricReflect, gaussianKernel } from "./gaussian-filter.js";

describe("gaussianKernel", () => {
  it("equals scipy's libm kernel for σ = 2 bit for bit (gaussian_kernel.json)", () => {
    const ref = readJson<{ radius: number; weights_libm: number[]; weights_numpy_avx512: number[] }>(
      "gaussian_kernel.json",
    );
    const kernel = gaussianKernel(2);
    expect(kernel.length).toBe(2 * ref.radius + 1);
    expectBitEqual(kernel, ref.weights_libm, "weights");
  });
});

describe("correlateSymmetricReflect", () => {
  it("agrees with a plain reflect-mode correlation to rounding", () => {
    const kernel = gaussianKernel(2);
    const x = Float64Array.from({ length: 30 }, (_, i) => Math.sin(1.7 * i) + (i % 4));
    const got = correlateSymmetricReflect(x, kernel, new Float64Array(30));
    const reflect = (i: number) => (i < 0 ? -i - 1 : i >= 30 ? 59 - i : i);
    const naive = Array.from({ length: 30 }, (_, l) => {
      let s = 0;
      for (let d = -8; d <= 8; d++) s += x[reflect(l + d)]! * kernel[d + 8]!;
      return s;
    });
    expectAllClose(got, naive, { atol: 1e-14 });
  });

  it("reflects half-sample symmetrically, repeating the pattern for lines shorter than the radius", () => {
    // With a one-hot kernel at offset −d the output is x[l − d] under the reflect rule.
    const kernel = new Float64Array(17);
    kernel[0] = 1; // weight for offset −8 (and, by symmetry of the accumulation, +8)
    const x = [1, 2, 3];
    const out = correlateSymmetricReflect(x, kernel, new Float64Array(3));
    // scipy pads 1 2 3 as … 3 2 1 | 1 2 3 | 3 2 1 …, period 6: x[l−8] + x[l+8].
    const ext = (i: number) => [1, 2, 3, 3, 2, 1][((i % 6) + 6) % 6]!;
    expect(Array.from(out)).toEqual([0, 1, 2].map((l) => ext(l - 8) + ext(l + 8)));
  });

  it("leaves a constant signal unchanged up to the kernel's rounding", () => {
    const out = correlateSymmetricReflect(new Float64Array(72).fill(0.7), gaussianKernel(2), new Float64Array(72));
    expectAllClose(out, new Float64Array(72).fill(0.7), { atol: 1e-15 });
  });
});
