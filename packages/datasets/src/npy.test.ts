import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DatasetArgumentError } from "./errors.js";
import { decodeNpy, encodeNpy } from "./npy.js";

/**
 * Builds the expected file from the format description (numpy.lib.format, version 1.0): the magic
 * "\x93NUMPY", bytes 1 and 0, a little-endian uint16 header length, the header dict, and spaces plus
 * a final "\n" so that the data starts at a multiple of 64. np.save additionally reserves
 * 21 − len(str(shape[0])) spaces so the header can grow in place; that is part of the padding.
 */
function expectedFile(dict: string, growth: number, data: number[]): Uint8Array {
  let header = dict + " ".repeat(growth);
  while ((10 + header.length + 1) % 64 !== 0) header += " ";
  header += "\n";
  return Uint8Array.from([
    0x93,
    ..."NUMPY".split("").map((c) => c.charCodeAt(0)),
    1,
    0,
    header.length & 0xff,
    header.length >> 8,
    ...header.split("").map((c) => c.charCodeAt(0)),
    ...data,
  ]);
}

describe("encodeNpy", () => {
  it("writes a float64 matrix byte for byte as the format specifies", () => {
    const bytes = encodeNpy(Float64Array.from([1, -2.5, 0.1, 0, 3, 4]), [2, 3]);
    // IEEE-754 little-endian: 1 = 3ff0…, −2.5 = c004…, 0.1 = 3fb999999999999a, 3 = 4008…, 4 = 4010….
    // prettier-ignore
    const data = [
      0, 0, 0, 0, 0, 0, 0xf0, 0x3f,  0, 0, 0, 0, 0, 0, 0x04, 0xc0,  0x9a, 0x99, 0x99, 0x99, 0x99, 0x99, 0xb9, 0x3f,
      0, 0, 0, 0, 0, 0, 0, 0,        0, 0, 0, 0, 0, 0, 0x08, 0x40,  0, 0, 0, 0, 0, 0, 0x10, 0x40,
    ];
    const expected = expectedFile("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", 20, data);
    expect(Array.from(bytes)).toEqual(Array.from(expected));
    expect((bytes[8]! | (bytes[9]! << 8)) + 10).toBe(128);
    expect(bytes[127]).toBe(0x0a);
  });

  it("writes int32 vectors with a one-element shape tuple and 0-d arrays with ()", () => {
    const ints = encodeNpy(Int32Array.from([-1, 258]));
    const expectedInts = expectedFile(
      "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }",
      20,
      [0xff, 0xff, 0xff, 0xff, 0x02, 0x01, 0x00, 0x00],
    );
    expect(Array.from(ints)).toEqual(Array.from(expectedInts));
    const scalar = encodeNpy(Float64Array.from([7]), []);
    const expectedScalar = expectedFile("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", 0, [
      0, 0, 0, 0, 0, 0, 0x1c, 0x40,
    ]);
    expect(Array.from(scalar)).toEqual(Array.from(expectedScalar));
  });

  it("aligns the data to 64 bytes for any shape", () => {
    for (const shape of [[0], [1], [0, 7], [4000, 40], [3, 4, 5, 6], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const bytes = encodeNpy(new Float64Array(n), shape);
      const dataStart = 10 + (bytes[8]! | (bytes[9]! << 8));
      expect(dataStart % 64).toBe(0);
      expect(bytes[dataStart - 1]).toBe(0x0a);
    }
  });

  it("round-trips through decodeNpy for every supported dtype", () => {
    const arrays = [
      Float64Array.from([Math.PI, -0, Number.MIN_VALUE]),
      Float32Array.from([1.5, -2]),
      Int32Array.from([-(2 ** 31), 2 ** 31 - 1]),
      Uint32Array.from([0, 2 ** 32 - 1]),
      Int16Array.from([-3]),
      Uint16Array.from([65535]),
      Int8Array.from([-128]),
      Uint8Array.from([255]),
      BigInt64Array.from([-(2n ** 63n)]),
      BigUint64Array.from([2n ** 64n - 1n]),
    ];
    for (const a of arrays) {
      const back = decodeNpy(encodeNpy(a));
      expect(back.data.constructor).toBe(a.constructor);
      expect(Array.from(back.data as ArrayLike<unknown>)).toEqual(Array.from(a as ArrayLike<unknown>));
      expect(back.shape).toEqual([a.length]);
    }
  });

  it("rejects a shape that does not match the data", () => {
    expect(() => encodeNpy(new Float64Array(6), [4, 2])).toThrow(DatasetArgumentError);
    expect(() => encodeNpy(new Float64Array(2), [2.5])).toThrow(/shape\[0\]/);
  });
});

describe("decodeNpy", () => {
  it("rejects non-npy bytes and Fortran-order files", () => {
    expect(() => decodeNpy(Uint8Array.from([1, 2, 3]))).toThrow(/magic/);
    const fortran = encodeNpy(new Float64Array(4), [2, 2]);
    const pos = new TextDecoder("latin1").decode(fortran).indexOf("False");
    fortran.set(new TextEncoder().encode("True,"), pos);
    expect(() => decodeNpy(fortran)).toThrow(/Fortran/);
  });

  it("rejects negative dimensions even when their product matches the data", () => {
    const bytes = encodeNpy(new Float64Array(6), [2, 3]);
    const text = new TextDecoder("latin1").decode(bytes);
    const neg = text.replace("(2, 3), }", "(-2,-3),}");
    expect(neg.length).toBe(text.length);
    const bad = Uint8Array.from(neg, (ch) => ch.charCodeAt(0));
    expect(() => decodeNpy(bad)).toThrow(/shape\[0\] is not a non-negative integer/);
    expect(decodeNpy(bytes).shape).toEqual([2, 3]);
  });
});

const hasNumpy = spawnSync("python3", ["-c", "import numpy"], { stdio: "ignore" }).status === 0;

// Optional cross-check with a real NumPy; the byte-level tests above do not depend on it.
describe.skipIf(!hasNumpy)("encodeNpy against NumPy", () => {
  const dir = mkdtempSync(join(tmpdir(), "npy-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("is byte-identical to np.save and loads with np.load", () => {
    const x = Float64Array.from({ length: 12 }, (_, i) => Math.sin(i) / 3);
    writeFileSync(join(dir, "ours.npy"), encodeNpy(x, [3, 4]));
    writeFileSync(join(dir, "labels.npy"), encodeNpy(Int32Array.from([3, -1, 7])));
    const script = [
      "import numpy as np, sys, math",
      `d = sys.argv[1]`,
      "x = np.load(d + '/ours.npy')",
      "assert x.dtype == np.float64 and x.shape == (3, 4), (x.dtype, x.shape)",
      "assert all(x.ravel()[i] == math.sin(i) / 3 for i in range(12))",
      "y = np.load(d + '/labels.npy')",
      "assert y.dtype == np.int32 and y.tolist() == [3, -1, 7]",
      "np.save(d + '/theirs.npy', x)",
    ].join("\n");
    const run = spawnSync("python3", ["-c", script, dir], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(readFileSync(join(dir, "theirs.npy")).equals(readFileSync(join(dir, "ours.npy")))).toBe(true);
  });
});
