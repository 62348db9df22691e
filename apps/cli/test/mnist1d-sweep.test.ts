// The outside check of issue 12, shortened (--set steps/samples) to stay fast: a sweep of the
// mnist1d entry over lr × 2 seeds, killed with SIGKILL mid-way and re-run; a diverging lr; and the
// same sweep on a real redis-server with two workers, one SIGKILLed mid-way.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type CliProc, redisServerPath, runCli, startCli, startRedis, until } from "./cli-process.ts";

const SMALL = ["--set", "steps=80", "--set", "samples=1000", "--set", "evalEvery=0"];
const GRID = ["sweep", "mnist1d", "--grid", "lr=0.01,0.05,0.1", "--seeds", "2", ...SMALL];
const tmp = () => mkdtempSync(join(tmpdir(), "mnist1d-sweep-"));
type Line = { id: string; status: string; params: { lr: number }; seed: number; result?: { testError: number }; error?: string };
const lines = (dir: string): Line[] => {
  try {
    return readFileSync(join(dir, "results.jsonl"), "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as Line);
  } catch {
    return [];
  }
};
let local: Line[] = [];

describe("regularize sweep mnist1d (issue 12's outside check, small)", () => {
  it("killed with SIGKILL mid-way and re-run: 6 ok lines, unique ids", async () => {
    const out = tmp();
    const first = startCli([...GRID, "--workers", "2", "--out", out]);
    await until(() => lines(out).length >= 1, 120_000, "a first finished training");
    first.child.kill("SIGKILL");
    await first.exited;
    expect(lines(out).length).toBeLessThan(6);
    const again = await runCli([...GRID, "--workers", "2", "--out", out]);
    expect(again.code).toBe(0);
    local = lines(out);
    expect(local).toHaveLength(6);
    expect(local.every((l) => l.status === "ok")).toBe(true);
    expect(new Set(local.map((l) => l.id)).size).toBe(6);
    expect(local.map((l) => `${l.params.lr}/${l.seed}`).sort()).toEqual(["0.01/0", "0.01/1", "0.05/0", "0.05/1", "0.1/0", "0.1/1"]);
    expect(again.out).toMatch(/lr\s+ok\s+failed\s+mean trainAccuracy/);
    // plots at the end: each scalar result field (seed mean) against lr, as SVG and PNG
    expect(readFileSync(join(out, "plots", "testError-vs-lr.svg"), "utf8")).toMatch(/<svg[\s\S]*testError/);
    expect(readFileSync(join(out, "plots", "testError-vs-lr.png")).subarray(1, 4).toString()).toBe("PNG");
  }, 300_000);

  it("a diverging lr (SGD, lr 10, checkFinite) is recorded as failed; the others finish; exit 1", async () => {
    const out = tmp();
    const r = await runCli(["sweep", "mnist1d", "--set", "optimizer=sgd", "--grid", "lr=0.05,10", ...SMALL, "--out", out]);
    expect(r.code).toBe(1);
    const ls = lines(out);
    expect(ls.map((l) => [l.params.lr, l.status])).toEqual(expect.arrayContaining([[0.05, "ok"], [10, "failed"]]));
    expect(ls.find((l) => l.status === "failed")!.error).toMatch(/NonFiniteLossError: non-finite loss/);
    expect(r.err).toContain("1 trial failed:");
  }, 300_000);

  const redisBin = redisServerPath();
  describe.skipIf(!redisBin)("with --queue on a real redis-server", () => {
    const procs: CliProc[] = [];
    let stop: (() => Promise<void>) | undefined;
    afterAll(async () => {
      for (const p of procs) if (p.child.exitCode === null) p.child.kill("SIGKILL");
      await stop?.();
    }, 300_000);

    it("two workers, one SIGKILLed mid-way: the same 6 results, bit for bit", async () => {
      const redis = await startRedis();
      stop = redis.stop;
      const env = { REGULARIZE_QUEUE: redis.url };
      const workers = [0, 1].map(() => startCli(["worker", "--concurrency", "1", "--lock-duration", "2000", "--stalled-interval", "1000"], env));
      procs.push(...workers);
      await until(() => workers.every((w) => w.out.includes("serving")), 120_000, "two workers");
      const out = tmp();
      const sweep = startCli([...GRID, "--queue", "--out", out], env);
      procs.push(sweep);
      // kill a worker while it holds a trial
      await until(() => lines(out).length >= 1, 120_000, "a first result");
      workers[0]!.child.kill("SIGKILL");
      expect(await sweep.exited).toBe(0);
      const got = lines(out);
      expect(got).toHaveLength(6);
      expect(new Set(got.map((l) => l.id)).size).toBe(6);
      const byId = (ls: Line[]) => new Map(ls.map((l) => [l.id, JSON.stringify(l)]));
      if (local.length === 6) expect(byId(got)).toEqual(byId(local));
    }, 300_000);
  }, 300_000);
});
