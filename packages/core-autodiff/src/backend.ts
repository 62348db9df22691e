import { binaryKernel, unaryKernel, whereKernel } from "./kernels/elementwise.js";
import { foldKernel, gatherKernel, scatterAddKernel, stridedAccumulate, stridedCopy, unfoldKernel } from "./kernels/layout.js";
import { gemm } from "./kernels/matmul.js";
import { reduceKernel } from "./kernels/reduce.js";

/**
 * The kernels an op dispatches to. Ops do validation, broadcasting and gradient rules; a backend
 * only loops over typed arrays, so a faster backend (e.g. WebAssembly SIMD) replaces this object.
 */
export interface Backend {
  readonly name: string;
  readonly unary: typeof unaryKernel;
  readonly binary: typeof binaryKernel;
  readonly where: typeof whereKernel;
  readonly gemm: typeof gemm;
  readonly reduce: typeof reduceKernel;
  readonly stridedCopy: typeof stridedCopy;
  readonly stridedAccumulate: typeof stridedAccumulate;
  readonly gather: typeof gatherKernel;
  readonly scatterAdd: typeof scatterAddKernel;
  readonly unfold: typeof unfoldKernel;
  readonly fold: typeof foldKernel;
}

/** The pure-TypeScript reference backend. */
export const tsBackend: Backend = {
  name: "ts",
  unary: unaryKernel,
  binary: binaryKernel,
  where: whereKernel,
  gemm,
  reduce: reduceKernel,
  stridedCopy,
  stridedAccumulate,
  gather: gatherKernel,
  scatterAdd: scatterAddKernel,
  unfold: unfoldKernel,
  fold: foldKernel,
};

let current: Backend = tsBackend;

/** The backend ops currently dispatch to. */
export function getBackend(): Backend {
  return current;
}

/** Switch the backend (kernels only; results must match the TS reference). Returns the previous one. */
export function setBackend(backend: Backend): Backend {
  const prev = current;
  current = backend;
  return prev;
}
