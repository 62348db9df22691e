// Walks the rule table: for every primitive, its VJP rule (first order, and second order through
// H·v) and its JVP rule (J·v, and jvp of the gradient = H·v) against central finite differences in
// float64. `CASES` is typed over the closed op set, so a new op without a case does not compile.
import { describe, expect, it } from "vitest";
import { FD64, axpy, checkOpGrads, rng } from "../../test/fd.js";
import { CASES, type Case, r } from "../../test/op-cases.js";
import "../../test/matchers.js";
import { type Tensor, div, grad, jvp, mul, square, sub, sum } from "../index.js";
import { RULES } from "./rules.js";
import type { OpName } from "./signatures.js";

/** The ops on the graph of f's output while a transform traces f. */
function opsRecorded(c: Case, xs: Tensor[]): Set<string> {
  const seen = new Set<string>();
  grad((vs: Tensor[]) => {
    const y = c.f(...vs);
    const stack = [y];
    const visited = new Set<Tensor>();
    while (stack.length > 0) {
      const t = stack.pop()!;
      if (visited.has(t) || t.node === null) continue;
      visited.add(t);
      seen.add(t.node.op);
      stack.push(...(t.node.inputs as readonly Tensor[]));
    }
    return sum(y);
  })(xs);
  return seen;
}

describe("the rule table", () => {
  it("has a kernel, a VJP and a JVP rule for every op, and a test case for each", () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(RULES).sort());
    for (const rule of Object.values(RULES)) expect([typeof rule.kernel, typeof rule.vjp, typeof rule.jvp]).toEqual(["function", "function", "function"]);
  });

  for (const op of Object.keys(CASES) as OpName[]) {
    const c = CASES[op];
    it(`${op}: VJP (1st and 2nd order) and JVP (J·v and jvp of grad) match central differences in float64`, () => {
      const next = rng(op.length * 7919 + op.charCodeAt(0));
      const xs = c.inputs(next);
      const opts = { ...FD64, seed: 11, ...c.tol };
      const h = opts.h ?? 1e-5;
      expect(opsRecorded(c, xs), `the case must exercise ${op}`).toContain(op);
      checkOpGrads(c.f, xs, opts);

      // forward mode: J·v against (f(x + hv) − f(x − hv)) / 2h
      const v = xs.map((x) => r(next, [...x.shape]));
      const [y, Jv] = jvp((vs: Tensor[]) => c.f(...vs), xs, v);
      expect(y).toBeAllclose(c.f(...xs), { rtol: 0, atol: 0 });
      const fd = div(sub(c.f(...axpy(xs, h, v)), c.f(...axpy(xs, -h, v))), 2 * h);
      expect(Jv, "J·v").toBeAllclose(fd, opts);

      // forward over reverse: the JVP rules of the gradient's ops give H·v
      const R = r(next, [...y.shape]);
      const L = (vs: Tensor[]) => sum(mul(R, square(c.f(...vs))));
      const [, Hv] = jvp(grad(L), xs, v);
      const gp = grad(L)(axpy(xs, h, v)), gm = grad(L)(axpy(xs, -h, v));
      Hv.forEach((hk, k) => expect(hk, `jvp(grad) input ${k}`).toBeAllclose(div(sub(gp[k]!, gm[k]!), 2 * h), opts));
    });
  }
});
