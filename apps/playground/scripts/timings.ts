// Times every experiment at its default (full) settings in Node, outside the browser:
//   node --conditions=source --import tsx scripts/timings.ts [--quick]
import { FIG91_DEFAULTS, fig91 } from "../src/experiments/fig9-1.js";
import { FIG92_DEFAULTS, fig92 } from "../src/experiments/fig9-2.js";
import { FIG93_DEFAULTS, fig93 } from "../src/experiments/fig9-3.js";
import { FIG94_DEFAULTS, fig94 } from "../src/experiments/fig9-4.js";
import { FIG96_DEFAULTS, fig96 } from "../src/experiments/fig9-6.js";
import { FIG99_DEFAULTS, fig99 } from "../src/experiments/fig9-9.js";
import { FIG910_DEFAULTS, fig910 } from "../src/experiments/fig9-10.js";
import { MNIST1D_EXPLORER_DEFAULTS, mnist1dExplorer } from "../src/experiments/mnist1d.js";
import { type AnyExperimentRun, drainAsync } from "../src/experiments/run.js";

const quick = process.argv.includes("--quick");
const runs: [string, () => AnyExperimentRun<unknown>][] = [
  ["fig 9.1 (201², λ = 0.2)", () => fig91(FIG91_DEFAULTS)],
  ["fig 9.2 (6 λ + free)", () => fig92(FIG92_DEFAULTS)],
  ["fig 9.3 (131²)", () => fig93(FIG93_DEFAULTS)],
  ["fig 9.4 (101², α = 10, b = 5)", () => fig94(FIG94_DEFAULTS)],
  [`fig 9.6 (${quick ? "10k" : "200k"} iterations)`, () => fig96({ ...FIG96_DEFAULTS, ...(quick ? { iterations: 10_000 } : {}) })],
  ["fig 9.9 (2000 dropout iterations)", () => fig99(FIG99_DEFAULTS)],
  ["fig 9.10 (4 fits × 5000 steps)", () => fig910(FIG910_DEFAULTS)],
  ["MNIST-1D explorer", () => mnist1dExplorer(MNIST1D_EXPLORER_DEFAULTS)],
];
for (const [name, make] of runs) {
  const t0 = performance.now();
  await drainAsync(make());
  console.log(`${name.padEnd(36)} ${((performance.now() - t0) / 1000).toFixed(2)} s`);
}
