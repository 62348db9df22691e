import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runExperiment } from "../index.js";
import { fig97Plots } from "./fig9-7.js";
import type { Notebook93Curves, Notebook93Result } from "../impl/notebook9-3.js";

// Reference values from NumPy (test/fixtures/notebook9_3.py: the notebook's cells re-typed) and the same
// normal equations solved in rational arithmetic ("exact"). With the 1e-5 ridge, bootstrap systems have
// cond ≈ 1e6–1e8, so NumPy's own inv is off the exact answer by up to 1.25e-10 on these cases (2.7e-10
// over seeds 0–59): we compute the exact solution (1e-13) and agree with NumPy to 3e-10.
type Nums = Pick<Notebook93Result, "singleMse" | "memberMse" | "medianMse" | "meanMse">;
const fixture = JSON.parse(readFileSync(new URL("../../test/fixtures/notebook9_3.json", import.meta.url), "utf8")) as {
  tolerance: { numpy: number; exact: number };
  cases: (Notebook93Result & { seed: number; members: number; exact: Nums })[];
};
const expectNums = (r: Nums, ref: Nums, tol: number) => {
  expect(Math.abs(r.singleMse - ref.singleMse)).toBeLessThan(tol);
  expect(r.memberMse).toHaveLength(ref.memberMse.length);
  r.memberMse.forEach((m, i) => expect(Math.abs(m - ref.memberMse[i]!)).toBeLessThan(tol));
  expect(Math.abs(r.medianMse - ref.medianMse)).toBeLessThan(tol);
  expect(Math.abs(r.meanMse - ref.meanMse)).toBeLessThan(tol);
};
const sortedSets = (ix: number[][]) => ix.map((s) => [...s].sort((a, b) => a - b));

describe("notebook9.3", () => {
  it("reproduces the seed-1 golden numbers and index multisets of CHAPTER9.md (figure 9.7)", async () => {
    const r = (await runExperiment("notebook9.3", { seed: 1 })) as Notebook93Result;
    expect(Object.keys(r).sort()).toEqual(["indices", "meanMse", "medianMse", "memberMse", "singleMse"]);
    expect(r.singleMse.toFixed(4)).toBe("0.1954");
    expect(r.memberMse.map((m) => m.toFixed(4))).toEqual(["0.2223", "0.0979", "0.1202", "0.0479"]);
    expect(r.medianMse.toFixed(4)).toBe("0.0198");
    expect(r.meanMse.toFixed(4)).toBe("0.0182");
    expect(sortedSets(r.indices)).toEqual([
      [3, 4, 5, 6, 7, 7, 7, 7, 8, 9, 9, 10, 11, 13, 14],
      [0, 2, 3, 3, 6, 7, 7, 7, 8, 9, 9, 10, 10, 12, 14],
      [0, 0, 1, 1, 3, 4, 6, 7, 7, 8, 8, 13, 13, 13, 14],
      [2, 4, 5, 5, 6, 7, 8, 11, 11, 11, 11, 12, 12, 13, 14],
    ]);
    // the notebook's conclusion: both combiners beat every member
    for (const m of r.memberMse) expect(Math.max(r.meanMse, r.medianMse)).toBeLessThan(m);
  });

  for (const c of fixture.cases) {
    it(`matches the exact solution to 1e-13 and NumPy to 3e-10 for seed ${c.seed} with ${c.members} members`, async () => {
      const r = (await runExperiment("notebook9.3", { seed: c.seed, members: c.members })) as Notebook93Result;
      expectNums(r, c.exact, fixture.tolerance.exact);
      expectNums(r, c, fixture.tolerance.numpy);
      expect(r.indices).toEqual(c.indices); // the draws themselves, in order
    });
  }

  it("defaults to seed 1 and 4 members and rejects bad params", async () => {
    const r = (await runExperiment("notebook9.3", {})) as Notebook93Result;
    expect(r.indices).toHaveLength(4);
    await expect(runExperiment("notebook9.3", { members: 0 })).rejects.toThrow(/members/);
  });
});

describe("fig9.7", () => {
  it("draws the data, each member with dot size = multiplicity, and the mean/median", async () => {
    const r = (await runExperiment("fig9.7", { seed: 1 })) as Notebook93Curves;
    const figs = fig97Plots(r);
    expect(figs.map((f) => f.name)).toEqual(["single", "member-1", "member-2", "member-3", "member-4", "ensemble"]);
    const dots = figs[1]!.marks.find((m) => m.type === "dot");
    if (dots?.type !== "dot") throw new Error("no dots");
    // member 1 drew {3,4,5,6,7×4,8,9×2,10,11,13,14}: 11 distinct points, sizes sum to 15
    expect(dots.x).toHaveLength(11);
    expect(dots.r!.reduce((a, b) => a + b, 0)).toBe(15);
    expect(Math.max(...dots.r!)).toBe(4);
    expect(r.mean).toHaveLength(100);
  });
});
