import { type Model, type Site, resolveActivation } from "@regularize/core-train";
import {
  Tensor, type Tree, add, linear as dense, noGrad, slice, treeFlatten, vjp, zeros,
} from "@regularize/core-autodiff";

// A model that is a chain of dense layers z_l = a_l W_l + b_l, a_{l+1} = act(z_l) (+ a_l when residual)
// — core-train's mlp — lets the curvature be computed for a whole batch at once: the per-example
// gradient of a dense layer is the outer product a_i ⊗ δ_i (δ = ∂ℓ/∂z), so Σ_i diag(g_i g_iᵀ) is
// (a²)ᵀ(δ²) and one backward pass per column of the loss Hessian's square root gives every δ of every
// example (BackPACK's DiagGGN, Dangel et al. 2020). The chain is read off the model's parameters and
// name and verified against `model.apply` on the data, so any other model falls back to the exact
// per-example path.

/** One dense layer of a {@link DenseChain}: float64 copies of its weights and where its leaves sit in θ. */
export interface DenseLayer {
  readonly w: Tensor;
  readonly b: Tensor | undefined;
  readonly inputs: number;
  readonly outputs: number;
  /** Offsets of w (row-major [in, out]) and b in the flat tree-leaf vector θ. */
  readonly wOffset: number;
  readonly bOffset: number | undefined;
}

/** Per-layer inputs a_l and output gradients δ_l of a batch. */
export interface ChainPass {
  /** The model outputs f [n, C] (float64). */
  readonly out: Float64Array;
  /** Layer inputs a_l [n, in_l]. */
  readonly inputs: readonly Tensor[];
  /** δ for a cotangent u [n, C]: ∂(Σ_i u_i · f_i)/∂z_l for every layer l, each [n, out_l]. */
  backward(cotangent: Tensor): Tensor[];
}

/** A model recognised as a chain of dense layers. @internal */
export interface DenseChain {
  readonly layers: readonly DenseLayer[];
  /** Number of outputs C. */
  readonly outputs: number;
  /** Forward pass over a batch x keeping the tape for {@link ChainPass.backward}. */
  pass(x: Tensor): ChainPass;
}

const f64 = (t: Tensor): Tensor => (t.dtype === "float64" ? t : new Tensor(Float64Array.from(t.data), [...t.shape], "float64"));

/** mlp(40-100-100-10, relu, residual, no bias) → its activation and residual flag, or undefined. */
function parseMlpName(name: string): { activation: string; residual: boolean } | undefined {
  const m = /^mlp\(([\d-]+), ([A-Za-z]+)((?:, [a-z ]+)*)\)$/.exec(name);
  if (!m) return undefined;
  const flags = m[3]!.split(", ").filter((s) => s !== "");
  if (flags.some((f) => f !== "residual" && f !== "no bias")) return undefined;
  return { activation: m[2]!, residual: flags.includes("residual") };
}

/**
 * The dense chain of `model` at `params`, or undefined when the model is not (verifiably) one:
 * params `{ layers: [{ w, b? }] }` covering every leaf, a core-train mlp name giving the activation
 * and residual layers, and a reconstruction equal to `model.apply` and its sites on `probe`. @internal
 */
export function denseChain<P extends Tree>(model: Model<P>, params: P, probe: Tensor): DenseChain | undefined {
  const spec = parseMlpName(model.name);
  const raw = (params as { layers?: unknown }).layers;
  if (!spec || !Array.isArray(raw) || raw.length === 0) return undefined;
  let act: (t: Tensor) => Tensor;
  try { act = resolveActivation(spec.activation as never, "laplace.model"); } catch { return undefined; }
  const [leaves] = treeFlatten(params);
  const offsets = new Map<Tensor, number>();
  let o = 0;
  for (const l of leaves) { offsets.set(l, o); o += l.size; }
  const layers: DenseLayer[] = [];
  let covered = 0;
  for (const l of raw as unknown[]) {
    const { w, b, ...rest } = (l ?? {}) as { w?: unknown; b?: unknown };
    if (!(w instanceof Tensor) || w.ndim !== 2 || Object.keys(rest).length > 0) return undefined;
    if (b !== undefined && (!(b instanceof Tensor) || b.ndim !== 1 || b.shape[0] !== w.shape[1])) return undefined;
    const wOffset = offsets.get(w), bOffset = b === undefined ? undefined : offsets.get(b);
    if (wOffset === undefined || (b !== undefined && bOffset === undefined)) return undefined;
    covered += w.size + (b?.size ?? 0);
    layers.push({ w: f64(w), b: b === undefined ? undefined : f64(b), inputs: w.shape[0]!, outputs: w.shape[1]!, wOffset, bOffset });
  }
  if (covered !== o) return undefined;
  for (let l = 1; l < layers.length; l++) if (layers[l]!.inputs !== layers[l - 1]!.outputs) return undefined;
  const L = layers.length;
  const skip = layers.map((l, i) => spec.residual && i < L - 1 && l.inputs === l.outputs);

  const forward = (x: Tensor, eps: readonly Tensor[] | undefined, inputs: Tensor[]): Tensor => {
    let h = x;
    for (let l = 0; l < L; l++) {
      const { w, b } = layers[l]!;
      inputs.push(h);
      let z = dense(h, w, b ?? null);
      if (eps) z = add(z, eps[l]!);
      if (l === L - 1) return z;
      const a = act(z);
      h = skip[l] ? add(h, a) : a;
    }
    throw new Error("unreachable");
  };

  // verify on the probe: outputs and every site value (the layer inputs) agree with the model
  const sites: Tensor[] = [];
  const want = noGrad(() => model.apply(params, probe, { mode: "eval", site: (_s: Site, t: Tensor) => { sites.push(t); return t; } }));
  const got: Tensor[] = [];
  const out = noGrad(() => forward(f64(probe), undefined, got));
  if (sites.length !== L || want.ndim !== 2 || want.shape[1] !== layers[L - 1]!.outputs) return undefined;
  const tol = probe.dtype === "float32" || leaves.some((l) => l.dtype === "float32") ? 1e-4 : 1e-10;
  const close = (a: Tensor, b: Tensor) => {
    if (a.size !== b.size) return false;
    for (let k = 0; k < a.size; k++) if (!(Math.abs(a.data[k]! - b.data[k]!) <= tol * (1 + Math.abs(b.data[k]!)))) return false;
    return true;
  };
  if (!close(out, want) || sites.some((s, l) => !close(got[l]!, s))) return undefined;

  return {
    layers, outputs: layers[L - 1]!.outputs,
    pass(x) {
      const inputs: Tensor[] = [];
      const n = x.shape[0]!;
      const eps = layers.map((l) => zeros([n, l.outputs], { dtype: "float64" }));
      const xf = f64(x);
      const [z, back] = vjp((e: Tensor[]) => { inputs.length = 0; return forward(xf, e, inputs); }, eps);
      return { out: z.data as Float64Array, inputs: inputs.map((t) => noGrad(() => new Tensor(t.data, [...t.shape], "float64"))), backward: (u) => back(u) };
    },
  };
}

/** Rows [from, to) of x. @internal */
export function rows(x: Tensor, from: number, to: number): Tensor {
  return from === 0 && to === x.shape[0] ? x : slice(x, [[from, to]]);
}
