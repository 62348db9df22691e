/**
 * The MLP benchmark inside a browser page (bundled by browser.ts, run by headless Chromium): engine
 * steps/s at batch 10 and 100 on the default backend (WASM SIMD where the browser has it), the same
 * step compiled by `jit` (float64 and float32), and on the pure-TS kernels, interleaved, medians of
 * per-block ms/step. Writes JSON into <pre id="result">.
 */
import { getBackend, setBackend, tsBackend } from "@regularize/core-autodiff";
import { makeProblem, type MlpSpec } from "./data.js";
import { EngineMlp } from "./mlp-engine.js";

const SPECS: readonly MlpSpec[] = [
  { id: "b100", sizes: [40, 100, 100, 10], batch: 100, lr: 0.1, nBatches: 8, seed: 1 },
  { id: "b10", sizes: [40, 100, 100, 10], batch: 10, lr: 0.1, nBatches: 8, seed: 2 },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function block(m: EngineMlp, n: number): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) m.step();
  return (performance.now() - t0) / n;
}

const params = new URLSearchParams(location.search);
const rounds = Number(params.get("rounds") ?? 7);
const blockMs = Number(params.get("blockMs") ?? 150);
const wasm = getBackend();
const out: Record<string, unknown> = { userAgent: navigator.userAgent, backend: wasm.name, rounds, blockMs };
for (const spec of SPECS) {
  const problem = makeProblem(spec);
  const runners = [
    { name: "engine", backend: wasm, m: new EngineMlp(problem) },
    { name: "engine jit", backend: wasm, m: new EngineMlp(problem, 0.1, "float64", "jit") },
    { name: "engine jit f32", backend: wasm, m: new EngineMlp(problem, 0.1, "float32", "jit") },
    { name: "engine TS", backend: tsBackend, m: new EngineMlp(problem) },
  ];
  const per: number[] = [];
  for (const r of runners) {
    setBackend(r.backend);
    let n = 1, ms = 0;
    while (ms * n < 300) { ms = block(r.m, n); n *= 2; } // warm-up ≥ 300 ms, calibrate
    per.push(Math.max(1, Math.round(blockMs / ms)));
  }
  const samples: number[][] = runners.map(() => []);
  for (let k = 0; k < rounds; k++) {
    for (let j = 0; j < runners.length; j++) {
      const i = (j + k) % runners.length;
      const r = runners[i]!;
      setBackend(r.backend);
      samples[i]!.push(block(r.m, per[i]!));
    }
  }
  setBackend(wasm);
  out[spec.id] = Object.fromEntries(runners.map((r, i) => [r.name, { msPerStep: median(samples[i]!), stepsPerSec: 1000 / median(samples[i]!), samples: samples[i] }]));
}
const pre = document.createElement("pre");
pre.id = "result";
pre.textContent = JSON.stringify(out);
document.body.appendChild(pre);
