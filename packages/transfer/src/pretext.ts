import { type PRNGKey, Tensor } from "@regularize/core-autodiff";
import type { Loss, Plugin } from "@regularize/core-train";
import { TransferError, check } from "./errors.js";

/**
 * A self-supervised pretext task on unlabelled signals (figure 9.12c): `make` turns a batch of
 * signals x [B, L] into a training batch (inputs and targets made from x alone), `loss` scores the
 * model's output on it, and `outputs` is the width the model's head needs.
 */
export interface Pretext {
  readonly name: string;
  /** Output width of the pretext head (for contrastive tasks: the embedding width you choose). */
  readonly outputs: number;
  /** Inputs and targets from signals, deterministic in `key`. */
  make(x: Tensor, key: PRNGKey): { readonly x: Tensor; readonly y: Tensor };
  readonly loss: Loss;
}

/** Check a signal batch: a float tensor [B, length] of finite values. */
export function checkSignals(fn: string, argument: string, x: unknown, length?: number): Tensor {
  if (!(x instanceof Tensor)) throw new TransferError(fn, argument, `must be a Tensor [B, L] of signals, got ${typeof x}`);
  if (x.ndim !== 2) throw new TransferError(fn, argument, `must have rank 2 [B, L], got shape [${x.shape.join(", ")}]`);
  if (x.dtype === "int32") throw new TransferError(fn, argument, `must be a float tensor, got int32`);
  if (length !== undefined && x.shape[1] !== length) throw new TransferError(fn, argument, `must have length ${length}, got [${x.shape.join(", ")}]`);
  const d = x.data;
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i]!)) throw new TransferError(fn, argument, `holds a non-finite value (${d[i]}) at flat index ${i}`);
  return x;
}

/**
 * Train on a pretext task: each batch's signals are replaced by `pretext.make(x, key)` with this
 * plugin's per-step key (the labels of the dataset, if any, are ignored). Use `pretext.loss` as fit's loss.
 * @example fit({ model: withHead(trunk, linear({ inputs: 100, outputs: 40 })), data: unlabelled, loss: shift.loss, plugins: [pretextTask(shift)], … })
 */
export function pretextTask(pretext: Pretext, options: { readonly name?: string } = {}): Plugin {
  if (!pretext || typeof pretext.make !== "function" || typeof pretext.loss !== "function") throw new TransferError("pretextTask", "pretext", `must be a Pretext { name, outputs, make, loss }`);
  const name = check.plugin(`pretext:${pretext.name}`, options, { name: true }, { required: false });
  return {
    name,
    beforeBatch: (batch, ctx) => {
      const b = pretext.make(batch.x, ctx.key);
      return { x: b.x, y: b.y };
    },
  };
}
