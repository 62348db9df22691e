// The backend contract on its own, so the backends (TS, WebAssembly) and the registry that picks
// one can import it without importing each other.
import type { DataArray } from "./dtype.js";
import type { binaryKernel, unaryKernel, whereKernel } from "./kernels/elementwise.js";
import type { foldKernel, gatherKernel, scatterAddKernel, stridedAccumulate, stridedCopy, unfoldKernel } from "./kernels/layout.js";
import type { gemm } from "./kernels/matmul.js";
import type { reduceKernel, sumSquaresKernel } from "./kernels/reduce.js";
import type { adamKernel } from "./kernels/adam.js";
import type { normalKernel } from "./kernels/normal.js";

/** The kernels every backend must provide (`gemmBiasAct`, `sumSquares`, `normal` and `resident` are optional). */
export const BACKEND_KERNELS = [
  "unary", "binary", "where", "gemm", "reduce", "stridedCopy", "stridedAccumulate", "gather", "scatterAdd", "unfold", "fold", "adam",
] as const;

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
  /** Σx² into out[0] (the sumSquares primitive); optional, must equal `sumSquaresKernel` bit for bit. */
  readonly sumSquares?: typeof sumSquaresKernel;
  readonly stridedCopy: typeof stridedCopy;
  readonly stridedAccumulate: typeof stridedAccumulate;
  readonly gather: typeof gatherKernel;
  readonly scatterAdd: typeof scatterAddKernel;
  readonly unfold: typeof unfoldKernel;
  readonly fold: typeof foldKernel;
  /** Adam's fused step for one leaf (`adamStep`); must equal the TS reference bit for bit. */
  readonly adam: typeof adamKernel;
  /**
   * Optional: standard normals (the ziggurat over Threefry words, random.ts's `normal` and
   * `addScaledNormal`) fused with their affine map; must equal `normalKernel` bit for bit.
   */
  readonly normal?: typeof normalKernel;
  /**
   * Optional fused dense layer: c[M,N] = act(a[M,K]·b[K,N] + bias) with act "none" or "relu"
   * (`linear`'s forward). Must equal gemm, then the bias add, then relu, bit for bit.
   */
  readonly gemmBiasAct?: (a: DataArray, b: DataArray, bias: DataArray | null, c: DataArray, M: number, N: number, K: number, relu: boolean) => void;
  /**
   * @internal Optional: a private copy of these kernels working in place on operands that live in
   * its own memory (`arenaBytes` of them), used by `jit` to replay without copies. Must decide
   * exactly as this backend does, so results stay bit-identical.
   */
  readonly resident?: (arenaBytes: number, gemms: readonly GemmShape[]) => ResidentKernels | null;
}

/**
 * Kernels of one private instance whose operands already live in its memory (`jit`'s resident
 * plans): no copies in or out. Its memory never grows, so views into it stay valid.
 */
export interface ResidentKernels {
  /** The backend whose kernels take views into `memory` (other arrays are refused). */
  readonly backend: Backend;
  readonly memory: WebAssembly.Memory;
  /** First byte of the operand arena (below it: the GEMM's packing scratch). */
  readonly arenaStart: number;
  /** One call of `backend[kernel]` on these (resident) arguments as a closure over precomputed addresses, or null. */
  readonly lower: (kernel: string, args: readonly unknown[]) => (() => void) | null;
}

/** A GEMM a resident plan will run (sizes its packing scratch). */
export interface GemmShape {
  readonly M: number;
  readonly N: number;
  readonly K: number;
  readonly f64: boolean;
}
