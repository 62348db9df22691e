// The hardening items of issue 18 that belong to the engine, one test each: typed errors naming the
// op and the argument, no hang, no silent truncation, NaN kept by every max-based kernel (TS and
// WASM), async tidy refused, null-prototype results of tidy kept.
import { describe, expect, it } from "vitest";
import {
  ArgumentError, AutodiffError, DTypeError, DualPackageError, NonFiniteError, ShapeError, TransformError, ValueError, type Tensor, add, broadcastTo,
  clip, elu, full, leakyRelu, linear, max, maximum, min, minimum, normal, ones, prngKey, randint, relu, reshape, scalar, setBackend, sigmoid,
  sizeOf, softmax, treeScale, softplus, sum, tanh, tensor, tidy, tsBackend, uniform, wasmBackend, zeros,
} from "./index.js";

const key = prngKey(1);
const expectError = (f: () => unknown, cls: new (...a: never[]) => AutodiffError, message: RegExp) => {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(cls);
  expect((caught as Error).message).toMatch(message);
};

describe("error classes", () => {
  it("set their name explicitly (an own property, not the possibly minified class name)", () => {
    const classes = { AutodiffError, ShapeError, DTypeError, ValueError, ArgumentError, NonFiniteError, TransformError };
    for (const [name, C] of Object.entries(classes)) {
      const e = new C("op", "message");
      expect(Object.getOwnPropertyDescriptor(e, "name")?.value).toBe(name);
      expect(e.op).toBe("op");
    }
    expect(new DualPackageError("op", "x").name).toBe("DualPackageError");
  });
});

describe("dtypes come from a closed set", () => {
  it("rejects unknown dtype names instead of truncating", () => {
    expectError(() => tensor([1.5, 2.5], { dtype: "float" as "float64" }), DTypeError, /^tensor: dtype must be one of float64, float32, int32, got the string "float"$/);
    expectError(() => tensor([1.5], { dtype: "f32" as "float32" }), DTypeError, /^tensor: dtype .*"f32"/);
    expectError(() => zeros([2], { dtype: "float16" as "float32" }), DTypeError, /^zeros: dtype/);
    expectError(() => scalar(1, "double" as "float64"), DTypeError, /^scalar: dtype/);
  });

  it("random draws refuse int32 (they would truncate)", () => {
    expectError(() => normal(key, [3], { dtype: "int32" as "float64" }), DTypeError, /^normal: dtype must be float64 or float32$/);
    expectError(() => uniform(key, [3], { dtype: "int32" as "float64" }), DTypeError, /^uniform: dtype/);
  });
});

describe("shapes and sizes", () => {
  it("refuses a size beyond the guard before allocating", () => {
    expectError(() => zeros([2 ** 31]), ShapeError, /^zeros: shape \[2147483648\] holds 2147483648 elements, more than the 268435456/);
    expectError(() => ones([2 ** 16, 2 ** 16]), ShapeError, /^ones: .*more than the 268435456/);
    expectError(() => full([2 ** 31], 0), ShapeError, /^full: shape/);
    expectError(() => normal(key, [2 ** 20, 2 ** 20]), ShapeError, /^normal: /);
  });

  it("rejects negative and non-integer extents everywhere (broadcastTo used to hang)", () => {
    expectError(() => broadcastTo(scalar(1), [-2, -3]), ShapeError, /^broadcastTo: invalid shape \[-2, -3\]/);
    expectError(() => broadcastTo(scalar(1), [1.5]), ShapeError, /^broadcastTo: invalid shape/);
    expectError(() => zeros([-1]), ShapeError, /^zeros: invalid shape/);
    expectError(() => reshape(ones([6]), [-2, -3]), ShapeError, /^reshape: /);
    expectError(() => reshape(ones([6]), [-1, -1]), ShapeError, /^reshape: only one extent may be -1/);
    expectError(() => tensor([1, 2], { shape: [2.5] }), ShapeError, /^tensor: invalid shape/);
  });

  it("randint's range must fit in int32 (values beyond it wrapped to negative numbers)", () => {
    expectError(() => randint(key, [3], 0, 2 ** 40), ValueError, /^randint: hi must be an integer in \[-2147483647, 2147483648\], got 1099511627776$/);
    expectError(() => randint(key, [3], -(2 ** 40), 0), ValueError, /^randint: lo /);
    const r = randint(key, [1000], -(2 ** 31), 2 ** 31);
    expect(r.toFlatArray().every((v) => Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31)).toBe(true);
  });
});

describe("arguments of the wrong kind", () => {
  it("name the op and the argument", () => {
    expectError(() => add({ foo: 1 } as unknown as Tensor, ones([2])), ArgumentError, /^add: argument a must be a Tensor or a number, got an object \{foo\}$/);
    expectError(() => add(ones([2]), "3" as unknown as Tensor), ArgumentError, /^add: argument b must be a Tensor or a number, got the string "3"$/);
    expectError(() => relu(undefined as unknown as Tensor), ArgumentError, /^relu: argument x must be a Tensor, got undefined$/);
    expectError(() => linear(ones([2, 2]), null as unknown as Tensor), ArgumentError, /^linear: argument w must be a Tensor, got null$/);
  });

  it("reject unknown and mistyped options", () => {
    expectError(() => sum(ones([2, 2]), { axes: 1 } as never), ArgumentError, /^sum: unknown option "axes" \(expected axis, keepdims\)$/);
    expectError(() => sum(ones([2, 2]), { keepdims: 1 } as never), ArgumentError, /^sum: keepdims must be a boolean, got 1$/);
    expectError(() => sum(ones([2, 2]), { axis: "0" } as never), ShapeError, /^sum: axis must be an integer or an array of integers/);
    expectError(() => full([2], "1" as unknown as number), ArgumentError, /^full: value must be a number/);
  });
});

describe("NaN is never swallowed by max-based kernels", () => {
  // 600 elements: above the WASM elementwise threshold, so the SIMD kernels run too
  const n = 600;
  const x = tensor(Array.from({ length: n }, (_, i) => (i % 3 === 0 ? NaN : i % 3 === 1 ? -1 : 2)));
  const nanAt = (t: Tensor) => t.toFlatArray().map((v, i) => (Number.isNaN(v) ? i : -1)).filter((i) => i >= 0);
  const expected = Array.from({ length: n / 3 }, (_, k) => 3 * k);
  const backends = [["ts", tsBackend], ...(wasmBackend ? [["wasm", wasmBackend] as const] : [])] as const;
  for (const [name, b] of backends) {
    it(`keeps NaN through activations, maximum/minimum, reductions and linear's relu (${name})`, () => {
      const prev = setBackend(b);
      try {
        for (const f of [relu, (t: Tensor) => leakyRelu(t, 0.1), elu, softplus, sigmoid, tanh, (t: Tensor) => clip(t, 0, 1), (t: Tensor) => maximum(t, 0), (t: Tensor) => minimum(t, 0)]) {
          expect(nanAt(f(x))).toEqual(expected);
        }
        const rows = reshape(x, [200, 3]);
        expect(nanAt(max(rows, { axis: 1 }))).toEqual(Array.from({ length: 200 }, (_, i) => i));
        expect(nanAt(min(rows, { axis: 1 }))).toEqual(Array.from({ length: 200 }, (_, i) => i));
        expect(Number.isNaN(softmax(tensor([1, NaN, 2])).data[0])).toBe(true);
        // linear's fused relu (the WASM GEMM + bias + relu path at this size)
        const y = linear(reshape(x, [n / 6, 6]), ones([6, 6]), zeros([6]), { activation: "relu" });
        expect(nanAt(y)).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(relu(tensor([-0, -1, 0, 3])).toFlatArray()).toEqual([0, 0, 0, 3]);
      } finally {
        setBackend(prev);
      }
    });
  }
});

describe("tidy", () => {
  it("refuses an async function before running it, and a returned promise", async () => {
    let ran = false;
    expectError(() => tidy((async () => { ran = true; }) as unknown as () => number), TransformError, /^tidy: fn returned a Promise/);
    expect(ran).toBe(false);
    expectError(() => tidy(() => Promise.resolve(ones([2])) as unknown as Tensor), TransformError, /^tidy: fn returned a Promise/);
    expectError(() => tidy(3 as unknown as () => number), ArgumentError, /^tidy: fn must be a function, got 3$/);
  });

  it("copies tensors out of a null-prototype result (they used to be overwritten by the next scope)", () => {
    const res = tidy(() => {
      const o = Object.create(null) as { y: Tensor };
      o.y = add(ones([100]), 2);
      return o;
    });
    expect(Object.getPrototypeOf(res)).toBeNull();
    tidy(() => add(ones([100]), 40)); // reuses the first scope's memory
    expect(res.y.toFlatArray().every((v) => v === 3)).toBe(true);
  });
});

describe("sizeOf", () => {
  it("refuses non-number extents (a nested array used to coerce or give NaN)", () => {
    expectError(() => sizeOf([[1, 2], [3]] as never), ShapeError, /^sizeOf: shape must be an array of extents \(numbers\), got a nested array/);
    expectError(() => sizeOf(["a"] as never), ShapeError, /^sizeOf: /);
    expect(sizeOf([2, 3])).toBe(6);
    expect(sizeOf([])).toBe(1);
  });

  it("treeScale refuses a scale that is neither a number nor a tensor", () => {
    expectError(() => treeScale([], [null] as never), ValueError, /^treeScale: s must be a number or a Tensor, got an array/);
    expect(treeScale({ a: tensor([1, 2]) }, 2).a.data[1]).toBe(4);
  });
});
