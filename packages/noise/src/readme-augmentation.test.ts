import { readFileSync } from "node:fs";
import * as autodiff from "@regularize/core-autodiff";
import * as train from "@regularize/core-train";
import { referenceSgd } from "@regularize/core-train/testing";
import * as datasets from "@regularize/datasets";
import { describe, expect, it } from "vitest";
import * as noise from "./index.js";

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<unknown>;

/**
 * The README's augmentation example, run verbatim minus its import lines. The bindings are this
 * workspace's packages; `sgd` (from @regularize/optim, which noise may not import) is core-train's
 * reference SGD with PyTorch momentum — the same update.
 */
async function runReadmeExample(): Promise<{ result: train.FitResult; data: train.Dataset }> {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const block = /<!-- readme-example: augmentation[^>]*-->\s*```ts\n([\s\S]*?)```/.exec(readme);
  if (block === null) throw new Error("README: augmentation example not found");
  const imported = [...block[1]!.matchAll(/^import \{([^}]*)\} from "[^"]+";$/gm)].flatMap((m) => m[1]!.split(",").map((s) => s.trim()).filter(Boolean));
  const code = block[1]!.replace(/^import [^;]*;\n/gm, "");
  expect(code).not.toMatch(/^import /m);
  const scope: Record<string, unknown> = {
    ...autodiff, ...train, ...datasets, ...noise,
    sgd: (o: { learningRate: number; momentum: number }) => referenceSgd({ lr: o.learningRate, momentum: o.momentum }),
  };
  const names = imported;
  for (const n of names) expect(scope[n], `README imports ${n}`).toBeDefined();
  const run = new AsyncFunction(...names, `${code}\nreturn { result, data };`);
  return (await run(...names.map((n) => scope[n]))) as { result: train.FitResult; data: train.Dataset };
}

describe("README: on-the-fly augmentation example", () => {
  it("trains the notebook-9.5 MLP with per-batch shift + scale and learns", async () => {
    const { result } = await runReadmeExample();
    const epochs = result.history.epochs;
    expect(epochs.length).toBe(20);
    // 800 training signals, 20 epochs: far above chance (10 %).
    expect(epochs[19]!.valAccuracy!).toBeGreaterThan(0.3);
    expect(result.stopped).toBe("completed");
  });
});
