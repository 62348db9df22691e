import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import {
  type Tensor, add, exp, grad, hessian, hvp, jacobian, jvp, matmul, mul, reshape, sin, sum, tanh, tensor, transpose, vjp,
} from "./index.js";
import { runs, tensorArb } from "../test/arbitraries.js";
import { axpy, fdJacobian } from "../test/fd.js";
import "../test/matchers.js";

// A fixed smooth non-linear map R^n → R^m with a dense, non-symmetric Jacobian (weights are
// deterministic so the property varies the point, the sizes and the vectors).
function weights(m: number, n: number, phase: number): Tensor {
  return tensor(Array.from({ length: m * n }, (_, i) => Math.sin(1.3 * i + phase)), { shape: [m, n] });
}
function F(m: number, n: number): (x: Tensor) => Tensor {
  const W = weights(m, n, 0.4);
  return (x) => add(tanh(matmul(W, x)), mul(sin(matmul(W, mul(x, x))), 0.5));
}
/** A smooth scalar with a non-diagonal Hessian. */
function scalarFn(n: number): (x: Tensor) => Tensor {
  const W = weights(n + 1, n, 1.1);
  return (x) => add(sum(exp(mul(tanh(matmul(W, x)), 0.7))), mul(sum(mul(x, mul(x, x))), 0.1));
}

const dims = fc.record({ m: fc.integer({ min: 1, max: 4 }), n: fc.integer({ min: 1, max: 4 }) });
const vecCase = dims.chain(({ m, n }) => fc.record({ m: fc.constant(m), n: fc.constant(n), x: tensorArb([n]), v: tensorArb([n]), u: tensorArb([m]) }));

describe("jvp and vjp", () => {
  test.prop([vecCase], { numRuns: runs(40) })("⟨u, J·v⟩ = ⟨Jᵀ·u, v⟩ (jvp and vjp are transposes)", ({ m, n, x, v, u }) => {
    const f = F(m, n);
    const [y1, Jv] = jvp(f, x, v);
    const [y2, back] = vjp(f, x);
    const JTu = back(u);
    expect(y1).toBeAllclose(y2, { rtol: 0, atol: 0 });
    expect(sum(mul(u, Jv))).toBeAllclose(sum(mul(JTu, v)), { rtol: 1e-12, atol: 1e-12 });
  });

  test.prop([vecCase], { numRuns: runs(30) })("J·v from jvp matches a central difference of f along v", ({ m, n, x, v }) => {
    const f = F(m, n), h = 1e-5;
    const [, Jv] = jvp(f, x, v);
    const [xp] = axpy([x], h, [v]), [xm] = axpy([x], -h, [v]);
    const fd = Array.from(f(xp!).data, (a, i) => (a - f(xm!).data[i]!) / (2 * h));
    expect(Jv).toBeAllclose(fd, { rtol: 1e-6, atol: 1e-8 });
  });
});

describe("jacobian and hessian", () => {
  test.prop([vecCase], { numRuns: runs(25) })("jacobian matches the finite-difference Jacobian, shaped [m, n]", ({ m, n, x }) => {
    const f = F(m, n);
    const J = jacobian(f)(x);
    expect(J.shape).toEqual([m, n]);
    expect(J).toBeAllclose(fdJacobian(f, x, 1e-5), { rtol: 1e-6, atol: 1e-8 });
  });

  test.prop([vecCase], { numRuns: runs(25) })("hessian is symmetric and equals the Jacobian of the gradient (by FD)", ({ n, x }) => {
    const f = scalarFn(n);
    const H = hessian(f)(x);
    expect(H.shape).toEqual([n, n]);
    expect(H).toBeAllclose(transpose(H), { rtol: 1e-12, atol: 1e-12 });
    expect(H).toBeAllclose(fdJacobian(grad(f), x, 1e-5), { rtol: 1e-6, atol: 1e-8 });
  });

  test.prop([vecCase], { numRuns: runs(25) })("hvp equals H·v, a central difference of grad along v, and forward-over-reverse jvp(grad f)", ({ n, x, v }) => {
    const f = scalarFn(n), h = 1e-5;
    const Hv = hvp(f, x, v);
    expect(Hv).toBeAllclose(matmul(hessian(f)(x), v), { rtol: 1e-12, atol: 1e-12 });
    const [xp] = axpy([x], h, [v]), [xm] = axpy([x], -h, [v]);
    const gp = grad(f)(xp!), gm = grad(f)(xm!);
    expect(Hv).toBeAllclose(Array.from(gp.data, (a, i) => (a - gm.data[i]!) / (2 * h)), { rtol: 1e-6, atol: 1e-8 });
    expect(jvp(grad(f), x, v)[1]).toBeAllclose(Hv, { rtol: 1e-12, atol: 1e-12 });
  });

  test.prop([fc.integer({ min: 1, max: 3 }).chain((k) => tensorArb([k, 2]))], { numRuns: runs(15) })(
    "jacobian of a matrix function is shaped [...out, ...in]",
    (x) => {
      const f = (t: Tensor) => reshape(sin(t), [x.size]);
      const J = jacobian(f)(x);
      expect(J.shape).toEqual([x.size, ...x.shape]);
      expect(J).toBeAllclose(fdJacobian(f, x, 1e-5), { rtol: 1e-6, atol: 1e-8 });
    },
  );
});
