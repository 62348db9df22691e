import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeMnist1d, type Mnist1dDataset } from "./mnist1d.js";
import { parseMnist1dCliArgs, runMnist1dCli } from "./mnist1d-cli.js";
import { decodeNpy } from "./npy.js";

function capture() {
  const out = { stdout: "", stderr: "" };
  return { out, io: { stdout: (s: string) => void (out.stdout += s), stderr: (s: string) => void (out.stderr += s) } };
}

const dir = mkdtempSync(join(tmpdir(), "mnist1d-cli-"));
let expected: Mnist1dDataset;
// Every describe below reads the files this single CLI run writes.
beforeAll(async () => {
  expected = makeMnist1d({ numSamples: 200, seed: 7, padding: [30, 50] });
  const { io, out } = capture();
  const code = await runMnist1dCli(["--num-samples", "200", "--seed", "7", "--padding", "30,50", "-o", dir], io);
  expect(out.stderr).toBe("");
  expect(code).toBe(0);
  expect(out.stdout).toMatch(/160 train \/ 40 test × 40/);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("runMnist1dCli", () => {
  it("writes .npy files that decode to the generated arrays", () => {
    const read = (name: string) => decodeNpy(new Uint8Array(readFileSync(join(dir, name))));
    const x = read("x.npy");
    expect([x.descr, x.shape]).toEqual(["<f8", [160, 40]]);
    expect(x.data).toEqual(expected.x);
    const y = read("y.npy");
    expect([y.descr, y.shape]).toEqual(["<i4", [160]]);
    expect(y.data).toEqual(expected.y);
    expect(read("x_test.npy").data).toEqual(expected.xTest);
    expect(read("y_test.npy").data).toEqual(expected.yTest);
    expect(read("t.npy").data).toEqual(expected.t);
    expect(read("templates_x.npy").shape).toEqual([10, 12]);
    expect(read("templates_y.npy").data).toEqual(expected.templates.y);
  });

  it("writes JSON with the pickle's keys and exact numbers", () => {
    const json = JSON.parse(readFileSync(join(dir, "mnist1d.json"), "utf8"));
    expect(Object.keys(json).sort()).toEqual(["args", "normalisation", "t", "templates", "x", "x_test", "y", "y_test"]);
    expect(Float64Array.from(json.x.flat())).toEqual(expected.x);
    expect(json.y).toEqual(Array.from(expected.y));
    expect(json.args).toMatchObject({ num_samples: 200, seed: 7, padding: [30, 50], train_split: 0.8 });
  });

  it("prints help and rejects bad input with exit code 2 and the argument's name", async () => {
    const help = capture();
    expect(await runMnist1dCli(["--help"], help.io)).toBe(0);
    expect(help.out.stdout).toContain("Usage: mnist1d");
    for (const [argv, name] of [
      [["--seed", "-1"], "seed"],
      [["--train-split", "abc"], "trainSplit"],
      [["--padding", "60,36"], "padding"],
      [["--format", "csv"], "format"],
      [["--preset", "nope"], "preset"],
    ] as const) {
      const bad = capture();
      expect(await runMnist1dCli(argv, bad.io)).toBe(2);
      expect(bad.out.stderr).toContain(name);
    }
    const unknown = capture();
    expect(await runMnist1dCli(["--bogus"], unknown.io)).toBe(2);
  });
});

describe("parseMnist1dCliArgs", () => {
  it("starts from a preset and lets flags override it", () => {
    const p = parseMnist1dCliArgs(["--preset", "fig9_5", "--seed", "3", "--shuffle-seq", "-f", "npy"]);
    expect(p.args).toMatchObject({ numSamples: 8000, trainSplit: 0.5, seed: 3, shuffleSeq: true });
    expect(p.format).toBe("npy");
    expect(p.out).toBe("mnist1d");
  });
});
