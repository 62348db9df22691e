import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, startCli, until } from "./cli-process.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "sweep-cli-"));
const lines = (dir: string): Array<{ id: string; status: string; seed: number; result?: unknown; error?: string }> => {
  try {
    return readFileSync(join(dir, "results.jsonl"), "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as { id: string; status: string; seed: number });
  } catch {
    return [];
  }
};

describe("regularize sweep (local pool), as a process", () => {
  it("SIGKILLed mid-way loses no finished trial; re-running the command finishes the rest, each trial once", async () => {
    const out = tmp();
    const args = ["sweep", "queue-selftest", "--grid", "ms=250", "--seeds", "10", "--workers", "2", "--out", out];
    const first = startCli(args);
    await until(() => lines(out).length >= 3, 120_000, "3 finished trials");
    first.child.kill("SIGKILL");
    await first.exited;
    const kept = lines(out).length;
    expect(kept).toBeGreaterThanOrEqual(3);
    expect(kept).toBeLessThan(10);
    const again = await runCli(args);
    expect(again.code).toBe(0);
    expect(again.out).toContain(`${kept} already in`);
    const all = lines(out);
    expect(all).toHaveLength(10);
    expect(new Set(all.map((l) => l.id)).size).toBe(10);
    expect(all.every((l) => l.status === "ok")).toBe(true);
    expect(all.map((l) => l.seed).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // a third run has nothing to do
    const third = await runCli(args);
    expect(third.code).toBe(0);
    expect(third.out).toContain("0 runs in");
    expect(lines(out)).toHaveLength(10);
  }, 300_000);

  it("Ctrl-C keeps every finished trial and says how to resume", async () => {
    const out = tmp();
    const p = startCli(["sweep", "queue-selftest", "--grid", "ms=300", "--seeds", "8", "--workers", "2", "--out", out]);
    await until(() => lines(out).length >= 2, 120_000, "2 finished trials");
    p.child.kill("SIGINT");
    expect(await p.exited).toBe(130);
    const kept = lines(out).length;
    expect(p.err).toMatch(new RegExp(`interrupted: ${kept} of 8 trials finished and kept in .*results\\.jsonl; run the same command again to resume`));
  }, 300_000);

  it("records failing trials (a throw, a non-finite result), finishes the others and exits 1 with a summary", async () => {
    const out = tmp();
    const r = await runCli(["sweep", "queue-selftest", "--grid", "fail=none,nan,throw", "--seeds", "2", "--workers", "2", "--out", out]);
    expect(r.code).toBe(1);
    const all = lines(out);
    expect(all).toHaveLength(6);
    expect(all.filter((l) => l.status === "ok")).toHaveLength(2);
    expect(all.filter((l) => l.status === "failed").map((l) => l.error).sort()).toEqual([
      "Error: queue-selftest: failing on purpose (seed 0)", "Error: queue-selftest: failing on purpose (seed 1)",
      "non-finite result at loss (diverged?)", "non-finite result at loss (diverged?)",
    ]);
    expect(r.err).toContain("4 trials failed:");
    expect(r.out).toMatch(/fail\s+ok\s+failed/);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as Array<{ grid: string[]; rows: unknown[] }>;
    expect(summary).toHaveLength(1);
    expect(summary[0]!.grid).toEqual(["fail"]);
    expect(summary[0]!.rows).toHaveLength(3);
  }, 300_000);

  it("rejects bad input before anything runs: one line, exit 2, no stack trace", async () => {
    const out = tmp();
    for (const [args, msg] of [
      [["--grid", "ms=5,-3"], /regularize sweep: queue-selftest: invalid params: ms: /],
      [["--grid", "lr=0.1"], /unknown param "lr"; valid params: ms, seed, fail/],
    ] as const) {
      const r = await runCli(["sweep", "queue-selftest", ...args, "--out", out]);
      expect(r.code).toBe(2);
      expect(r.err.trim().split("\n")).toHaveLength(1);
      expect(r.err).toMatch(msg);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
    const file = join(out, "not-a-dir");
    writeFileSync(file, "x");
    const r = await runCli(["sweep", "queue-selftest", "--out", join(file, "sub")]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is not writable/);
    expect(lines(out)).toHaveLength(0);
  }, 300_000);
});
