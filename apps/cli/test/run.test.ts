import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runExperiment } from "@regularize/experiments";
import { afterAll, describe, expect, it } from "vitest";
import { runCommand } from "../src/commands/run.ts";
import { listText } from "../src/commands/list.ts";
import { resolveRun } from "../src/run-config.ts";
import { UsageError } from "../src/usage-error.ts";
import { runCli } from "./cli-child.ts";

const root = mkdtempSync(join(tmpdir(), "regularize-run-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const read = (dir: string, f: string) => readFileSync(join(dir, f), "utf8");

describe("regularize run", () => {
  it("writes the run folder: config, metrics.jsonl/csv, result, summary, checkpoint-free plots (svg + png)", async () => {
    const out = join(root, "tiny");
    const r = await runCommand("mnist1d", { set: ["steps=40", "samples=300", "evalEvery=20"], plugin: ["l2:lambda=1e-4"], out, quiet: true });
    expect(r.code).toBe(0);
    // drawn by the worker started at launch (render.test and background-renderer.test: the same bytes)
    expect(r.plotsRenderedBy).toBe("worker");
    const config = JSON.parse(read(out, "config.json"));
    expect(config).toMatchObject({ experiment: "mnist1d", seed: 42, plugins: [{ name: "l2", options: { lambda: 1e-4, mask: "weights" } }] });
    expect(config.params).toMatchObject({ steps: 40, samples: 300, lr: 0.01, optimizer: "adam", dtype: "float32" });
    expect(config.versions["@regularize/experiments"]).toMatch(/^\d+\.\d+\.\d+/);
    const rows = read(out, "metrics.jsonl").trim().split("\n").map((l) => JSON.parse(l));
    expect(rows.some((m) => typeof m.loss === "number")).toBe(true);
    expect(rows.filter((m) => "testAccuracy" in m).map((m) => m.step)).toEqual([20, 40]);
    expect(read(out, "metrics.csv").split("\n")[0]).toBe("step,loss,testAccuracy");
    expect(JSON.parse(read(out, "result.json"))).toEqual(r.result);
    const summary = JSON.parse(read(out, "summary.json"));
    expect(summary).toMatchObject({ experiment: "mnist1d", status: "ok", plots: ["plots/loss.svg", "plots/loss.png", "plots/test-accuracy.svg", "plots/test-accuracy.png"] });
    expect(summary.result.testAccuracy).toBe((r.result as { testAccuracy: number }).testAccuracy);
    expect(read(out, "plots/loss.svg")).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*Training loss/);
    expect(readFileSync(join(out, "plots/loss.png")).subarray(1, 4).toString()).toBe("PNG");
    // a temporary file never survives an atomic write
    expect(readFileSync(join(out, "config.json"), "utf8").endsWith("\n")).toBe(true);
    await expect(runCommand("mnist1d", { out })).rejects.toThrow(/already holds a run/);
  });

  it("validates everything before training: unknown ids, params, plugins, options, ranges, unwritable --out", async () => {
    const cases: [string, Parameters<typeof resolveRun>[1], RegExp][] = [
      ["nope", {}, /unknown experiment "nope"; valid ids: .*mnist1d/],
      ["mnist1d", { set: ["lr=-1"] }, /lr: .*>=1e-8/],
      ["mnist1d", { set: ["lr=1e308"] }, /lr: .*<=10/],
      ["mnist1d", { set: ["lr=1e400"] }, /lr/],
      ["mnist1d", { set: ["weightDecay=-0.1"] }, /weightDecay/],
      ["mnist1d", { set: ["lr=fast"] }, /lr must be a number, got "fast"/],
      ["mnist1d", { set: ["model=rnn"] }, /model must be one of mlp, cnn, linear/],
      ["mnist1d", { set: ["foo=1"] }, /unknown param "foo"; valid params: model, optimizer, lr/],
      ["mnist1d", { plugin: ["l3"] }, /unknown plugin "l3"; valid plugins: .*l2/],
      ["mnist1d", { plugin: ["l2:lamda=1"] }, /plugin l2: unknown option "lamda"; valid options: lambda, mask/],
      ["mnist1d", { plugin: ["l2:lambda=-1"] }, /plugin l2: .*lambda/],
      ["mnist1d", { plugin: ["weightDecay:rate=-1"] }, /plugin weightDecay: .*rate/],
      ["mnist1d", { plugin: ["l2"] }, /lambda/],
      ["fig9.2", { plugin: ["l2:lambda=1"] }, /fig9.2 takes no plugins/],
      ["fig9.14", { seed: 3 }, /no seed param/],
    ];
    for (const [target, flags, msg] of cases) {
      expect(() => resolveRun(target, flags), `${target} ${JSON.stringify(flags)}`).toThrow(UsageError);
      expect(() => resolveRun(target, flags)).toThrow(msg);
    }
    await expect(runCommand("mnist1d", { out: "/proc/regularize-x" })).rejects.toThrow(/--out \/proc\/regularize-x is not writable/);
    expect(existsSync(join(root, "never"))).toBe(false);
  });

  it("reads a config file with params and plugins (strings or objects), flags on top", () => {
    const r = resolveRun(join(__dirname, "fixtures", "mnist1d-config.json"), { set: ["steps=5"] });
    expect(r.params).toMatchObject({ steps: 5, lr: 0.02, model: "linear" });
    expect(r.plugins).toEqual([{ name: "dropout", options: { rate: 0.1, inference: "inverted", sampling: "bernoulli", sharedMask: false } }, { name: "l2", options: { lambda: 0.001, mask: "all" } }]);
    expect(() => resolveRun(join(__dirname, "fixtures", "bad-config.json"), {})).toThrow(/unknown key\(s\) experimnt/);
  });

  it("lists every experiment with params and ranges and every plugin with options", () => {
    const t = listText();
    expect(t).toMatch(/mnist1d — .*\n(.*\n)*    lr: number = 0.01 in \[1e-8, 10\]/);
    for (const pkg of ["@regularize/penalties", "@regularize/noise", "@regularize/optim"]) expect(t).toContain(pkg);
    expect(t).toMatch(/  l2 — .*\n      lambda: number in \[0, 1000000\] — .* \(required\)/);
  });
});

describe("regularize (child process)", () => {
  it("exits 2 with one line and no stack trace on an out-of-range value", async () => {
    const r = await runCli(["run", "mnist1d", "--set", "lr=-1"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^regularize run: mnist1d: invalid params: lr/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("Ctrl-C writes a checkpoint; --resume continues it bit for bit", async () => {
    const out = join(root, "interrupted");
    const set = ["--set", "steps=300", "--set", "samples=400", "--set", "evalEvery=100"];
    const first = await runCli(["run", "mnist1d", ...set, "--out", out], (child) => {
      const poll = setInterval(() => {
        if (existsSync(join(out, "metrics.jsonl"))) { clearInterval(poll); child.kill("SIGINT"); }
      }, 20);
    });
    expect(first.code).toBe(130);
    expect(first.stderr).toMatch(/checkpoint saved .*--resume/);
    const summary = JSON.parse(read(out, "summary.json"));
    expect(summary.status).toBe("interrupted");
    expect(summary.checkpointStep).toBeGreaterThan(0);
    expect(summary.checkpointStep).toBeLessThan(300);
    const second = await runCli(["run", "--resume", out]);
    expect(second.code, second.stderr).toBe(0);
    const full = await runExperiment("mnist1d", { steps: 300, samples: 400, evalEvery: 100 });
    expect(read(out, "result.json")).toBe(`${JSON.stringify(full, null, 2)}\n`);
    const steps = read(out, "metrics.jsonl").trim().split("\n").map((l) => JSON.parse(l)).filter((m) => "loss" in m).map((m) => m.step as number);
    for (let i = 1; i < steps.length; i++) expect(steps[i]).toBeGreaterThan(steps[i - 1]!);
    expect(steps.at(-1)).toBe(300);
    expect(existsSync(join(out, "plots", "loss.png"))).toBe(true);
  }, 120_000);
});
