// Wall-clock timing of MNIST-1D generation (kept out of the unit tests so they stay timing-free).
// Run: pnpm --filter @regularize/datasets bench
import { MNIST1D_PRESETS, makeMnist1d, type Mnist1dArgs } from "../src/index.js";

function time(args: Mnist1dArgs, runs: number): { first: number; median: number; min: number } {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    makeMnist1d(args);
    samples.push(performance.now() - t0);
  }
  const first = samples[0]!;
  const sorted = samples.slice(1).sort((a, b) => a - b);
  return { first, median: sorted[Math.floor(sorted.length / 2)]!, min: sorted[0]! };
}

const runs = Number(process.env.BENCH_RUNS ?? 11);
for (const name of ["default", "fig9_5"] as const) {
  const args = MNIST1D_PRESETS[name];
  const r = time(args, runs);
  console.log(
    `${name.padEnd(8)} ${String(args.numSamples).padStart(5)} samples: first (cold) ${r.first.toFixed(0)} ms, ` +
      `warm median ${r.median.toFixed(0)} ms, min ${r.min.toFixed(0)} ms over ${runs - 1} runs`,
  );
}
