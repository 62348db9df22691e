import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const MODULE = fileURLToPath(new URL("./young-generation.ts", import.meta.url));

/** New-space sizes (MB) of a child process that starts a worker, optionally holds, then allocates like a training. */
function newSpaceSizes(hold: boolean): { atHold: number; end: number } {
  const script = `
    import v8 from "node:v8";
    import { Worker } from "node:worker_threads";
    import { holdYoungGeneration } from ${JSON.stringify(MODULE)};
    const ns = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size / 1048576;
    const w = new Worker("setTimeout(() => {}, 200)", { eval: true, execArgv: [] });
    await new Promise((r, j) => w.once("online", r).once("error", j));
    w.unref();
    ${hold ? "holdYoungGeneration();" : ""}
    const atHold = ns();
    const keep = [];
    for (let i = 0; i < 3000; i++) {
      const a = [];
      for (let j = 0; j < 1000; j++) a.push({ j, x: new Float32Array(4) });
      keep.push(a);
      if (keep.length > 10) keep.shift();
    }
    console.log(JSON.stringify({ atHold, end: ns() }));`;
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`status ${r.status} ${r.signal}: ${r.stderr}${r.stdout}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as { atHold: number; end: number };
}

describe("holdYoungGeneration", () => {
  it("keeps the young generation at its size once held after a worker started (it grows without)", () => {
    const held = newSpaceSizes(true), free = newSpaceSizes(false);
    expect(held.end).toBe(held.atHold);
    expect(free.end).toBeGreaterThan(free.atHold);
  });
});
