/** What jvp costs on the MNIST-1D MLP (batch 100, float64): forward mode by the JVP rules of the rule table, against grad and the forward pass. */
import { type Tensor, crossEntropy, grad, jvp, linear, normal, prngKey, randint, treeMap, vjp } from "@regularize/core-autodiff";

type P = { w1: Tensor; b1: Tensor; w2: Tensor; b2: Tensor; w3: Tensor; b3: Tensor };
const k = (i: number) => prngKey(i);
const p: P = {
  w1: normal(k(1), [40, 100], { std: 0.1 }), b1: normal(k(2), [100], { std: 0.1 }), w2: normal(k(3), [100, 100], { std: 0.1 }),
  b2: normal(k(4), [100], { std: 0.1 }), w3: normal(k(5), [100, 10], { std: 0.1 }), b3: normal(k(6), [10], { std: 0.1 }),
};
const x = normal(k(7), [100, 40]), y = randint(k(8), [100], 0, 10);
const loss = (q: P) => crossEntropy(linear(linear(linear(x, q.w1, q.b1, { activation: "relu" }), q.w2, q.b2, { activation: "relu" }), q.w3, q.b3), y);
const t = treeMap((l: Tensor) => normal(k(9), [...l.shape]), p) as P;
const time = (f: () => unknown, n = 200) => {
  for (let i = 0; i < 20; i++) f();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) f();
  return (performance.now() - t0) / n;
};
const rounds = Number(process.argv[2] ?? 5);
const r: Record<string, number[]> = { loss: [], grad: [], vjp: [], jvp: [] };
for (let i = 0; i < rounds; i++) {
  r.loss!.push(time(() => loss(p)));
  r.grad!.push(time(() => grad(loss)(p)));
  r.vjp!.push(time(() => vjp(loss, p)[1](normal(k(10), []))));
  r.jvp!.push(time(() => jvp(loss, p, t)));
}
const med = (a: number[]) => [...a].sort((u, v) => u - v)[a.length >> 1]!;
const m = Object.fromEntries(Object.entries(r).map(([n, a]) => [n, med(a)]));
console.log(JSON.stringify({ msMedian: m, jvpOverGrad: m.jvp! / m.grad!, jvpOverForward: m.jvp! / m.loss! }));
