/**
 * Deterministic synthetic problems shared by every implementation (engine, hand-written, PyTorch):
 * x ~ N(0, 1) of shape [B, in], labels 0..C−1 from a fixed random linear "teacher" (argmax of x·T,
 * so SGD actually learns something), and PyTorch-style initial weights
 * W ~ U(−1/√fan_in, 1/√fan_in), b likewise. Weights are stored [in, out] (y = x·W + b).
 */

/** A seeded 32-bit PRNG (sfc32) with 53-bit uniform doubles and Box–Muller normals. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.u32();
  }

  /** Next uint32. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    return ((this.u32() >>> 5) * 67108864 + (this.u32() >>> 6)) / 9007199254740992;
  }

  /** Standard normal (Box–Muller, both values used). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }
}

/** One benchmarked network + batch size. */
export interface MlpSpec {
  /** Short id (b100, b10, wide). */
  readonly id: string;
  /** Layer widths, input first: [40, 100, 100, 10]. */
  readonly sizes: readonly number[];
  readonly batch: number;
  readonly lr: number;
  /** Distinct mini-batches; step t uses batch t mod nBatches. */
  readonly nBatches: number;
  readonly seed: number;
}

/** Data and initial weights of one spec. */
export interface Problem {
  readonly spec: MlpSpec;
  /** xs[i]: batch i, row-major [batch, sizes[0]]. */
  readonly xs: readonly Float64Array[];
  /** ys[i]: labels of batch i. */
  readonly ys: readonly Int32Array[];
  /** Initial weights, layer by layer: [W1 (in×out), b1, W2, b2, ...]. */
  readonly init: readonly Float64Array[];
}

/** Build the deterministic problem of a spec. */
export function makeProblem(spec: MlpSpec): Problem {
  const rng = new Rng(spec.seed);
  const sizes = spec.sizes;
  const nIn = sizes[0]!, nOut = sizes[sizes.length - 1]!;
  const init: Float64Array[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fi = sizes[l]!, fo = sizes[l + 1]!;
    const bound = 1 / Math.sqrt(fi);
    const W = new Float64Array(fi * fo);
    for (let i = 0; i < W.length; i++) W[i] = (2 * rng.uniform() - 1) * bound;
    const b = new Float64Array(fo);
    for (let i = 0; i < fo; i++) b[i] = (2 * rng.uniform() - 1) * bound;
    init.push(W, b);
  }
  const teacher = new Float64Array(nIn * nOut);
  for (let i = 0; i < teacher.length; i++) teacher[i] = rng.normal();
  const xs: Float64Array[] = [], ys: Int32Array[] = [];
  for (let k = 0; k < spec.nBatches; k++) {
    const x = new Float64Array(spec.batch * nIn);
    for (let i = 0; i < x.length; i++) x[i] = rng.normal();
    const y = new Int32Array(spec.batch);
    for (let r = 0; r < spec.batch; r++) {
      let best = 0, bv = -Infinity;
      for (let c = 0; c < nOut; c++) {
        let s = 0;
        for (let i = 0; i < nIn; i++) s += x[r * nIn + i]! * teacher[i * nOut + c]!;
        if (s > bv) { bv = s; best = c; }
      }
      y[r] = best;
    }
    xs.push(x);
    ys.push(y);
  }
  return { spec, xs, ys, init };
}

/** FLOPs of one training step, counted as the issue asks: 3 GEMMs (forward, dX, dW) of 2·M·N·K per layer. */
export function stepFlops(spec: MlpSpec): number {
  let f = 0;
  for (let l = 0; l + 1 < spec.sizes.length; l++) f += 3 * 2 * spec.batch * spec.sizes[l]! * spec.sizes[l + 1]!;
  return f;
}
