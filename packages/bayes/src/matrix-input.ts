import { Tensor } from "@regularize/core-autodiff";
import { BayesArgumentError } from "./errors.js";

/** A design matrix: a tensor [N, D] or rows of numbers. */
export type MatrixInput = Tensor | readonly (readonly number[])[];
/** A target vector: a tensor [N] or [N, 1], or numbers. */
export type VectorInput = Tensor | readonly number[] | Float64Array;

/** Row-major float64 copy of a matrix input, checked finite and rectangular. @internal */
export function toMatrix(fn: string, argument: string, m: MatrixInput): { data: Float64Array; rows: number; cols: number } {
  if (m instanceof Tensor) {
    if (m.ndim !== 2) throw new BayesArgumentError(fn, argument, `must be a matrix [N, D], got shape [${m.shape.join(", ")}]`);
    const data = Float64Array.from(m.data as ArrayLike<number>);
    checkFinite(fn, argument, data);
    return { data, rows: m.shape[0]!, cols: m.shape[1]! };
  }
  if (!Array.isArray(m) || m.length === 0) throw new BayesArgumentError(fn, argument, `must be a non-empty matrix (tensor [N, D] or number[][])`);
  const cols = (m[0] as readonly number[] | undefined)?.length ?? 0;
  if (cols === 0) throw new BayesArgumentError(fn, argument, `rows must be non-empty arrays of numbers`);
  const data = new Float64Array(m.length * cols);
  m.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== cols) throw new BayesArgumentError(fn, argument, `row ${i} has ${Array.isArray(row) ? row.length : "no"} entries, row 0 has ${cols}`);
    for (let j = 0; j < cols; j++) data[i * cols + j] = row[j] as number;
  });
  checkFinite(fn, argument, data);
  return { data, rows: m.length, cols };
}

/** Float64 copy of a vector input ([N] or [N, 1]), checked finite. @internal */
export function toVector(fn: string, argument: string, v: VectorInput): Float64Array {
  let data: Float64Array;
  if (v instanceof Tensor) {
    if (!(v.ndim === 1 || (v.ndim === 2 && v.shape[1] === 1))) throw new BayesArgumentError(fn, argument, `must be a vector [N] or [N, 1], got shape [${v.shape.join(", ")}]`);
    data = Float64Array.from(v.data as ArrayLike<number>);
  } else if (Array.isArray(v) || v instanceof Float64Array) data = Float64Array.from(v as ArrayLike<number>);
  else throw new BayesArgumentError(fn, argument, `must be a tensor or an array of numbers`);
  checkFinite(fn, argument, data);
  return data;
}

function checkFinite(fn: string, argument: string, d: Float64Array): void {
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i]!)) throw new BayesArgumentError(fn, argument, `holds a non-finite value ${d[i]} at flat index ${i}`);
  }
}
