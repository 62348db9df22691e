// Fused ops for the training hot path: one kernel pass and one allocation where the composed
// version takes several. Each is a public op with its own gradient rule, and every rule is written
// in public ops (matmul, sum, mul, softmax...), so grad of grad stays exact.
import { getBackend } from "../backend.js";
import { alloc, type DataArray } from "../dtype.js";
import { ShapeError, ValueError, fmtShape } from "../errors.js";
import { normAxis } from "../shape.js";
import { Access, READ_WRITE, hostKernel } from "../kernel-trace.js";
import { record } from "../tape.js";
import { Tensor } from "../tensor.js";
import { mul, square, sub } from "./elementwise.js";
import { matmul } from "./linalg.js";
import { sum } from "./reduce.js";
import { reshape } from "./shape.js";
import { commonDType, requireFloat, requireInt } from "./util.js";

/** Activations `linear` can apply in its output pass. */
export type LinearActivation = "none" | "relu" | "tanh" | "sigmoid";

/** Options of linear. */
export interface LinearOptions {
  /** Applied elementwise to x·W + b in the same pass (default "none"). */
  readonly activation?: LinearActivation;
}

/**
 * A dense layer act(x·W + b) as one op: x [..., in], W [in, out], optional bias b [out].
 * One GEMM writes the output and one pass adds the bias and applies the activation in place, so
 * the forward pass allocates one buffer instead of three. The gradient rule is matmuls, a sum over
 * the batch for b and the activation's derivative from the output — all public ops.
 */
export function linear(x: Tensor, w: Tensor, b: Tensor | null = null, opts: LinearOptions = {}): Tensor {
  requireFloat("linear", x, w);
  const dtype = commonDType("linear", x, w);
  if (x.ndim < 1 || w.ndim !== 2) throw new ShapeError("linear", `expected x [..., in] and W [in, out], got ${fmtShape(x.shape)} and ${fmtShape(w.shape)}`);
  const [nIn, nOut] = w.shape as [number, number];
  if (x.shape[x.ndim - 1] !== nIn) throw new ShapeError("linear", `x ${fmtShape(x.shape)} has ${x.shape[x.ndim - 1]} features but W ${fmtShape(w.shape)} expects ${nIn}`);
  if (b !== null) {
    requireFloat("linear", b);
    commonDType("linear", x, b);
    if (b.ndim !== 1 || b.shape[0] !== nOut) throw new ShapeError("linear", `bias must be [${nOut}], got ${fmtShape(b.shape)}`);
  }
  const act = opts.activation ?? "none";
  if (act !== "none" && act !== "relu" && act !== "tanh" && act !== "sigmoid") throw new ValueError("linear", `unknown activation ${String(act)}`);
  if (x.ndim !== 2) {
    const lead = x.shape.slice(0, -1);
    const y = linear(reshape(x, [-1, nIn]), w, b, opts);
    return reshape(y, [...lead, nOut]);
  }
  const rows = x.shape[0]!;
  const out = alloc(dtype, rows * nOut);
  const be = getBackend();
  if (be.gemmBiasAct !== undefined && (act === "none" || act === "relu")) {
    be.gemmBiasAct(x.data, w.data, b === null ? null : b.data, out, rows, nOut, nIn, act === "relu");
  } else {
    be.gemm(x.data, 0, w.data, 0, out, 0, rows, nOut, nIn, false, false);
    if (b === null) hostKernel("linear", (o: DataArray) => epilogue(o, rows, nOut, null, act), [out], [Access.Update]);
    else hostKernel("linear", (o: DataArray, bd: DataArray) => epilogue(o, rows, nOut, bd, act), [out, b.data], [Access.Update]);
  }
  const y = new Tensor(out, [rows, nOut], dtype);
  const inputs = b === null ? [x, w] : [x, w, b];
  return record(y, "linear", inputs, (g, needs) => {
    const dz = act === "relu" ? mul(g, stepOf(y)) : act === "tanh" ? mul(g, sub(1, square(y))) : act === "sigmoid" ? mul(g, mul(y, sub(1, y))) : g;
    return [
      needs[0] ? matmul(dz, w, { transB: true }) : null,
      needs[1] ? matmul(x, dz, { transA: true }) : null,
      needs[2] ? sum(dz, { axis: 0 }) : null,
    ];
  });
}

/** 1 where y > 0 else 0, as a constant (relu's derivative, not differentiated further, as relu's own rule). */
function stepOf(y: Tensor): Tensor {
  const m = alloc(y.dtype, y.size);
  getBackend().unary("step", y.data, m);
  return new Tensor(m, y.shape, y.dtype);
}

function epilogue(out: Float64Array | Float32Array | Int32Array, rows: number, n: number, b: Float64Array | Float32Array | Int32Array | null, act: LinearActivation): void {
  // the bias add rounds to the output dtype before the activation, exactly as add() then relu() would
  if (b !== null) for (let r = 0, o = 0; r < rows; r++, o += n) for (let j = 0; j < n; j++) out[o + j] = out[o + j]! + b[j]!;
  const m = rows * n;
  if (act === "relu") for (let i = 0; i < m; i++) { const v = out[i]!; out[i] = v > 0 ? v : 0; }
  else if (act === "tanh") for (let i = 0; i < m; i++) out[i] = Math.tanh(out[i]!);
  else if (act === "sigmoid") {
    for (let i = 0; i < m; i++) {
      const v = out[i]!;
      if (v >= 0) out[i] = 1 / (1 + Math.exp(-v));
      else { const e = Math.exp(v); out[i] = e / (1 + e); }
    }
  }
}

/** The loop of `softmaxFused` (module level: one optimised copy, whatever closure calls it). */
function softmaxRows(xd: DataArray, out: DataArray, outer: number, inner: number, n: number, f32: boolean): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let m = -Infinity;
      for (let j = 0; j < n; j++) { const v = xd[base + j * inner]!; if (v > m || v !== v) m = v; }
      let s = 0;
      // the reduce kernel sums a last axis in a double and rounds once, any other axis in the output array
      const roundEach = f32 && inner > 1;
      for (let j = 0; j < n; j++) {
        const k = base + j * inner;
        out[k] = Math.exp(f32 ? Math.fround(xd[k]! - m) : xd[k]! - m);
        s = roundEach ? Math.fround(s + out[k]!) : s + out[k]!;
      }
      if (f32) s = Math.fround(s);
      for (let j = 0; j < n; j++) { const k = base + j * inner; out[k] = out[k]! / s; }
    }
  }
}

/**
 * Softmax along `axis` in one pass per row (max, exp, sum, divide), rounding intermediates to the
 * dtype exactly where the composed exp/sum/div ops would, so results match them bit for bit.
 * Gradient: s ⊙ (g − Σ g ⊙ s), in public ops.
 */
export function softmaxFused(x: Tensor, axis = -1): Tensor {
  requireFloat("softmax", x);
  const ax = normAxis("softmax", axis, x.ndim);
  const n = x.shape[ax]!;
  const inner = x.shape.slice(ax + 1).reduce((p, d) => p * d, 1);
  const outer = x.shape.slice(0, ax).reduce((p, d) => p * d, 1);
  const out = alloc(x.dtype, x.size);
  const f32 = x.dtype === "float32";
  hostKernel("softmax", (xd: DataArray, o: DataArray) => softmaxRows(xd, o, outer, inner, n, f32), [x.data, out], READ_WRITE);
  const y = new Tensor(out, x.shape, x.dtype);
  return record(y, "softmax", [x], (g) => [mul(y, sub(g, sum(mul(g, y), { axis: ax, keepdims: true })))]);
}

/** The loop of `crossEntropyPerExample`: −log softmax(z)[y] per row, labels checked. */
function crossEntropyRows(z: DataArray, yd: DataArray, out: DataArray, N: number, C: number, f32: boolean): void {
  const r = f32 ? Math.fround : (v: number) => v;
  for (let i = 0; i < N; i++) { const v = yd[i]!; if (v < 0 || v >= C) throw new ValueError("crossEntropy", `label ${v} is outside [0, ${C - 1}]`); }
  for (let i = 0; i < N; i++) {
    const o = i * C;
    let m = -Infinity;
    for (let j = 0; j < C; j++) { const v = z[o + j]!; if (v > m || v !== v) m = v; }
    if (!Number.isFinite(m)) m = 0;
    let s = 0;
    for (let j = 0; j < C; j++) s += r(Math.exp(r(z[o + j]! - m)));
    const lse = r(r(Math.log(r(s))) + m);
    out[i] = -r(z[o + yd[i]!]! - lse);
  }
}

/**
 * Per-example softmax cross-entropy of logits [N, C] against int32 labels [N] in one pass per row:
 * −log softmax(z)[y] = logsumexp(z) − z_y. Gradient: g ⊙ (softmax(z) − onehot(y)), in public ops
 * (softmax is differentiable again, so the modified loss L + α/4‖∇L‖² stays exact).
 */
export function crossEntropyPerExample(logits: Tensor, labels: Tensor): Tensor {
  requireFloat("crossEntropy", logits);
  requireInt("crossEntropy", "labels", labels);
  if (logits.ndim !== 2) throw new ShapeError("crossEntropy", `logits must be [N, C], got ${fmtShape(logits.shape)}`);
  const [N, C] = logits.shape as [number, number];
  if (labels.ndim !== 1 || labels.shape[0] !== N) throw new ShapeError("crossEntropy", `labels must be [${N}] to match logits ${fmtShape(logits.shape)}, got ${fmtShape(labels.shape)}`);
  const f32 = logits.dtype === "float32";
  const out = alloc(logits.dtype, N);
  hostKernel("crossEntropy", (z: DataArray, yd: DataArray, o: DataArray) => crossEntropyRows(z, yd, o, N, C, f32), [logits.data, labels.data, out], [Access.Read, Access.Read, Access.Write]);
  const loss = new Tensor(out, [N], logits.dtype);
  return record(loss, "crossEntropy", [logits], (g) => {
    const onehot = alloc(logits.dtype, N * C);
    hostKernel("crossEntropy", (yd: DataArray, oh: DataArray) => {
      oh.fill(0);
      for (let i = 0; i < N; i++) oh[i * C + yd[i]!] = 1;
    }, [labels.data, onehot], READ_WRITE);
    const p = softmaxFused(logits, 1);
    return [mul(reshape(g, [N, 1]), sub(p, new Tensor(onehot, [N, C], logits.dtype)))];
  });
}
