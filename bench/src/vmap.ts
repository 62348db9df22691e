/**
 * The vmap figure (issue 17): per-example gradients of the MNIST-1D MLP 40-100-100-10 on a batch
 * of 100 — `vmap(grad(loss), [null, 0, 0])(params, x, y)` — batched (the batching interpreter,
 * one pass over the batch) against the loop (`{ loop: true }`: one grad call per example,
 * stacked), float64 and float32, timed interleaved. A runner's step is one whole call (100
 * per-example gradients). Before timing, the two are checked to agree.
 */
import { type DType, type Tensor, allclose, astype, crossEntropy, grad, linear, normal, prngKey, reshape, tensor, vmap } from "@regularize/core-autodiff";
import { makeMnist1d } from "@regularize/datasets";
import { type InterleaveOptions, type Runner, type Timing, interleave, timeSteps } from "./stats.js";

type Params = { w1: Tensor; b1: Tensor; w2: Tensor; b2: Tensor; w3: Tensor; b3: Tensor };

/** Result of the figure for one dtype. */
export interface VmapFigure {
  readonly dtype: "float64" | "float32";
  readonly batchedMsPerCall: number;
  readonly loopMsPerCall: number;
  /** Loop time / batched time (wall and CPU): the speed-up, target ≥ 5. */
  readonly ratio: { readonly wall: number; readonly cpu: number };
  /** Largest |batched − loop| over every per-example gradient entry. */
  readonly maxAbsDiff: number;
  readonly timings: Record<string, Timing>;
}

/** One example's loss: x [40], y an int32 scalar. */
const loss = (p: Params, x: Tensor, y: Tensor): Tensor =>
  crossEntropy(linear(linear(linear(reshape(x, [1, 40]), p.w1, p.b1, { activation: "relu" }), p.w2, p.b2, { activation: "relu" }), p.w3, p.b3), reshape(y, [1]));

function problem(dtype: DType): { p: Params; x: Tensor; y: Tensor } {
  const data = makeMnist1d();
  const [, dim] = data.shape.train;
  const x = astype(tensor(data.x.slice(0, 100 * dim), { shape: [100, dim] }), dtype);
  const y = tensor(Array.from(data.y.slice(0, 100)), { dtype: "int32" });
  const he = (i: number, fanIn: number, shape: number[]) => astype(normal(prngKey(i), shape, { std: Math.sqrt(2 / fanIn) }), dtype);
  const p: Params = {
    w1: he(1, 40, [40, 100]), b1: he(2, 1e4, [100]), w2: he(3, 100, [100, 100]), b2: he(4, 1e4, [100]), w3: he(5, 100, [100, 10]), b3: he(6, 1e4, [10]),
  };
  return { p, x, y };
}

/** Times batched vs looped per-example gradients for one dtype. */
export async function vmapFigure(dtype: "float64" | "float32", timing: InterleaveOptions): Promise<VmapFigure> {
  const { p, x, y } = problem(dtype);
  const batched = vmap(grad(loss), [null, 0, 0]);
  const looped = vmap(grad(loss), [null, 0, 0], { loop: true });
  const a = batched(p, x, y), b = looped(p, x, y);
  const report = allclose(a, b, { rtol: dtype === "float32" ? 1e-5 : 1e-12, atol: dtype === "float32" ? 1e-6 : 1e-14 });
  if (!report) throw new Error(`vmap bench: batched per-example gradients differ from the loop (${dtype})`);
  let maxAbsDiff = 0;
  for (const k of Object.keys(a) as (keyof Params)[]) {
    const da = a[k].data, db = b[k].data;
    for (let i = 0; i < da.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(da[i]! - db[i]!));
  }
  const runners: Runner[] = [
    { name: `vmap batched ${dtype}`, run: (n) => timeSteps(n, () => batched(p, x, y)) },
    { name: `vmap loop ${dtype}`, run: (n) => timeSteps(n, () => looped(p, x, y)) },
  ];
  const ts = await interleave(runners, timing);
  const tb = ts.get(runners[0]!.name)!, tl = ts.get(runners[1]!.name)!;
  return {
    dtype, batchedMsPerCall: tb.msPerStep, loopMsPerCall: tl.msPerStep, maxAbsDiff,
    ratio: { wall: tl.msPerStep / tb.msPerStep, cpu: tl.cpuMsPerStep / tb.cpuMsPerStep },
    timings: Object.fromEntries(ts),
  };
}
