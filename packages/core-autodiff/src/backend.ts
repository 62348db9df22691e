import type { DataArray } from "./dtype.js";
import { binaryKernel, unaryKernel, whereKernel } from "./kernels/elementwise.js";
import { foldKernel, gatherKernel, scatterAddKernel, stridedAccumulate, stridedCopy, unfoldKernel } from "./kernels/layout.js";
import { gemm } from "./kernels/matmul.js";
import { reduceKernel, sumSquaresKernel } from "./kernels/reduce.js";
import { adamKernel } from "./kernels/adam.js";
import { normalKernel } from "./kernels/normal.js";
import { Access, activeRecorder, type KernelRecorder } from "./kernel-trace.js";
import type { Backend, GemmShape, ResidentKernels } from "./backend-types.js";
import { backendArg } from "./validate.js";
import { createWasmBackend, createWasmBackendAsync } from "./wasm/wasm-backend.js";

export type { Backend } from "./backend-types.js";

/** The pure-TypeScript reference backend. */
export const tsBackend: Backend = {
  name: "ts",
  unary: unaryKernel,
  binary: binaryKernel,
  where: whereKernel,
  gemm,
  reduce: reduceKernel,
  sumSquares: sumSquaresKernel,
  stridedCopy,
  stridedAccumulate,
  gather: gatherKernel,
  scatterAdd: scatterAddKernel,
  unfold: unfoldKernel,
  fold: foldKernel,
  adam: adamKernel,
  normal: normalKernel,
};

/**
 * The WebAssembly SIMD backend, or null where WebAssembly SIMD is missing (it then falls back to
 * the TS kernels). Its kernels are property-tested against `tsBackend`: float64 GEMM results are
 * bit-identical, float32 ones agree within the tolerance stated in wasm-backend.test.ts.
 */
export const wasmBackend: Backend | null = createWasmBackend(tsBackend);

function envBackend(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.REGULARIZE_BACKEND;
}

/**
 * @internal The default backend for a REGULARIZE_BACKEND value: "wasm" where WebAssembly SIMD is
 * available, the pure-TS kernels when the variable is "ts" (or WASM is missing).
 */
export function pickDefaultBackend(env: string | undefined): Backend {
  return env === "ts" ? tsBackend : wasmBackend ?? tsBackend;
}

let current: Backend = pickDefaultBackend(envBackend());
let chosen = false;

// Where synchronous compilation is refused (a browser main thread may cap it) but SIMD exists,
// compile asynchronously and switch once ready, unless someone chose a backend meanwhile.
if (wasmBackend === null && envBackend() !== "ts" && typeof WebAssembly === "object") {
  void createWasmBackendAsync(tsBackend).then((b) => {
    if (b !== null && !chosen) current = b;
  });
}

const { Read: R, Write: W, Update: U } = Access;
/** How each kernel uses its array arguments (by position; unlisted positions are read). */
const KERNEL_ACCESS: Record<Exclude<keyof Backend, "name" | "resident">, readonly Access[]> = {
  unary: [R, R, W],
  binary: [R, R, R, R, R, W],
  where: [R, R, R, R, R, R, W],
  gemm: [R, R, R, R, W],
  reduce: [R, R, R, R, W],
  sumSquares: [R, W],
  stridedCopy: [R, R, R, R, W],
  stridedAccumulate: [R, R, U],
  gather: [R, R, R, R, R, R, R, W],
  scatterAdd: [R, R, R, R, R, R, R, U],
  unfold: [R, R, R, R, R, W],
  fold: [R, R, R, R, R, U],
  gemmBiasAct: [R, R, R, W],
  adam: [R, R, R, W, W, W, R, R],
  normal: [R, R, R, R, W, R],
};

const recordingBackends = new WeakMap<KernelRecorder, { readonly of: Backend; readonly wrapped: Backend }>();

/** `b` with every kernel call also recorded by `r` (what ops see while `jit` records). */
function recording(r: KernelRecorder, b: Backend): Backend {
  const hit = recordingBackends.get(r);
  if (hit !== undefined && hit.of === b) return hit.wrapped;
  const wrapped: Record<string, unknown> = { name: b.name, resident: b.resident };
  for (const [k, access] of Object.entries(KERNEL_ACCESS)) {
    const fn = b[k as keyof typeof KERNEL_ACCESS] as ((...a: unknown[]) => void) | undefined;
    if (fn === undefined) continue;
    wrapped[k] = (...args: unknown[]): void => {
      r.record(k, fn as (...a: never[]) => void, args, access, true);
      fn(...args);
    };
  }
  recordingBackends.set(r, { of: b, wrapped: wrapped as unknown as Backend });
  return wrapped as unknown as Backend;
}

/** The backend ops currently dispatch to. */
export function getBackend(): Backend {
  const r = activeRecorder();
  return r === null ? current : recording(r, current);
}

/** Switch the backend (kernels only; results must match the TS reference). Returns the previous one. */
export function setBackend(backend: Backend): Backend {
  backendArg("setBackend", backend);
  const prev = current;
  chosen = true;
  current = backend;
  return prev;
}
