import { describe, expect, it } from "vitest";
import { sum, square, tensor } from "@regularize/core-autodiff";
import { runPool } from "../src/pool.ts";

describe("runPool", () => {
  it("returns results in task order, identical to a serial run", async () => {
    const tasks = [5, 1, 4, 2, 3, 7].map((n) => ({ n }));
    const seen: number[] = [];
    const results = await runPool<{ n: number }, number>(tasks, {
      workerUrl: new URL("./echo-worker.ts", import.meta.url),
      workers: 2,
      onResult: (i) => seen.push(i),
    });
    const serial = tasks.map(({ n }) => sum(square(tensor(Array.from({ length: n }, (_, i) => i)))).item());
    expect(results).toEqual(serial);
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("computes the shared input once in the parent and delivers it to every worker before its first task", async () => {
    let calls = 0;
    const results = await runPool<{ n: number }, number>([1, 2, 3, 4, 5].map((n) => ({ n })), {
      workerUrl: new URL("./init-worker.ts", import.meta.url),
      workers: 2,
      init: () => ({ offset: 100 + calls++ }),
    });
    expect(calls).toBe(1);
    expect(results).toEqual([101, 102, 103, 104, 105]);
  });

  it("rejects with the failing task's message", async () => {
    await expect(
      runPool([1, 2, 3, 4].map((n) => ({ n })), { workerUrl: new URL("./failing-worker.ts", import.meta.url), workers: 2 }),
    ).rejects.toThrow(/task 2 failed: bad task 3/);
  });
});
