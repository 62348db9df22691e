import { PRNGKey, Tensor, prngKey, tensor } from "@regularize/core-autodiff";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { StateError } from "./errors.js";
import { decodeValue, deserializeState, encodeValue, serializeState } from "./serialize-state.js";
import type { TrainState } from "./train-state.js";

const state: TrainState = {
  version: 1,
  params: { layers: [{ w: tensor([[1, 2]]), b: tensor([0.5], { dtype: "float32" }) }] },
  optimizer: { count: 3, mu: { w: tensor([Infinity, -Infinity, NaN]) }, key: prngKey(7), none: undefined, nothing: null },
  transforms: { clip: null },
  plugins: { es: { best: Infinity, $weird: "dollar", counts: new Int32Array([1, 2]) } },
  step: 3, epoch: 1, batchInEpoch: 1, inEpoch: true,
  epochStats: { lossSum: 1.5, dataLossSum: 1.25, count: 1, batches: 1 },
  key: [0, 7], data: { n: 12, batchSize: 5, shuffle: true, dropLast: false },
};

describe("serializeState / deserializeState", () => {
  it("round-trips through JSON text: tensors (dtype, shape, non-finite entries), keys, typed arrays, undefined, $-keys", () => {
    const json = JSON.stringify(serializeState(state));
    const back = deserializeState(json);
    expect(back).toEqual(state);
    const b = (back.params as { layers: { b: Tensor }[] }).layers[0]!.b;
    expect(b.dtype).toBe("float32");
    expect((back.optimizer as { key: PRNGKey }).key).toBeInstanceOf(PRNGKey);
    expect(Object.keys(back.optimizer as object)).toContain("none");
  });

  it("keeps −0 exactly, in tensors and plain numbers", () => {
    const back = decodeValue(JSON.parse(JSON.stringify(encodeValue({ t: tensor([-0, 0]), n: -0 })))) as { t: Tensor; n: number };
    expect(Object.is(back.t.data[0], -0)).toBe(true);
    expect(Object.is(back.t.data[1], 0)).toBe(true);
    expect(Object.is(back.n, -0)).toBe(true);
  });

  it("stores tensors as { dtype, shape, data: number[] }", () => {
    const enc = serializeState(state) as unknown as { params: { layers: { w: unknown }[] } };
    expect(enc.params.layers[0]!.w).toEqual({ $tensor: 1, dtype: "float64", shape: [1, 2], data: [1, 2] });
  });

  it("rejects values it cannot restore exactly, naming the path", () => {
    expect(() => encodeValue({ a: new Map() })).toThrow(/state\.a: cannot serialise Map/);
    expect(() => encodeValue({ f: () => 1 })).toThrow(StateError);
  });

  it("checks every field deeply, naming it", () => {
    const enc = serializeState(state) as Record<string, unknown>;
    const bad = (patch: Record<string, unknown>) => () => deserializeState(JSON.stringify({ ...enc, ...patch }));
    expect(bad({ step: -1 })).toThrow(/TrainState\.step: must be a non-negative integer, got -1/);
    expect(bad({ epoch: -3 })).toThrow(/TrainState\.epoch: must be a non-negative integer/);
    expect(bad({ batchInEpoch: 1.5 })).toThrow(/TrainState\.batchInEpoch/);
    expect(bad({ key: ["a", "b"] })).toThrow(/TrainState\.key: must be two uint32 words/);
    expect(bad({ key: [0, 2 ** 32] })).toThrow(/TrainState\.key/);
    expect(bad({ inEpoch: "yes" })).toThrow(/TrainState\.inEpoch/);
    expect(bad({ epochStats: { lossSum: 0, dataLossSum: 0, count: 2, batches: 1 } })).toThrow(/epochStats\.count: must be at most/);
    expect(bad({ data: { n: 0, batchSize: 5, shuffle: true, dropLast: false } })).toThrow(/TrainState\.data\.n/);
    expect(bad({ plugins: [] })).toThrow(/TrainState\.plugins/);
    expect(bad({ params: { w: 3 } })).toThrow(/TrainState\.params: must be a tree of tensors/);
    expect(bad({ params: {} })).toThrow(/TrainState\.params: must be a non-empty tree of tensors/);
    const t = (x: Record<string, unknown>) => ({ params: { w: { $tensor: 1, dtype: "float64", shape: [2], data: [1, 2], ...x } } });
    expect(bad(t({ shape: [-2, -1] }))).toThrow(/state\.params\.w\.shape\[0\]: must be a non-negative integer/);
    expect(bad(t({ dtype: "float" }))).toThrow(/state\.params\.w\.dtype: must be one of float64, float32, int32, got "float"/);
    expect(bad(t({ shape: [3] }))).toThrow(/state\.params\.w\.data: shape \[3\] needs 3 entries, got 2/);
    expect(() => decodeValue({ $prngKey: ["a", "b"] })).toThrow(/two uint32 words/);
    for (const f of [bad({ step: -1 }), bad(t({ dtype: "f32" }))]) expect(f).toThrow(StateError);
  });

  it("rejects text that is not a TrainState", () => {
    expect(() => deserializeState("{")).toThrow(StateError);
    expect(() => deserializeState(JSON.stringify({ version: 2 }))).toThrow(/version 1/);
  });

  const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: "small" },
      fc.double(), fc.string(), fc.boolean(), fc.constant(null), fc.constant(undefined),
      fc.array(fc.double(), { maxLength: 6 }).map((a) => tensor(a)),
      fc.array(tie("value"), { maxLength: 4 }),
      fc.dictionary(fc.string(), tie("value"), { maxKeys: 4 }),
    ),
  })).value;

  test.prop([json])("decodeValue ∘ JSON ∘ encodeValue is the identity", (v) => {
    const back = decodeValue(JSON.parse(JSON.stringify(encodeValue(v))));
    expect(back).toEqual(v);
    expect(JSON.stringify(encodeValue(back))).toBe(JSON.stringify(encodeValue(v))); // also tells −0 from 0
  });
});

describe("serializeState argument guard", () => {
  it("refuses what is not a TrainState, naming the function and the field, instead of writing it", () => {
    for (const bad of [null, undefined, 0.5, "x", [1], { batchsize: 2 }, tensor([1, 2])]) {
      expect(() => serializeState(bad as never), String(bad)).toThrow(StateError);
      expect(() => serializeState(bad as never), String(bad)).toThrow(/^serializeState: state must be a TrainState/);
    }
    expect(() => serializeState({ version: 1, step: -1 } as never)).toThrow(/^serializeState: state\.step: must be a non-negative integer, got -1/);
  });
});
