// float32: every op keeps the dtype (numbers adopt the tensor's dtype), and gradients of every
// order computed in float32 agree with the float64 ones to float32 precision.
import { describe, expect, it } from "vitest";
import * as ad from "../src/index.js";
import { type Tensor, astype, grad, hvp, sum, tensor } from "../src/index.js";
import "./matchers.js";

const x64 = tensor([[0.3, -1.2, 0.8], [1.5, 0.1, -0.6]]);
const y64 = tensor([[0.9, 0.4, -0.2], [-0.7, 1.1, 0.25]]);
const pos64 = tensor([[0.5, 1.2, 2.0], [0.8, 1.7, 0.3]]);
const i32 = tensor([2, 0], { dtype: "int32" });

// ops of one or two float tensors, each returning a tensor
const ops: Record<string, (a: Tensor, b: Tensor, p: Tensor) => Tensor> = {
  add: (a, b) => ad.add(a, b), sub: (a, b) => ad.sub(a, b), mul: (a, b) => ad.mul(a, b), div: (a, _b, p) => ad.div(a, p),
  pow: (_a, b, p) => ad.pow(p, b), square: (a) => ad.square(a), sqrt: (_a, _b, p) => ad.sqrt(p), exp: (a) => ad.exp(a),
  log: (_a, _b, p) => ad.log(p), log1p: (_a, _b, p) => ad.log1p(p), abs: (a) => ad.abs(a), sin: (a) => ad.sin(a), cos: (a) => ad.cos(a),
  tanh: (a) => ad.tanh(a), sigmoid: (a) => ad.sigmoid(a), relu: (a) => ad.relu(a), leakyRelu: (a) => ad.leakyRelu(a, 0.2),
  softplus: (a) => ad.softplus(a), elu: (a) => ad.elu(a), maximum: (a, b) => ad.maximum(a, b), minimum: (a, b) => ad.minimum(a, b),
  clip: (a) => ad.clip(a, -0.5, 0.5), where: (a, b) => ad.where(ad.gt(a, b), a, b), neg: (a) => ad.neg(a), reciprocal: (_a, _b, p) => ad.reciprocal(p),
  addNumber: (a) => ad.add(ad.mul(a, 0.1), 3),
  matmul: (a, b) => ad.matmul(a, b, { transB: true }), transpose: (a) => ad.transpose(a), reshape: (a) => ad.reshape(a, [3, 2]),
  broadcastTo: (a) => ad.broadcastTo(a, [2, 2, 3]), slice: (a) => ad.slice(a, [null, [1, 3]]), pad: (a) => ad.pad(a, [[1, 0], [0, 2]]),
  concat: (a, b) => ad.concat([a, b], 1), stack: (a, b) => ad.stack([a, b]), flip: (a) => ad.flip(a), roll: (a) => ad.roll(a, -1, 1),
  take: (a) => ad.take(a, i32, 1), takeAlongAxis: (a) => ad.takeAlongAxis(a, ad.reshape(i32, [2, 1]), 1),
  sum: (a) => ad.sum(a, { axis: 1 }), mean: (a) => ad.mean(a), max: (a) => ad.max(a, { axis: 0 }), min: (a) => ad.min(a, { axis: 1, keepdims: true }),
  var: (a) => ad.variance(a, { axis: 1 }), logsumexp: (a) => ad.logsumexp(a, { axis: 1 }), softmax: (a) => ad.softmax(a), logSoftmax: (a) => ad.logSoftmax(a, 0),
  crossEntropy: (a) => ad.crossEntropy(a, i32), crossEntropySoft: (a, b) => ad.crossEntropy(a, ad.softmax(b), { reduction: "sum" }),
  bce: (a, b) => ad.binaryCrossEntropyWithLogits(a, ad.sigmoid(b)), mse: (a, b) => ad.mse(a, b), sse: (a, b) => ad.sse(a, b),
  conv1d: (a, b) => ad.conv1d(ad.reshape(a, [1, 2, 3]), ad.reshape(b, [3, 2, 1]), { padding: 1, bias: ad.slice(ad.reshape(b, [6]), [[0, 3]]) }),
  maxPool1d: (a) => ad.maxPool1d(ad.reshape(a, [1, 2, 3]), { kernel: 2, stride: 1, padding: 1 }),
  avgPool1d: (a) => ad.avgPool1d(ad.reshape(a, [1, 2, 3]), { kernel: 2, stride: 1 }),
  unfold1d: (a) => ad.unfold1d(ad.reshape(a, [1, 2, 3]), 2, { padding: 1 }),
};

const f32 = (t: Tensor) => astype(t, "float32");

describe("float32", () => {
  for (const [name, op] of Object.entries(ops)) {
    it(`${name} keeps float32 and its first and second derivatives match float64 to float32 precision`, () => {
      const out32 = op(f32(x64), f32(y64), f32(pos64));
      expect(out32.dtype).toBe("float32");
      expect(out32).toBeAllclose(op(x64, y64, pos64), { rtol: 1e-5, atol: 1e-6 });
      // scalarise with fixed weights; differentiate w.r.t. all three inputs
      const L = (xs: Tensor[]) => {
        const y = op(xs[0]!, xs[1]!, xs[2]!);
        const w = ad.reshape(ad.cos(ad.arange(y.size, undefined, 1, { dtype: y.dtype })), y.shape);
        return ad.add(sum(ad.mul(w, y)), sum(ad.mul(ad.square(y), 0.25)));
      };
      const ins64 = [x64, y64, pos64], ins32 = ins64.map(f32);
      const g32 = grad(L)(ins32), g64 = grad(L)(ins64);
      g32.forEach((g, i) => {
        expect(g.dtype).toBe("float32");
        expect(g).toBeAllclose(g64[i]!, { rtol: 1e-4, atol: 1e-5 });
      });
      const v64 = ins64.map((t) => ad.sin(ad.add(t, 1)));
      const h32 = hvp(L, ins32, v64.map(f32)), h64 = hvp(L, ins64, v64);
      h32.forEach((h, i) => {
        expect(h.dtype).toBe("float32");
        expect(h).toBeAllclose(h64[i]!, { rtol: 1e-4, atol: 1e-4 });
      });
    });
  }

  it("numbers adopt the tensor's dtype: add(x32, 0.1) is float32 and rounds 0.1 to float32", () => {
    const r = ad.add(ad.zeros([1], { dtype: "float32" }), 0.1);
    expect(r.dtype).toBe("float32");
    expect(r.data[0]).toBe(Math.fround(0.1));
    expect(ad.eq(tensor([0.1], { dtype: "float32" }), 0.1).toFlatArray()).toEqual([1]);
  });

  it("random draws honour dtype", () => {
    const k = ad.prngKey(1);
    expect(ad.uniform(k, [3], { dtype: "float32" }).dtype).toBe("float32");
    expect(ad.normal(k, [3], { dtype: "float32" }).dtype).toBe("float32");
    expect(ad.bernoulli(k, 0.5, [3], { dtype: "float32" }).dtype).toBe("float32");
  });
});
