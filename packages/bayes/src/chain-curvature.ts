import { softmaxRows } from "@regularize/core-train";
import { type DataArray, Tensor, add, jit, matmul, noGrad, pureCallback, square, sum } from "@regularize/core-autodiff";
import { type ChainPass, type DenseChain, rows } from "./dense-chain.js";

// The GGN JᵀΛJ of a dense chain from batched backward passes. Λ_i = Σ_c s_ic s_icᵀ (Gaussian:
// s_c = e_c/σ; categorical: s_c = √p_c (e_c − p), since Σ_c p_c (e_c − p)(e_c − p)ᵀ = diag(p) − ppᵀ),
// so JᵀΛJ = Σ_c (Jᵀs_c)(Jᵀs_c)ᵀ and Jᵀs_c is one backward pass with cotangent s_c for all examples.

/** Column c of Λ^{1/2} for every example of a chunk, written to o [n, C]. */
function sqrtColumn(o: DataArray, out: DataArray, c: number, C: number, lik: "gaussian" | "categorical", s2: number): void {
  const n = out.length / C;
  o.fill(0);
  if (lik === "gaussian") { for (let i = 0; i < n; i++) o[i * C + c] = 1 / Math.sqrt(s2); return; }
  const p = softmaxRows(out, n, C);
  for (let i = 0; i < n; i++) {
    const r = Math.sqrt(p[i * C + c]!);
    for (let k = 0; k < C; k++) o[i * C + k] = r * ((k === c ? 1 : 0) - p[i * C + k]!);
  }
}

/** Σᵢ log p(yᵢ | fᵢ) over rows of outputs f [n, C] (Gaussian targets [n, C] or int32 labels [n]). @internal */
export function chunkLogLik(out: ArrayLike<number>, y: ArrayLike<number>, C: number, lik: "gaussian" | "categorical", s2: number): number {
  const n = out.length / C;
  let logp = 0;
  if (lik === "gaussian") {
    for (let k = 0; k < n * C; k++) logp += -0.5 * Math.log(2 * Math.PI * s2) - (y[k]! - out[k]!) ** 2 / (2 * s2);
    return logp;
  }
  const p = softmaxRows(out, n, C);
  for (let i = 0; i < n; i++) logp += Math.log(Math.max(p[i * C + y[i]!]!, 1e-300));
  return logp;
}

/**
 * One forward pass of a chunk, the C columns s_c of Λ^{1/2} and, for each, the backward pass giving
 * δ_l,c = ∂(s_c · f)/∂z_l; `use(l, c, δ)` consumes them as tensor ops (so the chunk is recordable by jit).
 */
function sqrtPasses(chain: DenseChain, x: Tensor, y: Tensor, lik: "gaussian" | "categorical", s2: number, use: (pass: ChainPass, l: number, delta: Tensor) => void): { pass: ChainPass; logp: Tensor } {
  const C = chain.outputs, n = x.shape[0]!;
  const pass = chain.pass(x);
  const out = new Tensor(pass.out, [n, C], "float64");
  const logp = pureCallback((o, f, yy) => { o[0] = chunkLogLik(f, yy, C, lik, s2); }, [out, y], [], "float64");
  for (let c = 0; c < C; c++) {
    const s = pureCallback((o, f) => sqrtColumn(o, f, c, C, lik, s2), [out], [n, C], "float64");
    pass.backward(s).forEach((d, l) => use(pass, l, d));
  }
  return { pass, logp };
}

// chunks of equal size replay one jit recording (no per-op allocation, validation or copies)
const CHUNK = 500;
function forChunks(N: number, body: (from: number, to: number) => void): void {
  for (let from = 0; from < N; from += CHUNK) body(from, Math.min(N, from + CHUNK));
}

/**
 * diag(Σᵢ JᵢᵀΛᵢJᵢ) over θ (tree-leaf order) and Σᵢ log p(yᵢ | xᵢ): per layer (a²)ᵀ(Σ_c δ_c²) and Σᵢ Σ_c δ_c²,
 * C backward passes per chunk of examples. @internal
 */
export function chainDiagonalGgn(chain: DenseChain, x: Tensor, y: Tensor, lik: "gaussian" | "categorical", s2: number, dim: number): { G: Float64Array; logLik: number } {
  const G = new Float64Array(dim);
  let logLik = 0;
  const chunk = jit((xs: Tensor, ys: Tensor) => {
    const acc: Tensor[] = [];
    const { pass, logp } = sqrtPasses(chain, xs, ys, lik, s2, (_p, l, d) => { acc[l] = acc[l] ? add(acc[l]!, square(d)) : square(d); });
    return { logp, w: acc.map((s, l) => matmul(square(pass.inputs[l]!), s, { transA: true })), b: acc.map((s) => sum(s, { axis: 0 })) };
  }, { verify: 0 });
  forChunks(x.shape[0]!, (from, to) => {
    const r = chunk(rows(x, from, to), rows(y, from, to));
    logLik += r.logp.data[0]!;
    chain.layers.forEach((layer, l) => {
      const w = r.w[l]!.data, b = r.b[l]!.data;
      for (let k = 0; k < w.length; k++) G[layer.wOffset + k]! += w[k]!;
      if (layer.bOffset !== undefined) for (let k = 0; k < b.length; k++) G[layer.bOffset + k]! += b[k]!;
    });
  });
  return { G, logLik };
}

/** Kronecker factors of one layer's GGN block ≈ A ⊗ G, A = Σᵢ ãᵢãᵢᵀ (ã = [a; 1] with a bias), G = (1/N) Σᵢ Σ_c δδᵀ. @internal */
export interface KronFactors {
  readonly A: Float64Array;
  readonly G: Float64Array;
  /** Rows of A: inputs (+ 1 with a bias). */
  readonly width: number;
  readonly outputs: number;
}

/** Per-layer Kronecker factors (KFAC, Martens & Grosse 2015; Ritter et al. 2018) and Σᵢ log p(yᵢ | xᵢ). @internal */
export function chainKronFactors(chain: DenseChain, x: Tensor, y: Tensor, lik: "gaussian" | "categorical", s2: number): { factors: KronFactors[]; logLik: number } {
  const N = x.shape[0]!;
  const factors = chain.layers.map((l) => {
    const width = l.inputs + (l.b ? 1 : 0);
    return { A: new Float64Array(width * width), G: new Float64Array(l.outputs * l.outputs), width, outputs: l.outputs };
  });
  let logLik = 0;
  const chunk = jit((xs: Tensor, ys: Tensor) => {
    const gg: Tensor[] = [];
    const { pass, logp } = sqrtPasses(chain, xs, ys, lik, s2, (_p, l, d) => { const t = matmul(d, d, { transA: true }); gg[l] = gg[l] ? add(gg[l]!, t) : t; });
    return { logp, g: gg, aa: pass.inputs.map((a) => matmul(a, a, { transA: true })), as: pass.inputs.map((a) => sum(a, { axis: 0 })) };
  }, { verify: 0 });
  forChunks(N, (from, to) => {
    const r = chunk(rows(x, from, to), rows(y, from, to));
    logLik += r.logp.data[0]!;
    chain.layers.forEach((layer, l) => {
      const f = factors[l]!, I = layer.inputs, W = f.width, aa = r.aa[l]!.data, as = r.as[l]!.data, g = r.g[l]!.data;
      for (let p = 0; p < I; p++) for (let q = 0; q < I; q++) f.A[p * W + q]! += aa[p * I + q]!;
      if (layer.b) {
        // the bias row/column of ã ãᵀ: Σᵢ aᵢ and the count
        for (let p = 0; p < I; p++) { f.A[p * W + I]! += as[p]!; f.A[I * W + p]! += as[p]!; }
        f.A[I * W + I]! += to - from;
      }
      for (let k = 0; k < g.length; k++) f.G[k]! += g[k]! / N;
    });
  });
  return { factors, logLik };
}

/** Per-example Jacobian signals δ_l,c = ∂f_c/∂z_l for c = 1…C (unit cotangents), with the layer inputs. @internal */
export function chainJacobians(chain: DenseChain, x: Tensor): { out: Float64Array; inputs: readonly Tensor[]; deltas: Tensor[][] } {
  const C = chain.outputs, n = x.shape[0]!;
  const pass = chain.pass(x);
  const deltas = Array.from({ length: C }, (_, c) => {
    const e = new Float64Array(n * C);
    for (let i = 0; i < n; i++) e[i * C + c] = 1;
    return pass.backward(new Tensor(e, [n, C], "float64"));
  });
  return { out: pass.out, inputs: pass.inputs, deltas };
}

/** (a²) v: Σ_j a_ij² v_jo for every example ([n, out]); v [in, out] per-weight variances. @internal */
export function squaredInputsTimes(a: Tensor, v: Float64Array, outputs: number): Float64Array {
  return noGrad(() => matmul(square(a), new Tensor(v, [a.shape[1]!, outputs], "float64")).data as Float64Array);
}
