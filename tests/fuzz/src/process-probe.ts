// The outside check of issue 18: probes bad inputs against the BUILT packages (dist/, resolved by
// plain `node` through the packages' exports, as users get them), each probe in a fresh `node`
// process under a hard time limit, so a hang, a crash or a runaway allocation cannot hide behind
// an in-process watchdog. Probes: the list literally (library calls and CLI commands),
// then a seeded random sample of the in-process fuzz cases (run by probe-child.ts, a few per
// process). Each probe ends in: named error (pass), or hang / silent acceptance / generic error /
// crash / wrong result / vague message (fail). Exits non-zero on any failure.
//
//   pnpm --filter @regularize/fuzz-tests run probe   (env: PROBE_SEED, PROBE_SAMPLE, PROBE_JOBS)
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const fuzzDir = resolve(here, "..");
const repo = resolve(fuzzDir, "../..");
const cli = join(repo, "apps/cli/dist/cli.js");

type Verdict = "named" | "ok" | "hang" | "silent" | "generic" | "crash" | "wrong" | "vague" | "late";
const PASS: ReadonlySet<Verdict> = new Set(["named", "ok"]);

interface JsProbe {
  id: string;
  /** Body of an async function run after the prelude (`ad`, `train`, `datasets`, `optim`... in scope). */
  code: string;
  /** "named": the call must throw a named error; "value": the body returns true when the result is right. */
  expect: "named" | "value";
  /** Words the error message must contain (the function and the argument). */
  mentions?: string[];
  /** Checked on `globalThis.probe` after the call (e.g. no training step before a validation error). */
  after?: (probe: Record<string, unknown>) => string | undefined;
  timeoutMs?: number;
}
interface CliProbe {
  id: string;
  argv: string[];
  /** Words stderr must contain (the flag/param named). */
  mentions: string[];
  timeoutMs?: number;
}

const PRELUDE = `
const names = ["core-autodiff", "core-train", "datasets", "optim", "penalties", "noise", "ensemble", "bayes", "transfer", "experiments"];
const libs = await Promise.all(names.map((n) => import("@regularize/" + n)));
const [ad, train, datasets, optim, penalties, noise, ensemble, bayes, transfer, experiments] = libs;
const classes = libs.flatMap((l) => Object.values(l).filter((v) => typeof v === "function" && v.prototype instanceof Error));
const GENERIC = new Set(["Error", "TypeError", "RangeError", "ReferenceError", "SyntaxError", "EvalError", "URIError", "AggregateError"]);
globalThis.probe = {};
const out = (o) => process.stdout.write("PROBE " + JSON.stringify({ ...o, probe: globalThis.probe }) + "\\n");
const tinyFit = (extra = {}) => train.fit({
  model: train.mlp({ widths: [3, 4, 2] }),
  data: { x: ad.tensor([[1, 2, 3], [0, 1, 0], [2, 0, 1], [1, 1, 1]]), y: ad.tensor([0, 1, 1, 0], { dtype: "int32" }) },
  loss: "crossEntropy", optimizer: optim.sgd({ learningRate: 0.1 }), epochs: 1, batchSize: 2, seed: 1,
  onProgress: () => { globalThis.probe.steps = (globalThis.probe.steps ?? 0) + 1; },
  ...extra,
});
`;
const EPILOGUE = (body: string) => `
try {
  const r = await (async () => { ${body} })();
  out({ outcome: "accepted", ok: r === true, value: typeof r === "object" ? Object.prototype.toString.call(r) : String(r) });
} catch (e) {
  const named = e instanceof Error && !GENERIC.has(e.name) && classes.some((C) => e instanceof C);
  out({ outcome: named ? "named" : "generic", name: e?.name, message: String(e?.message ?? e).slice(0, 400) });
}
`;

/** A serialized state of a real (tiny) run, then one field broken: deserializeState must refuse it. */
const brokenState = (mutate: string) => `
const { state } = await tinyFit();
globalThis.probe.steps = 0;
const s = JSON.parse(JSON.stringify(train.serializeState(state)));
${mutate}
return train.deserializeState(s);`;

/** A .npy file whose header declares `shape`. */
const npyWithShape = (shape: string) => `
const header = "{'descr': '<f8', 'fortran_order': False, 'shape': ${shape}, }";
const pad = 64 - ((10 + header.length + 1) % 64);
const text = header + " ".repeat(pad) + "\\n";
const bytes = new Uint8Array(10 + text.length + 48);
bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
new DataView(bytes.buffer).setUint16(8, text.length, true);
for (let i = 0; i < text.length; i++) bytes[10 + i] = text.charCodeAt(i);
return datasets.decodeNpy(bytes);`;

const noStep = (p: Record<string, unknown>) => (p.steps ? `${String(p.steps)} training step(s) ran before the error` : undefined);

/** The list, literally. */
const JS_PROBES: JsProbe[] = [
  { id: "broadcastTo(scalar(1), [-2, -3])", code: "return ad.broadcastTo(ad.scalar(1), [-2, -3]);", expect: "named", mentions: ["broadcastTo"] },
  { id: 'tensor([1.5, 2.5], { dtype: "float" })', code: 'return ad.tensor([1.5, 2.5], { dtype: "float" });', expect: "named", mentions: ["dtype"] },
  { id: 'tensor([1.5, 2.5], { dtype: "f32" })', code: 'return ad.tensor([1.5, 2.5], { dtype: "f32" });', expect: "named", mentions: ["dtype"] },
  { id: 'normal(key, [3], { dtype: "int32" })', code: 'return ad.normal(ad.prngKey(0), [3], { dtype: "int32" });', expect: "named", mentions: ["normal", "dtype"] },
  { id: "zeros([2 ** 31])", code: "return ad.zeros([2 ** 31]);", expect: "named", mentions: ["zeros"] },
  { id: "randint(key, [4], 0, 2 ** 40)", code: "return ad.randint(ad.prngKey(0), [4], 0, 2 ** 40);", expect: "named", mentions: ["randint"] },
  { id: "randint(key, [4], -(2 ** 40), 0)", code: "return ad.randint(ad.prngKey(0), [4], -(2 ** 40), 0);", expect: "named", mentions: ["randint"] },
  { id: "relu(NaN) is NaN", code: "const r = ad.relu(ad.tensor([NaN, -1, 2])); return Number.isNaN(r.data[0]) && r.data[1] === 0 && r.data[2] === 2;", expect: "value" },
  { id: "tidy(async () => …)", code: "return ad.tidy(async () => ad.add(ad.scalar(1), ad.scalar(2)));", expect: "named", mentions: ["tidy"] },
  {
    id: "tidy(() => null-prototype result) keeps it",
    // tidy copies tensors out of its result into a fresh container of the same prototype
    code: "const r = ad.tidy(() => { const o = Object.create(null); o.t = ad.add(ad.scalar(1), ad.scalar(2)); return o; }); return Object.getPrototypeOf(r) === null && Object.keys(r).join() === 't' && r.t.data[0] === 3;",
    expect: "value",
  },
  { id: "add({ foo: 1 }, x)", code: "return ad.add({ foo: 1 }, ad.tensor([1, 2]));", expect: "named", mentions: ["add"] },
  { id: "fit({ batchsize: 2 })", code: "return await tinyFit({ batchSize: undefined, batchsize: 2 });", expect: "named", mentions: ["batchsize"], after: noStep },
  {
    id: "fit with a validation set of the wrong width (before any step)",
    code: "return await tinyFit({ validation: { x: ad.tensor([[1, 2], [3, 4]]), y: ad.tensor([0, 1], { dtype: 'int32' }) } });",
    expect: "named",
    mentions: ["validation"],
    after: noStep,
  },
  { id: "fit whose finite update overflows to Infinity", code: "return await tinyFit({ optimizer: optim.sgd({ learningRate: 1e308 }) });", expect: "named" },
  { id: "deserializeState(step: -1)", code: brokenState("s.step = -1;"), expect: "named", mentions: ["step"] },
  { id: "deserializeState(epoch: -3)", code: brokenState("s.epoch = -3;"), expect: "named", mentions: ["epoch"] },
  { id: 'deserializeState(key: ["a", "b"])', code: brokenState('s.key = ["a", "b"];'), expect: "named", mentions: ["key"] },
  { id: "decodeNpy(shape (-2, 3))", code: npyWithShape("(-2, 3)"), expect: "named", mentions: ["shape"] },
  { id: "decodeNpy(shape (3, -1))", code: npyWithShape("(3, -1)"), expect: "named", mentions: ["shape"] },
];

/** The CLI items: each must exit non-zero, fast, with a one-line message naming the flag, no stack trace. */
const CLI_PROBES: CliProbe[] = [
  { id: "regularize mnist1d --out /proc/x", argv: ["mnist1d", "--out", "/proc/x"], mentions: ["--out", "/proc/x"] },
  { id: "regularize mnist1d --lr -1", argv: ["mnist1d", "--lr", "-1"], mentions: ["lr"] },
  { id: "regularize gabor --lr 1e308", argv: ["gabor", "--lr", "1e308"], mentions: ["lr"] },
  { id: "regularize mnist1d --weight-decay -1", argv: ["mnist1d", "--weight-decay", "-1"], mentions: ["eight"] },
  { id: "regularize gabor --lambda -1", argv: ["gabor", "--lambda", "-1"], mentions: ["lambda"] },
  { id: "regularize run mnist1d --set lr=NaN", argv: ["run", "mnist1d", "--set", "lr=NaN"], mentions: ["lr"] },
  { id: "regularize run mnist1d --set batchsize=2", argv: ["run", "mnist1d", "--set", "batchsize=2"], mentions: ["batchsize"] },
  { id: "regularize mnist1d --steps 1e400", argv: ["mnist1d", "--steps", "1e400"], mentions: ["steps"] },
];

interface Ran {
  stdout: string;
  stderr: string;
  code: number | null;
  timedOut: boolean;
  ms: number;
}

/** Spawn `node args` in `cwd`, killed (SIGKILL) after `timeoutMs`. */
function run(args: string[], cwd: string, timeoutMs: number): Promise<Ran> {
  const t0 = Date.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NODE_OPTIONS: "" } });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ stdout, stderr, code, timedOut, ms: Date.now() - t0 });
    });
  });
}

interface Result {
  id: string;
  verdict: Verdict;
  detail: string;
  ms: number;
}

const lastProbeLine = (stdout: string) => {
  const line = stdout.split("\n").reverse().find((l) => l.startsWith("PROBE "));
  return line === undefined ? undefined : (JSON.parse(line.slice(6)) as Record<string, unknown>);
};

async function jsProbe(p: JsProbe): Promise<Result> {
  const r = await run(["--input-type=module", "-e", PRELUDE + EPILOGUE(p.code)], fuzzDir, p.timeoutMs ?? 30_000);
  const base = { id: p.id, ms: r.ms };
  if (r.timedOut) return { ...base, verdict: "hang", detail: `killed after ${r.ms} ms` };
  const o = lastProbeLine(r.stdout);
  if (o === undefined) return { ...base, verdict: "crash", detail: `exit ${String(r.code)}: ${r.stderr.trim().split("\n").slice(0, 3).join(" | ")}` };
  const late = p.after?.((o.probe ?? {}) as Record<string, unknown>);
  if (o.outcome === "generic") return { ...base, verdict: "generic", detail: `${String(o.name)}: ${String(o.message)}` };
  if (p.expect === "value") {
    if (o.outcome === "accepted") return { ...base, verdict: o.ok ? "ok" : "wrong", detail: `returned ${String(o.value)}` };
    return { ...base, verdict: "named", detail: `${String(o.name)}: ${String(o.message)}` };
  }
  if (o.outcome === "accepted") return { ...base, verdict: "silent", detail: `returned ${String(o.value)}` };
  const message = `${String(o.name)}: ${String(o.message)}`;
  if (late) return { ...base, verdict: "late", detail: `${late}; ${message}` };
  const missing = (p.mentions ?? []).filter((m) => !String(o.message).includes(m));
  if (missing.length > 0) return { ...base, verdict: "vague", detail: `message lacks ${missing.map((m) => JSON.stringify(m)).join(", ")}: ${message}` };
  return { ...base, verdict: "named", detail: message };
}

async function cliProbe(p: CliProbe): Promise<Result> {
  const cwd = mkdtempSync(join(tmpdir(), "regularize-probe-"));
  try {
    const r = await run([cli, ...p.argv], cwd, p.timeoutMs ?? 30_000);
    const base = { id: p.id, ms: r.ms };
    const err = r.stderr.trim();
    if (r.timedOut) return { ...base, verdict: "hang", detail: `killed after ${r.ms} ms; stderr: ${err.slice(0, 200)}` };
    if (r.code === 0) return { ...base, verdict: "silent", detail: `exit 0; stdout: ${r.stdout.trim().slice(0, 200)}` };
    if (/^\s+at .+:\d+:\d+\)?$/m.test(err)) return { ...base, verdict: "generic", detail: `stack trace on stderr: ${err.split("\n").slice(0, 2).join(" | ")}` };
    if (err === "") return { ...base, verdict: "crash", detail: `exit ${String(r.code)} with an empty stderr` };
    const missing = p.mentions.filter((m) => !err.includes(m));
    if (missing.length > 0) return { ...base, verdict: "vague", detail: `stderr lacks ${missing.join(", ")}: ${err.slice(0, 200)}` };
    return { ...base, verdict: "named", detail: `exit ${String(r.code)}: ${err.split("\n")[0]!.slice(0, 200)}` };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

/** The fuzz sample: groups of cases run by probe-child.ts; a killed child's current case is the hang, the rest rerun. */
async function sampleProbes(seed: number, count: number, group: number, timeoutMs: number): Promise<Result[]> {
  const list = await run(["--import", "tsx", join(here, "probe-child.ts"), "plan", String(seed), String(count)], fuzzDir, 60_000);
  if (list.code !== 0) return [{ id: "fuzz sample: plan", verdict: "crash", detail: list.stderr.trim().slice(0, 400), ms: list.ms }];
  const cases = JSON.parse(list.stdout) as { id: string }[];
  const results: Result[] = [];
  const groups: { id: string }[][] = [];
  for (let i = 0; i < cases.length; i += group) groups.push(cases.slice(i, i + group));
  await pool(groups, async (g) => {
    let todo = g;
    while (todo.length > 0) {
      const r = await run(["--import", "tsx", join(here, "probe-child.ts"), "run", JSON.stringify(todo)], fuzzDir, timeoutMs);
      const lines = r.stdout.split("\n").filter((l) => l.startsWith("CASE ")).map((l) => JSON.parse(l.slice(5)) as { id: string; verdict: Verdict; detail: string });
      for (const l of lines) results.push({ ...l, ms: 0 });
      const done = new Set(lines.map((l) => l.id));
      const started = r.stdout.split("\n").filter((l) => l.startsWith("START ")).map((l) => l.slice(6)).at(-1);
      const rest = todo.filter((c) => !done.has(c.id));
      if (rest.length === 0) break;
      const culprit = rest.find((c) => c.id === started) ?? rest[0]!;
      results.push({ id: culprit.id, verdict: r.timedOut ? "hang" : "crash", detail: r.timedOut ? `process killed after ${r.ms} ms` : `exit ${String(r.code)}: ${r.stderr.trim().slice(0, 300)}`, ms: r.ms });
      todo = rest.filter((c) => c !== culprit);
    }
  });
  return results;
}

/** Run `work` over `items`, `jobs` at a time. */
async function pool<T>(items: readonly T[], work: (t: T) => Promise<void>, jobs = Number(process.env.PROBE_JOBS ?? 2)): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const seed = Number(process.env.PROBE_SEED ?? 18);
  const sample = Number(process.env.PROBE_SAMPLE ?? 120);
  const results: Result[] = [];
  await pool([...JS_PROBES.map((p) => () => jsProbe(p)), ...CLI_PROBES.map((p) => () => cliProbe(p))], async (f) => {
    results.push(await f());
  });
  const order = [...JS_PROBES, ...CLI_PROBES].map((p) => p.id);
  results.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  const sampled = await sampleProbes(seed, sample, 10, 60_000);
  const all = [...results, ...sampled];
  for (const r of results) console.log(`${PASS.has(r.verdict) ? "pass" : "FAIL"} ${r.verdict.padEnd(7)} ${r.id} (${r.ms} ms) — ${r.detail}`);
  for (const r of sampled.filter((s) => !PASS.has(s.verdict) || process.env.PROBE_VERBOSE)) console.log(`${PASS.has(r.verdict) ? "pass" : "FAIL"} ${r.verdict.padEnd(7)} ${r.id} — ${r.detail}`);
  const tally = (rs: Result[]) => JSON.stringify(Object.fromEntries([...new Set(rs.map((r) => r.verdict))].sort().map((v) => [v, rs.filter((r) => r.verdict === v).length])));
  console.log(`issue-18 list: ${results.length} probes ${tally(results)}`);
  console.log(`fuzz sample (seed ${seed}): ${sampled.length} cases ${tally(sampled)}`);
  const failed = all.filter((r) => !PASS.has(r.verdict));
  console.log(`process probe: ${all.length} probes, ${failed.length} failed, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  process.exitCode = failed.length > 0 ? 1 : 0;
}

await main();
