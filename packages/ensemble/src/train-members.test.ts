import { normal, prngKey, tensor } from "@regularize/core-autodiff";
import { RandomState } from "@regularize/datasets";
import { describe, expect, it } from "vitest";
import { EnsembleOptionError } from "./errors.js";
import { type MlpMemberSpec, type PlainParams, memberParams, toPlainData } from "./member-trainer.js";
import { architectureMembers, bootstrapMembers, hyperparameterMembers, seedMembers } from "./members.js";
import { trainMembers } from "./train-members.js";

const n = 30;
const data = toPlainData({ x: normal(prngKey(1), [n, 5]), y: tensor(Int32Array.from({ length: n }, (_, i) => i % 3), { dtype: "int32" }) });
const base = { widths: [5, 8, 3], learningRate: 0.1, epochs: 2, batchSize: 10 };

describe("member specs", () => {
  it("seeds, hyperparameter grids and architectures", () => {
    expect(seedMembers(base, [1, 2]).map((s) => s.seed)).toEqual([1, 2]);
    const grid = hyperparameterMembers({ ...base, seed: 0 }, { learningRate: [0.1, 0.01], momentum: [0, 0.9] });
    expect(grid.map((g) => [g.learningRate, g.momentum])).toEqual([[0.1, 0], [0.1, 0.9], [0.01, 0], [0.01, 0.9]]);
    expect(architectureMembers({ ...base, seed: 0 }, [[5, 3], [5, 4, 4, 3]]).map((a) => a.widths.length)).toEqual([2, 4]);
    expect(() => seedMembers(base, [])).toThrow(EnsembleOptionError);
    expect(() => hyperparameterMembers(base, { learningRate: [] })).toThrow(/grid.learningRate/);
  });

  it("bagging continues one NumPy-legacy RandomState stream: choice(n, n) per member", () => {
    const rng = new RandomState(3);
    const specs = bootstrapMembers(base, { n: 15, members: 3, rng });
    const again = new RandomState(3);
    for (const s of specs) expect(s.indices).toEqual(Array.from(again.choice(15, 15, { replace: true })));
    expect(specs.every((s) => s.indices.length === 15)).toBe(true);
  });
});

describe("trainMembers", () => {
  it("gives bit-identical members serially and on 2 worker threads, in spec order", async () => {
    const specs: MlpMemberSpec[] = [
      ...seedMembers({ ...base }, [1, 2]),
      ...bootstrapMembers({ ...base, seed: 3 }, { n, members: 1, rng: 7 }),
    ];
    const done: number[] = [];
    const serial = await trainMembers<MlpMemberSpec, PlainParams>(specs, data);
    const parallel = await trainMembers<MlpMemberSpec, PlainParams>(specs, data, { workers: 2, onMember: (i) => done.push(i) });
    expect(done.sort()).toEqual([0, 1, 2]);
    const onePool = await trainMembers<MlpMemberSpec, PlainParams>(specs.slice(0, 1), data, { workers: 1, inProcess: false });
    expect(onePool[0]!.leaves.map((l) => Array.from(l.data))).toEqual(serial[0]!.leaves.map((l) => Array.from(l.data)));
    expect(parallel.map((p) => p.leaves.map((l) => Array.from(l.data)))).toEqual(serial.map((p) => p.leaves.map((l) => Array.from(l.data))));
    // members differ (different seeds / data) and rebuild into the model's tree
    expect(serial[0]!.leaves[0]!.data).not.toEqual(serial[1]!.leaves[0]!.data);
    expect(memberParams(specs[0]!, serial[0]!)).toHaveProperty("layers");
  }, 120_000);

  it("rejects an empty ensemble and bad worker counts; a failing member names itself", async () => {
    await expect(trainMembers([], data)).rejects.toThrow(/option "specs" is empty/);
    await expect(trainMembers([base], data, { workers: 0 })).rejects.toThrow(EnsembleOptionError);
    await expect(trainMembers([{ ...base, seed: 1, indices: [99] }], data)).rejects.toThrow(/indices\[0\]/);
  });
});
