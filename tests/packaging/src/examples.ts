/**
 * Each package's README headline example, completed with small concrete data so it runs as is.
 * Written once against a module map `m`; the test prefixes it with `import` (ESM) or `require`
 * (CommonJS) lines. Every example ends by printing "ok <value>" after checking its result.
 */
export const EXAMPLES: Record<string, string> = {
  "@regularize/core-autodiff": `
    const { scalar, grad, mul } = m["@regularize/core-autodiff"];
    const f = (x) => mul(x, mul(x, x));                // x³
    const d2 = grad(grad(f))(scalar(2)).item();          // 6x = 12: double backprop
    if (d2 !== 12) throw new Error("d2 = " + d2);
    console.log("ok", d2);`,
  "@regularize/datasets": `
    const { makeMnist1d, mnist1dSplits, epochBatches } = m["@regularize/datasets"];
    const data = makeMnist1d({ numSamples: 200 });
    const { train, test } = mnist1dSplits(data);
    let rows = 0;
    for (const idx of epochBatches(train.n, 0, { batchSize: 50, shuffle: true, seed: 1 })) rows += idx.length;
    if (train.n !== 160 || test.n !== 40 || rows !== 160) throw new Error("split " + train.n + "/" + test.n + ", rows " + rows);
    console.log("ok", train.n);`,
  "@regularize/core-train": `
    const { tensor } = m["@regularize/core-autodiff"];
    const { fit, mlp, predict } = m["@regularize/core-train"];
    const { referenceSgd } = m["@regularize/core-train/testing"];
    const x = tensor(Array.from({ length: 48 }, (_, i) => Math.sin(i * 1.7)), { shape: [12, 4] });
    const y = tensor(Array.from({ length: 12 }, (_, i) => i % 3), { dtype: "int32" });
    const { params, history } = await fit({
      model: mlp({ widths: [4, 8, 3] }), data: { x, y }, loss: "crossEntropy",
      optimizer: referenceSgd({ lr: 0.1 }), batchSize: 4, epochs: 5, seed: 42,
    });
    const out = predict(mlp({ widths: [4, 8, 3] }), params, x);
    if (out.shape.join() !== "12,3" || history.epochs.length !== 5) throw new Error("shape " + out.shape);
    console.log("ok", history.epochs.length);`,
  "@regularize/optim": `
    const { tensor, grad, sum, square } = m["@regularize/core-autodiff"];
    const { adamw, applyUpdates } = m["@regularize/optim"];
    const loss = (p) => sum(square(p.w));
    let params = { w: tensor([[1, -2], [3, 0.5]]) };
    const opt = adamw({ learningRate: 0.1, weightDecay: 1e-2 });
    let state = opt.init(params);
    const before = loss(params).item();
    for (let i = 0; i < 20; i++) {
      const [updates, next] = opt.update(grad(loss)(params), state, params);
      params = applyUpdates(params, updates);
      state = next;
    }
    const after = loss(params).item();
    if (!(after < before)) throw new Error(after + " >= " + before);
    console.log("ok", after.toFixed(4));`,
  "@regularize/penalties": `
    const { tensor } = m["@regularize/core-autodiff"];
    const { fit, mlp } = m["@regularize/core-train"];
    const { referenceSgd } = m["@regularize/core-train/testing"];
    const { l2 } = m["@regularize/penalties"];
    const x = tensor(Array.from({ length: 48 }, (_, i) => Math.cos(i)), { shape: [12, 4] });
    const y = tensor(Array.from({ length: 12 }, (_, i) => i % 2), { dtype: "int32" });
    const r = await fit({ model: mlp({ widths: [4, 6, 2] }), data: { x, y }, loss: "crossEntropy",
      optimizer: referenceSgd({ lr: 0.1 }), batchSize: 6, epochs: 3, seed: 1, plugins: [l2({ lambda: 1e-3 })] });
    console.log("ok", r.history.epochs.length);`,
  "@regularize/noise": `
    const { tensor } = m["@regularize/core-autodiff"];
    const { fit, mlp } = m["@regularize/core-train"];
    const { referenceSgd } = m["@regularize/core-train/testing"];
    const { dropout, labelSmoothing } = m["@regularize/noise"];
    const x = tensor(Array.from({ length: 40 }, (_, i) => Math.sin(i)), { shape: [10, 4] });
    const y = tensor(Array.from({ length: 10 }, (_, i) => i % 3), { dtype: "int32" });
    const r = await fit({ model: mlp({ widths: [4, 8, 3] }), data: { x, y }, loss: "crossEntropy",
      optimizer: referenceSgd({ lr: 0.1 }), batchSize: 5, epochs: 2, seed: 3,
      plugins: [dropout({ rate: 0.5 }), labelSmoothing({ rho: 0.1, classes: 3 })] });
    console.log("ok", r.history.epochs.length);`,
  "@regularize/bayes": `
    const { linearGaussian, reluFeatures } = m["@regularize/bayes"];
    const x = [0.027801, 0.114688, 0.133341, 0.220156, 0.27645, 0.339489, 0.412417, 0.489704, 0.559784, 0.635921, 0.694613, 0.779015, 0.81363, 0.925208, 0.935159];
    const y = [0.93182, 2.46617, 1.769386, 2.725345, 2.850461, 2.160701, 1.906322, 1.178985, 0.853258, 0.443039, 0.964807, 0.473235, 0.740574, 0.296643, 0.417498];
    const post = linearGaussian({ features: reluFeatures(x, 14), targets: y, noiseVariance: 0.09, priorVariance: 10 });
    const { mean } = post.predict(reluFeatures([0, 0.5, 1], 14));
    const m0 = Array.from(mean.data ?? mean)[0];
    if (Math.abs(m0 - 1.3625) > 1e-3) throw new Error("mean(0) = " + m0);   // CHAPTER9's figure 9.11 table
    console.log("ok", m0.toFixed(4));`,
  "@regularize/transfer": `
    const { prngKey, tensor } = m["@regularize/core-autodiff"];
    const { fit, linear, mlp } = m["@regularize/core-train"];
    const { referenceSgd } = m["@regularize/core-train/testing"];
    const { freeze, replaceHead, under, withHead } = m["@regularize/transfer"];
    const x = tensor(Array.from({ length: 40 }, (_, i) => Math.sin(i)), { shape: [10, 4] });
    const y = tensor(Array.from({ length: 10 }, (_, i) => i % 3), { dtype: "int32" });
    const trunk = mlp({ widths: [4, 8] });
    const pre = await fit({ model: withHead(trunk, linear({ inputs: 8, outputs: 3 }), { activation: "relu" }), data: { x, y },
      loss: "crossEntropy", optimizer: referenceSgd({ lr: 0.1 }), batchSize: 5, epochs: 2, seed: 1 });
    const head = linear({ inputs: 8, outputs: 3 });
    const params = replaceHead(pre.params, head, prngKey(2));
    const r = await fit({ model: withHead(trunk, head, { activation: "relu" }), params, data: { x, y }, loss: "crossEntropy",
      optimizer: freeze(referenceSgd({ lr: 0.1 }), under("trunk")), batchSize: 5, epochs: 2, seed: 2 });
    const same = Array.from(r.params.trunk.layers[0].w.data).every((v, i) => v === pre.params.trunk.layers[0].w.data[i]);
    if (!same) throw new Error("frozen trunk moved");
    console.log("ok", r.history.epochs.length);`,
  "@regularize/ensemble": `
    const { tensor } = m["@regularize/core-autodiff"];
    const { evaluatePredictive } = m["@regularize/core-train"];
    const { seedMembers, trainMembers, toPlainData, memberParams, memberModel, ensemble, meanOfProbabilities } = m["@regularize/ensemble"];
    const x = tensor(Array.from({ length: 160 }, (_, i) => Math.sin(i * 0.37)), { shape: [40, 4] });
    const y = tensor(Array.from({ length: 40 }, (_, i) => i % 3), { dtype: "int32" });
    const specs = seedMembers({ widths: [4, 8, 3], learningRate: 0.1, epochs: 2, batchSize: 10 }, [1, 2, 3]);
    const plain = await trainMembers(specs, toPlainData({ x, y }), { workers: 1 });
    const members = specs.map((s, i) => ({ model: memberModel(s), params: memberParams(s, plain[i]) }));
    const ens = ensemble({ members, combiner: meanOfProbabilities() });
    const { accuracy } = evaluatePredictive(ens, { x, y });
    if (!(accuracy >= 0 && accuracy <= 1)) throw new Error("accuracy " + accuracy);
    console.log("ok", members.length);`,
  "@regularize/experiments": `
    const { runExperiment, listExperiments } = m["@regularize/experiments"];
    const r = await runExperiment("queue-selftest", { ms: 0, seed: 3 });
    if (r.seed !== 3 || listExperiments().length < 1) throw new Error(JSON.stringify(r));
    console.log("ok", r.seed);`,
};

/** The module specifiers an example reads from `m`. */
export function specifiersOf(body: string): string[] {
  return [...new Set([...body.matchAll(/m\["([^"]+)"\]/g)].map((x) => x[1]!))];
}

/** The example as an ES module or a CommonJS script. */
export function program(body: string, format: "esm" | "cjs"): string {
  const specs = specifiersOf(body);
  const head = format === "esm"
    ? specs.map((s, i) => `import * as m${i} from "${s}";`).join("\n") + `\nconst m = { ${specs.map((s, i) => `"${s}": m${i}`).join(", ")} };`
    : `const m = { ${specs.map((s) => `"${s}": require("${s}")`).join(", ")} };`;
  return `${head}\n(async () => {${body}\n})().catch((e) => { console.error(e); process.exit(1); });\n`;
}
