import { ShapeError, fmtShape } from "../errors.js";
import { type Shape, checkShape, shapesEqual } from "../shape.js";
import { tensorArg } from "../validate.js";
import type { Tensor } from "../tensor.js";
import { sum } from "./reduce.js";
import { reshape } from "./shape.js";

/** Sum `g` down to `shape` (undoes NumPy broadcasting); the gradient of broadcastTo. */
export function sumToShape(g: Tensor, shape: Shape): Tensor {
  tensorArg("sumToShape", "g", g);
  checkShape("sumToShape", shape);
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  if (lead < 0) throw new ShapeError("sumToShape", `cannot sum ${fmtShape(g.shape)} to the larger ${fmtShape(shape)}`);
  const axes: number[] = [];
  for (let i = 0; i < g.ndim; i++) {
    if (i < lead) axes.push(i);
    else if (shape[i - lead] === 1 && g.shape[i] !== 1) axes.push(i);
    else if (shape[i - lead] !== g.shape[i]) throw new ShapeError("sumToShape", `cannot sum ${fmtShape(g.shape)} to ${fmtShape(shape)}`);
  }
  return reshape(sum(g, { axis: axes, keepdims: true }), shape);
}
