import { type DataArray, isFloat } from "./dtype.js";
import { hostKernel } from "./kernel-trace.js";
import { hasTensorBrand } from "./brand.js";
import { DTypeError, DualPackageError, NonFiniteError, TransformError, ShapeError, fmtShape } from "./errors.js";
import { onesLike, zerosLike, zeros } from "./ops/create.js";
import { add } from "./ops/elementwise.js";
import { reshape, stack, stopGradient, slice, squeeze } from "./ops/shape.js";
import { shapesEqual } from "./shape.js";
import { isRecording, makeVariable, withTrace } from "./tape.js";
import { nodeJvp, nodeVjp } from "./prim/rules.js";
import { runBatched, wholeBatch } from "./batching.js";
import { Tensor } from "./tensor.js";
import { MAX_SIZE } from "./shape.js";
import { boolArg, describe, fnArg, optionsArg, tensorArg } from "./validate.js";
import { type Tree, treeDot, treeFlatten, treeLeaves, treeMap, treeUnflatten } from "./tree.js";

/**
 * The tensors on a path from some var to some out, in topological order (inputs first). Only
 * these nodes are visited; the traversal stops at `vars`, so nested transforms never confuse
 * their variables. `reaches` tells which tensors depend on a var.
 */
function pathOrder(outs: readonly Tensor[], vars: readonly Tensor[]): { order: Tensor[]; reaches: Map<Tensor, boolean> } {
  const varSet = new Set(vars);
  const reaches = new Map<Tensor, boolean>();
  const order: Tensor[] = [];
  // iterative post-order DFS
  for (const root of outs) {
    if (reaches.has(root)) continue;
    const stack: [Tensor, number][] = [[root, 0]];
    reaches.set(root, false);
    for (let top = stack[0]; top !== undefined; top = stack[stack.length - 1]) {
      const [t, i] = top;
      const node = t.node;
      if (varSet.has(t)) { reaches.set(t, true); stack.pop(); continue; }
      const inputs: readonly Tensor[] = node === null ? [] : node.inputs;
      if (i >= inputs.length) {
        stack.pop();
        if (inputs.some((x) => reaches.get(x) === true)) {
          reaches.set(t, true);
          order.push(t);
        }
        continue;
      }
      top[1] = i + 1;
      const child = inputs[i];
      if (child !== undefined && !reaches.has(child)) {
        reaches.set(child, false);
        stack.push([child, 0]);
      }
    }
  }
  return { order, reaches };
}

/** Reverse pass from `outs` (with cotangents `cts`) to `vars`, by the VJP rules of prim/rules.ts. */
function backwardPass(outs: readonly Tensor[], cts: readonly Tensor[], vars: readonly Tensor[]): (Tensor | null)[] {
  const { order, reaches } = pathOrder(outs, vars);
  const grads = new Map<Tensor, Tensor>();
  const accumulate = (t: Tensor, g: Tensor) => {
    const prev = grads.get(t);
    grads.set(t, prev === undefined ? g : add(prev, g));
  };
  for (const [o, c] of zip(outs, cts)) accumulate(o, c);
  for (const t of order.reverse()) {
    const g = grads.get(t);
    const node = t.node;
    if (g === undefined || node === null) continue;
    const inputs: readonly Tensor[] = node.inputs;
    const needs = inputs.map((x) => reaches.get(x) === true);
    const inGrads = nodeVjp(node, t, g, needs);
    inputs.forEach((x, j) => {
      const gi = inGrads[j];
      if (!needs[j] || gi === null || gi === undefined) return;
      checkRuleShape(node.op, "gradient", gi, x);
      accumulate(x, gi);
    });
  }
  return vars.map((v) => grads.get(v) ?? null);
}

/** Forward pass of tangents from `vars` to `outs`, by the JVP rules of prim/rules.ts. */
function forwardPass(outs: readonly Tensor[], vars: readonly Tensor[], tangents: readonly Tensor[]): Tensor[] {
  const { order } = pathOrder(outs, vars);
  const tan = new Map<Tensor, Tensor>();
  for (const [v, t] of zip(vars, tangents)) tan.set(v, t);
  for (const t of order) {
    const node = t.node;
    if (node === null) continue;
    const ts = (node.inputs as readonly Tensor[]).map((x) => tan.get(x) ?? null);
    if (ts.every((x) => x === null)) continue;
    const tt = nodeJvp(node, t, ts as never);
    checkRuleShape(node.op, "tangent", tt, t);
    tan.set(t, tt);
  }
  return outs.map((o) => tan.get(o) ?? zerosLike(o));
}

/** [a[i], b[i]] for arrays of one length (checked: a mismatch is an internal error). */
function zip<A, B>(a: readonly A[], b: readonly B[]): [A, B][] {
  if (a.length !== b.length) throw new TransformError("autodiff", `internal error: ${a.length} values for ${b.length}`);
  return a.map((x, i) => [x, b[i] as B]);
}

function checkRuleShape(op: string, what: string, got: Tensor, want: Tensor): void {
  if (!shapesEqual(got.shape, want.shape)) {
    throw new ShapeError(op, `${what} rule produced ${fmtShape(got.shape)} for a tensor of shape ${fmtShape(want.shape)} (internal error)`);
  }
}

function checkFloatLeaves(op: string, leaves: readonly Tensor[]): void {
  for (const l of leaves) {
    if (!isFloat(l.dtype)) throw new TransformError(op, `cannot differentiate with respect to an ${l.dtype} tensor of shape ${fmtShape(l.shape)}`);
  }
}

/**
 * Outputs leave a transform detached unless an outer transform is recording (then it needs the
 * graph). Inside `noGrad` they are detached too, or the outer trace could differentiate through them.
 */
function release<T extends Tree>(t: T): T {
  return isRecording() ? t : treeMap((x) => stopGradient(x), t);
}

/** Like release, for aux values: tensors anywhere in nested arrays / plain objects are detached, anything else is kept. */
function releaseAux(v: unknown): unknown {
  if (isRecording()) return v;
  const walk = (x: unknown): unknown => {
    if (x instanceof Tensor) return stopGradient(x);
    if (Array.isArray(x)) return x.map(walk);
    if (x !== null && typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype) {
      return Object.fromEntries(Object.entries(x).map(([k, e]) => [k, walk(e)]));
    }
    return x;
  };
  return walk(v);
}

function trace<T extends Tree, O>(op: string, f: (x: T) => O, primals: T): { out: O; vars: Tensor[] } {
  const [leaves, def] = treeFlatten(primals);
  checkFloatLeaves(op, leaves);
  const vars = leaves.map(makeVariable);
  const out = withTrace(() => f(treeUnflatten<T>(def, vars)));
  return { out, vars };
}

function outLeaves(op: string, out: unknown): Tensor[] {
  try {
    return treeLeaves(out as Tree);
  } catch {
    throw new TransformError(op, "the function must return a tensor or a tree of tensors");
  }
}

/**
 * Value of f at `primals` and its vector–Jacobian product function (reverse mode).
 * @example const [y, back] = vjp((x) => sin(x), x); const dx = back(onesLike(y));
 */
export function vjp<T extends Tree, O extends Tree>(f: (x: T) => O, primals: T): [O, (cotangent: O) => T] {
  fnArg("vjp", "f", f);
  const { out, vars } = trace("vjp", f, primals);
  const outs = outLeaves("vjp", out);
  const [, def] = treeFlatten(primals);
  const back = (ct: O): T => {
    const cts = outLeaves("vjp", ct);
    if (cts.length !== outs.length) throw new TransformError("vjp", `cotangent has ${cts.length} leaves, output has ${outs.length}`);
    for (const [c, o] of zip(cts, outs)) {
      if (!shapesEqual(c.shape, o.shape)) throw new ShapeError("vjp", `cotangent ${fmtShape(c.shape)} does not match output ${fmtShape(o.shape)}`);
      // checked here so the error names vjp, not an add deep inside the backward pass
      if (c.dtype !== o.dtype) throw new DTypeError("vjp", `cotangent is ${c.dtype} ${fmtShape(c.shape)} but the output is ${o.dtype}`);
    }
    const gs = backwardPass(outs, cts, vars);
    return release(treeUnflatten<T>(def, zip(gs, vars).map(([g, v]) => g ?? zerosLike(v))));
  };
  return [release(out), back];
}

/** Options of grad / valueAndGrad. */
export interface GradOptions {
  /** f returns [value, aux]; aux is passed through undifferentiated. */
  readonly hasAux?: boolean;
  /** Throw NonFiniteError when the value or a gradient holds NaN/±Inf. */
  readonly checkFinite?: boolean;
}

function scalarOut(op: string, out: unknown, hasAux: boolean): [Tensor, unknown] {
  let value: unknown = out, aux: unknown = undefined;
  if (hasAux) {
    if (!Array.isArray(out) || out.length !== 2) throw new TransformError(op, "with hasAux the function must return [value, aux]");
    [value, aux] = out as [unknown, unknown];
  }
  if (!(value instanceof Tensor) && hasTensorBrand(value)) throw new DualPackageError(op, "the function's value");
  if (!(value instanceof Tensor)) throw new TransformError(op, `the function must return a scalar tensor, got ${value === null ? "null" : typeof value}`);
  if (value.size !== 1) throw new TransformError(op, `the function must return a scalar (one-element) tensor, got shape ${fmtShape(value.shape)}`);
  return [value, aux];
}

function finiteCheck(op: string, value: Tensor, grads: Tree): void {
  // host kernels, so a jit replay checks too
  // under vmap: the whole batch's values (elementwise checks, so one pass checks every example)
  hostKernel(op, (v: DataArray) => { for (const e of v) if (!Number.isFinite(e)) throw new NonFiniteError(op, `the value is ${e}`); }, [wholeBatch(value).data], []);
  const leaves = treeLeaves(grads);
  leaves.forEach((l, i) => {
    const shape = l.shape;
    hostKernel(op, (d: DataArray) => {
      for (let j = 0; j < d.length; j++) if (!Number.isFinite(d[j]!)) throw new NonFiniteError(op, `gradient leaf ${i} ${fmtShape(shape)} holds ${d[j]} at flat index ${j}`);
    }, [wholeBatch(l).data], []);
  });
}

/**
 * Value and gradient of a scalar function of a tree (gradient w.r.t. the first argument; further
 * arguments are passed through). With `hasAux`, f returns [value, aux] and the result is [value, grads, aux].
 * @example const [loss, grads] = valueAndGrad((p) => sum(square(p.w)))({ w });
 */
export function valueAndGrad<T extends Tree = Tensor, A extends unknown[] = [], Aux = unknown>(
  f: (params: T, ...args: A) => Tensor | [Tensor, Aux],
  opts: GradOptions = {},
): (params: T, ...args: A) => [Tensor, T, Aux] {
  fnArg("valueAndGrad", "f", f);
  optionsArg("valueAndGrad", opts, ["hasAux", "checkFinite"]);
  boolArg("valueAndGrad", "hasAux", opts.hasAux, false);
  boolArg("valueAndGrad", "checkFinite", opts.checkFinite, false);
  return (params: T, ...args: A) => {
    const { out, vars } = trace("valueAndGrad", (p: T) => f(p, ...args), params);
    const [value, aux] = scalarOut("grad", out, opts.hasAux ?? false);
    const gs = backwardPass([value], [onesLike(value)], vars);
    const [, def] = treeFlatten(params);
    const grads = release(treeUnflatten<T>(def, zip(gs, vars).map(([g, v]) => g ?? zerosLike(v))));
    const v = release(value);
    if (opts.checkFinite) finiteCheck("valueAndGrad", v, grads);
    return [v, grads, releaseAux(aux) as Aux];
  };
}

/**
 * Gradient of a scalar function (w.r.t. its first argument, a tensor or tree). Nests to any order.
 * @example const d2 = grad(grad((x) => sum(tanh(x))))(x) // elementwise for a scalar x
 */
export function grad<T extends Tree = Tensor, A extends unknown[] = []>(f: (x: T, ...args: A) => Tensor, opts: GradOptions = {}): (x: T, ...args: A) => T {
  fnArg("grad", "f", f);
  const vg = valueAndGrad<T, A, unknown>(f, opts);
  return (x: T, ...args: A) => vg(x, ...args)[1];
}

/**
 * Jacobian–vector product: [f(primals), J·tangents], in forward mode: f runs once while its ops
 * are recorded, then the tangents are pushed through the recorded ops by their JVP rules
 * (prim/rules.ts). The rules are public ops, so jvp nests with every transform.
 * @example const [y, dy] = jvp((x) => sin(x), x, v); // dy = cos(x)·v
 */
export function jvp<T extends Tree, O extends Tree>(f: (x: T) => O, primals: T, tangents: T): [O, O] {
  fnArg("jvp", "f", f);
  const [pl, tl] = [treeLeaves(primals), treeLeaves(tangents)];
  if (pl.length !== tl.length) throw new ShapeError("jvp", "tangents must have the structure and shapes of the primals");
  zip(pl, tl).forEach(([p, t], i) => {
    if (!shapesEqual(p.shape, t.shape)) throw new ShapeError("jvp", "tangents must have the structure and shapes of the primals");
    if (p.dtype !== t.dtype) throw new DTypeError("jvp", `tangent ${i} is ${t.dtype} ${fmtShape(t.shape)} but its primal is ${p.dtype}`);
  });
  const { out, vars } = trace("jvp", f, primals);
  const outs = outLeaves("jvp", out);
  const [, outDef] = treeFlatten(out as Tree);
  const dOut = forwardPass(outs, vars, tl);
  return [release(out), release(treeUnflatten<O>(outDef, dOut))];
}

/**
 * Hessian–vector product H·v of a scalar function at x (reverse-over-reverse).
 * @example hvp((p) => sum(pow(p, 3)), x, v)
 */
export function hvp<T extends Tree>(f: (x: T) => Tensor, x: T, v: T): T {
  fnArg("hvp", "f", f);
  return grad((p: T) => treeDot(grad(f)(p), v))(x);
}

/** Jacobian of f at a tensor x, shaped [...out.shape, ...x.shape] (one vjp per output element). */
export function jacobian(f: (x: Tensor) => Tensor): (x: Tensor) => Tensor {
  fnArg("jacobian", "f", f);
  return (x: Tensor) => {
    tensorArg("jacobian", "x", x);
    const [y, back] = vjp(f, x);
    tensorArg("jacobian", "the value of f", y);
    if (y.size * x.size > MAX_SIZE) throw new ShapeError("jacobian", `a Jacobian of ${y.size}×${x.size} entries is more than the ${MAX_SIZE} a tensor may hold`);
    const rows: Tensor[] = [];
    for (let i = 0; i < y.size; i++) {
      const e = zeros([y.size], { dtype: y.dtype });
      e.data[i] = 1;
      rows.push(reshape(back(reshape(e, y.shape)), [x.size]));
    }
    const J = rows.length > 0 ? stack(rows) : zeros([0, x.size], { dtype: x.dtype });
    return reshape(J, [...y.shape, ...x.shape]);
  };
}

/** Hessian of a scalar f at a tensor x, shaped [...x.shape, ...x.shape] (for small problems). */
export function hessian(f: (x: Tensor) => Tensor): (x: Tensor) => Tensor {
  fnArg("hessian", "f", f);
  return jacobian(grad(f));
}

/** Which arguments vmap maps over: 0 = leading axis, null = broadcast unchanged. */
export type InAxes = readonly (0 | null)[];

/** Options of vmap. */
export interface VmapOptions {
  /**
   * Run one call of f per example and stack the results (the reference implementation, and what
   * vmap falls back to for a call in which f reads a mapped value). Default false: batched.
   */
  readonly loop?: boolean;
}

/**
 * Map f over the leading axis of its arguments and stack the results (per-example gradients:
 * `vmap(grad(loss), [null, 0, 0])(params, x, y)`). f runs once on the whole batch: each primitive
 * has a batch rule (prim/batch-rules.ts), so grad, jvp and vmap compose inside and outside it.
 * A call in which f reads the values of a mapped tensor (`item()`, `toArray()`, a host check)
 * is rerun as a loop over the examples (f is then called again, once per example).
 */
export function vmap<A extends unknown[], O extends Tree>(f: (...args: A) => O, inAxes?: InAxes, opts: VmapOptions = {}): (...args: A) => O {
  fnArg("vmap", "f", f);
  if (inAxes !== undefined && (!Array.isArray(inAxes) || inAxes.some((a) => a !== 0 && a !== null))) {
    throw new TransformError("vmap", `inAxes must be an array of 0 (mapped) or null (shared), got ${describe(inAxes)}`);
  }
  optionsArg("vmap", opts, ["loop"]);
  const loop = boolArg("vmap", "loop", opts.loop, false);
  return (...args: A) => {
    const axes = inAxes ?? args.map(() => 0 as const);
    if (axes.length !== args.length) throw new TransformError("vmap", `inAxes has ${axes.length} entries for ${args.length} arguments`);
    let n = -1;
    args.forEach((a, i) => {
      if (axes[i] === null) return;
      for (const l of treeLeaves(a as Tree)) {
        if (l.ndim === 0) throw new ShapeError("vmap", `argument ${i} has a scalar leaf; nothing to map over`);
        if (n === -1) n = l.shape[0] ?? 0;
        else if (l.shape[0] !== n) throw new ShapeError("vmap", `mapped leaves disagree on the batch size (${n} vs ${l.shape[0]})`);
      }
    });
    if (n < 0) throw new TransformError("vmap", "no argument is mapped");
    if (n === 0) throw new TransformError("vmap", "cannot map over an empty batch");
    return (loop ? null : runBatched(f, args, axes, n)) ?? vmapLoop(f, args, axes, n);
  };
}

/** f once per example (sliced arguments), results stacked. */
function vmapLoop<A extends unknown[], O extends Tree>(f: (...args: A) => O, args: A, axes: InAxes, n: number): O {
  const outs: O[] = [];
  for (let b = 0; b < n; b++) {
    const sliced = args.map((a, i) => (axes[i] === null ? a : treeMap((l) => squeeze(slice(l, [[b, b + 1]]), 0), a as Tree))) as A;
    outs.push(f(...sliced));
  }
  return treeMap((...ls: Tensor[]) => stack(ls), outs[0]!, ...outs.slice(1));
}

/** Throw NonFiniteError naming `what` if x holds NaN or ±Inf. */
export function assertFinite(x: Tensor, what = "tensor"): Tensor {
  tensorArg("assertFinite", "x", x);
  if (typeof what !== "string") throw new TransformError("assertFinite", `what must be a string, got ${describe(what)}`);
  const shape = x.shape;
  hostKernel("assertFinite", (d: DataArray) => {
    for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i]!)) throw new NonFiniteError("assertFinite", `${what} ${fmtShape(shape)} holds ${d[i]} at flat index ${i}`);
  }, [wholeBatch(x).data], []);
  return x;
}
