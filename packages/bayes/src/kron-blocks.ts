import { Tensor, matmul, noGrad, square } from "@regularize/core-autodiff";
import { symmetricEigen } from "./dense.js";
import { NotPositiveDefiniteError } from "./errors.js";

// A block-diagonal Kronecker-factored precision: one block A ⊗ G + δI per dense layer, over the layer's
// augmented weight matrix W̃ = [W; b] ((inputs + 1) × outputs, row-major). With A = Q_A Λ_A Q_Aᵀ and
// G = Q_G Λ_G Q_Gᵀ the block is (Q_A ⊗ Q_G)(Λ_A ⊗ Λ_G + δI)(Q_A ⊗ Q_G)ᵀ, so its log-determinant,
// samples and the linearised function covariance need only the two eigendecompositions.

/** One layer's factors and where its W̃ sits in θ. @internal */
export interface KronBlockInput {
  readonly A: Float64Array;
  readonly G: Float64Array;
  /** Rows of W̃: inputs (+ 1 with a bias). */
  readonly width: number;
  readonly outputs: number;
  /** Offset of w ([inputs, outputs] row-major) and of b ([outputs]) in θ; b absent without a bias. */
  readonly wOffset: number;
  readonly bOffset: number | undefined;
}

interface Block extends KronBlockInput {
  readonly QA: Float64Array;
  readonly lA: Float64Array;
  readonly QG: Float64Array;
  readonly lG: Float64Array;
  /** λ_a λ_g + δ at the current δ ([width, outputs]). */
  den: Float64Array;
}

/** Bytes a Kronecker factorisation of these (width, outputs) blocks needs (factors, eigenvectors, scratch). @internal */
export function kronBytes(shapes: readonly { width: number; outputs: number }[]): number {
  return shapes.reduce((s, b) => s + 3 * 8 * (b.width * b.width + b.outputs * b.outputs), 0);
}

/** The eigendecomposed Kronecker blocks of a Laplace posterior (temperature T). @internal */
export class KronPosterior {
  private readonly blocks: Block[];
  constructor(inputs: readonly KronBlockInput[], private readonly T: number) {
    this.blocks = inputs.map((b) => {
      const a = symmetricEigen(b.A, b.width), g = symmetricEigen(b.G, b.outputs);
      return { ...b, QA: a.vectors, lA: a.values, QG: g.vectors, lG: g.values, den: new Float64Array(b.width * b.outputs) };
    });
  }

  /** θ index of W̃[j, o]. */
  private static pos(b: KronBlockInput, j: number, o: number): number {
    return j < b.width - (b.bOffset === undefined ? 0 : 1) ? b.wOffset + j * b.outputs + o : b.bOffset! + o;
  }

  /** log|A ⊗ G + δI| summed over the blocks. */
  logdet(d: number): number {
    let s = 0;
    for (const b of this.blocks) for (const la of b.lA) for (const lg of b.lG) s += Math.log(la * lg + d);
    return s;
  }

  /** Fix δ: the eigenvalues λ_a λ_g + δ, each checked positive. */
  setPrior(fn: string, d: number): void {
    for (const b of this.blocks) {
      b.lA.forEach((la, a) => b.lG.forEach((lg, g) => {
        const p = la * lg + d;
        if (!(p > 0)) throw new NotPositiveDefiniteError(fn, "Kronecker GGN + prior precision", `has a non-positive eigenvalue ${p}`);
        b.den[a * b.outputs + g] = p;
      }));
    }
  }

  /** Σ^{1/2} z (θ order) for z ~ N(0, I): per block W̃ = Q_A (Z ⊘ √den) Q_Gᵀ · √T. */
  colour(z: ArrayLike<number>, dim: number): Float64Array {
    const out = new Float64Array(dim), sT = Math.sqrt(this.T);
    for (const b of this.blocks) {
      const { width: Wd, outputs: O } = b;
      const Z = new Float64Array(Wd * O);
      for (let a = 0; a < Wd; a++) for (let g = 0; g < O; g++) Z[a * O + g] = (z[KronPosterior.pos(b, a, g)]! * sT) / Math.sqrt(b.den[a * O + g]!);
      const M = noGrad(() => matmul(matmul(new Tensor(b.QA, [Wd, Wd], "float64"), new Tensor(Z, [Wd, O], "float64")), new Tensor(b.QG, [O, O], "float64"), { transB: true })).data;
      for (let j = 0; j < Wd; j++) for (let o = 0; o < O; o++) out[KronPosterior.pos(b, j, o)] = M[j * O + o]!;
    }
    return out;
  }

  /**
   * Add J Σ Jᵀ of block `l` for n examples to S (n × C × C): ã [n, width] the augmented layer inputs,
   * deltas[c] [n, outputs] = ∂f_c/∂z. With U = ã Q_A, V_c = δ_c Q_G and s = T·(U²)(1 ⊘ den):
   * S_i[c, c'] += Σ_g V_c[i, g] s[i, g] V_c'[i, g].
   */
  addFunctionCovariance(l: number, aTilde: Tensor, deltas: readonly Tensor[], S: Float64Array): void {
    const b = this.blocks[l]!, O = b.outputs, C = deltas.length, n = aTilde.shape[0]!;
    const inv = Float64Array.from(b.den, (v) => this.T / v);
    const s = noGrad(() => matmul(square(matmul(aTilde, new Tensor(b.QA, [b.width, b.width], "float64"))), new Tensor(inv, [b.width, O], "float64"))).data;
    const V = deltas.map((d) => noGrad(() => matmul(d, new Tensor(b.QG, [O, O], "float64"))).data);
    for (let i = 0; i < n; i++) for (let c = 0; c < C; c++) for (let c2 = 0; c2 <= c; c2++) {
      const vc = V[c]!, vc2 = V[c2]!;
      let t = 0;
      for (let g = 0; g < O; g++) t += vc[i * O + g]! * s[i * O + g]! * vc2[i * O + g]!;
      S[(i * C + c) * C + c2]! += t;
      if (c2 !== c) S[(i * C + c2) * C + c]! += t;
    }
  }

  /** The dense D×D covariance (small D only): zero between blocks. */
  covarianceMatrix(dim: number): Float64Array {
    const S = new Float64Array(dim * dim);
    for (const b of this.blocks) {
      const { width: Wd, outputs: O, QA, QG, den } = b;
      for (let j0 = 0; j0 < Wd; j0++) for (let o0 = 0; o0 < O; o0++) {
        const k = KronPosterior.pos(b, j0, o0);
        for (let j = 0; j < Wd; j++) for (let o = 0; o < O; o++) {
          let s = 0;
          for (let a = 0; a < Wd; a++) {
            const qa = QA[j * Wd + a]! * QA[j0 * Wd + a]!;
            for (let g = 0; g < O; g++) s += (qa * QG[o * O + g]! * QG[o0 * O + g]!) / den[a * O + g]!;
          }
          S[KronPosterior.pos(b, j, o) * dim + k] = this.T * s;
        }
      }
    }
    return S;
  }
}

/** ã = [a, 1] (with a bias) as a float64 tensor [n, width]. @internal */
export function augmented(a: Tensor, bias: boolean): Tensor {
  if (!bias) return a.dtype === "float64" ? a : new Tensor(Float64Array.from(a.data), [...a.shape], "float64");
  const n = a.shape[0]!, I = a.shape[1]!;
  const out = new Float64Array(n * (I + 1));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < I; j++) out[i * (I + 1) + j] = a.data[i * I + j]!;
    out[i * (I + 1) + I] = 1;
  }
  return new Tensor(out, [n, I + 1], "float64");
}
