import { appendFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ResultsFile, readResults } from "./results-file.ts";
import type { ResultLine } from "./trial.ts";

const line = (id: string, status: "ok" | "failed" = "ok"): ResultLine =>
  status === "ok" ? { id, experiment: "x", params: {}, seed: 0, status, result: { v: id } } : { id, experiment: "x", params: {}, seed: 0, status, error: "boom" };

describe("results.jsonl", () => {
  it("appends whole lines and reads them back, ignoring a torn last line", () => {
    const p = join(mkdtempSync(join(tmpdir(), "results-")), "results.jsonl");
    const f = new ResultsFile(p);
    f.append(line("a"));
    f.append(line("b", "failed"));
    f.close();
    appendFileSync(p, '{"id":"c","status":"o'); // a crash mid-write
    const r = readResults(p);
    expect([...r.byId.keys()]).toEqual(["a", "b"]);
    expect(r.skipped).toBe(1);
    // the next writer ends the torn fragment first, so its own record stays readable
    const g = new ResultsFile(p);
    g.append(line("c"));
    g.append(line("b")); // b now succeeded (a --retry-failed run): ok wins over failed
    g.append(line("a")); // a duplicate is stored once
    g.close();
    const r2 = readResults(p);
    expect([...r2.byId.keys()].sort()).toEqual(["a", "b", "c"]);
    expect(r2.byId.get("b")!.status).toBe("ok");
    expect(r2.skipped).toBe(1);
    expect(readFileSync(p, "utf8").endsWith("\n")).toBe(true);
  });

  it("reads a missing file as empty", () => {
    expect(readResults(join(tmpdir(), "no-such-dir-xyz", "results.jsonl")).byId.size).toBe(0);
  });
});
