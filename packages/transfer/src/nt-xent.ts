import {
  type PRNGKey, Tensor, add, concat, crossEntropy, div, eye, matmul, mul, split, sqrt, square, sum, transpose,
} from "@regularize/core-autodiff";
import type { Loss } from "@regularize/core-train";
import { type SignalView, augmentationView, isAugmentation } from "./augmentation-view.js";
import { TransferError, checkRange, check } from "./errors.js";
import { type Pretext, checkSignals } from "./pretext.js";
import { optionOr } from "@regularize/core-train";

export type { SignalView };

// A finite stand-in for −∞ on the diagonal (keeps every gradient finite); exp(−1e4) underflows to 0.
const SELF_MASK = 1e4;

/**
 * NT-Xent (SimCLR, Chen et al. 2020): embeddings z [2B, d] where rows i and i + B are two views of
 * example i; with u = z/‖z‖ and s_ij = u_i·u_j/τ, the loss is the mean over the 2B rows of
 * −log( exp(s_i,p(i)) / Σ_{k≠i} exp(s_ik) ), p(i) the other view of i.
 */
export function ntXent(z: Tensor, temperature = 0.5): Tensor {
  const fn = "ntXent";
  checkRange(fn, "temperature", temperature, 1e-6, 1e6);
  if (!(z instanceof Tensor) || z.ndim !== 2 || z.shape[0]! < 2 || z.shape[0]! % 2 !== 0) {
    throw new TransferError(fn, "z", `must be [2B, d] (two views of B examples), got ${z instanceof Tensor ? `[${z.shape.join(", ")}]` : typeof z}`);
  }
  const n = z.shape[0]!, B = n / 2;
  const norm = sqrt(add(sum(square(z), { axis: 1, keepdims: true }), 1e-12));
  const u = div(z, norm);
  const sim = div(matmul(u, transpose(u)), temperature);
  const logits = add(sim, mul(eye(n, n, { dtype: z.dtype }), -SELF_MASK));
  const pos = new Int32Array(n);
  for (let i = 0; i < n; i++) pos[i] = (i + B) % n;
  return crossEntropy(logits, new Tensor(pos, [n], "int32"), { reduction: "mean" });
}

/** Options of {@link contrastive}. */
export interface ContrastiveOptions {
  /**
   * Makes one random view of a batch: `augmentationView(a)` of a `@regularize/datasets`
   * augmentation or composition (e.g. `sequence([circularShift({ min: -4, max: 4 }), amplitudeScale(),
   * gaussianNoise()])`; an Augmentation passed directly is wrapped the same way), or any `(x, key) => x'`.
   */
  readonly view: SignalView;
  /** Embedding width of the projection head (default 32). */
  readonly outputs?: number;
  /** Temperature τ (default 0.5). */
  readonly temperature?: number;
  /** Signal length to check inputs against (optional). */
  readonly length?: number;
}

/**
 * Pretext: SimCLR. Each batch becomes its two views stacked ([2B, L]); the model (trunk +
 * projection head of `outputs` units) is trained with NT-Xent to match the views of the same signal.
 * @example const simclr = contrastive({ view: augmentationView(sequence([circularShift({ min: -4, max: 4 }), amplitudeScale(), gaussianNoise()])) })
 */
export function contrastive(options: ContrastiveOptions): Pretext {
  const fn = "contrastive";
  check.options(fn, options, { view: true, outputs: true, temperature: true, length: true }, { required: true });
  if (options.length !== undefined) check.integer(fn, "length", options.length, 1);
  if (typeof options.view !== "function") check.fail(fn, "view", `must be an Augmentation of @regularize/datasets or a function (x, key) => x'`);
  // an Augmentation passed as is (it is a function too) would be called with the wrong arguments: wrap it
  const view: SignalView = isAugmentation(options.view) ? augmentationView(options.view, fn) : options.view;
  const tau = check.number(fn, "temperature", optionOr(options.temperature, 0.5), { min: 1e-6, max: 1e6 });
  const outputs = check.integer(fn, "outputs", optionOr(options.outputs, 32), 1);
  const loss: Loss = (pred) => ntXent(pred, tau);
  return {
    name: "contrastive",
    outputs,
    make: (x: Tensor, key: PRNGKey) => {
      checkSignals(fn, "x", x, options.length);
      const [k1, k2] = split(key, 2) as [PRNGKey, PRNGKey];
      const a = view(x, k1), b = view(x, k2);
      if (!(a instanceof Tensor) || a.ndim !== 2 || a.shape[0] !== x.shape[0] || !(b instanceof Tensor) || b.shape[0] !== x.shape[0]) {
        throw new TransferError(fn, "view", `must return a Tensor [B, L'] with the batch's B rows`);
      }
      const n = 2 * x.shape[0]!;
      return { x: concat([a, b], 0), y: new Tensor(new Int32Array(n), [n], "int32") };
    },
    loss,
  };
}
