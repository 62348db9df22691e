import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Job, Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QueueConnectionError, probeRedis } from "../src/queue/connect.ts";
import { parseQueueUrl } from "../src/queue/queue-url.ts";
import { QUEUE_NAME, QUEUE_PREFIX } from "../src/queue/settings.ts";
import { runLocalPool } from "../src/sweep/local-pool.ts";
import { buildSpec, planTrials } from "../src/sweep/plan.ts";
import { trialId } from "../src/sweep/trial.ts";
import { type CliProc, freePort, makeTlsFiles, redisServerPath, runCli, startCli, startRedis, until } from "./cli-process.ts";

// Real Redis: Debian's redis-server started here on a free loopback port, with a password.
const REDIS = redisServerPath();
if (!REDIS) console.warn("queue tests skipped: redis-server not found (apt-get install redis-server, or set REDIS_SERVER)");
const PASSWORD = `pw-${process.pid}-Zq8`;
// short lock and stalled check, so a killed worker's trial comes back within ~3 s
const FAST = ["--concurrency", "1", "--lock-duration", "2000", "--stalled-interval", "1000"];

const tmp = () => mkdtempSync(join(tmpdir(), "sweep-queue-"));
const lines = (dir: string) => {
  try {
    return readFileSync(join(dir, "results.jsonl"), "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as { id: string; status: string; seed: number; result?: unknown; error?: string });
  } catch {
    return [];
  }
};
const allFiles = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? allFiles(join(dir, e.name)) : [join(dir, e.name)]));

describe("queue errors", () => {
  it("Redis unreachable: one line naming the redacted URL within seconds, exit 2", async () => {
    const port = await freePort();
    const url = `redis://bob:${PASSWORD}@127.0.0.1:${port}/0`;
    // the probe itself answers within seconds (process start-up under a loaded machine is not part of it)
    const t0 = Date.now();
    await expect(probeRedis(parseQueueUrl(url))).rejects.toThrow(QueueConnectionError);
    expect(Date.now() - t0).toBeLessThan(6_000);
    const r = await runCli(["sweep", "queue-selftest", "--queue", url, "--out", tmp()]);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe(`regularize sweep: cannot reach Redis at redis://bob:***@127.0.0.1:${port}/0: ECONNREFUSED`);
    expect(r.out + r.err).not.toContain(PASSWORD);
    const w = await runCli(["worker"], { REGULARIZE_QUEUE: "" });
    expect(w.code).toBe(2);
    expect(w.err.trim()).toMatch(/^regularize worker: no queue: pass --queue/);
  }, 300_000);
});

describe.skipIf(!REDIS)("distributed sweeps on a real redis-server (BullMQ)", () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let env: NodeJS.ProcessEnv;
  const procs: CliProc[] = [];
  let survivor: CliProc | undefined;
  const worker = () => {
    const p = startCli(["worker", ...FAST], env);
    procs.push(p);
    return p;
  };

  beforeAll(async () => {
    redis = await startRedis({ password: PASSWORD });
    env = { REGULARIZE_QUEUE: redis.url };
  }, 300_000);
  afterAll(async () => {
    for (const p of procs) if (p.child.exitCode === null) p.child.kill("SIGKILL");
    await redis?.stop();
  }, 300_000);

  it("a worker SIGKILLed mid-sweep: every trial's result exactly once, identical to the local pool's; no password anywhere", async () => {
    const out = tmp();
    const w1 = worker(), w2 = worker();
    await until(() => w1.out.includes("serving") && w2.out.includes("serving"), 90_000, "two workers");
    expect(w1.out).toContain("redis://:***@127.0.0.1");
    const grid = ["queue-selftest", "--grid", "ms=150", "--grid", "fail=none,nan", "--seeds", "8"];
    const sweep = startCli(["sweep", ...grid, "--queue", "--out", out], env);
    procs.push(sweep);
    await until(() => lines(out).length >= 3, 90_000, "3 results");
    w1.child.kill("SIGKILL");
    expect(await sweep.exited).toBe(1); // the nan trials fail on purpose
    const got = lines(out);
    expect(got).toHaveLength(16);
    expect(new Set(got.map((l) => l.id)).size).toBe(16);
    expect(got.filter((l) => l.status === "ok")).toHaveLength(8);
    expect(sweep.out).toMatch(/on the queue redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/0/);
    // the same sweep on the local pool: same ids, same outcomes, bit for bit
    const trials = planTrials(buildSpec("queue-selftest", { grid: ["ms=150", "fail=none,nan"], seeds: 8 }));
    const pool = new Map<string, string>();
    await runLocalPool(trials, { workers: 2, onOutcome: (t, o) => pool.set(t.id, JSON.stringify({ id: t.id, experiment: t.experiment, params: t.params, seed: t.seed, ...o })) });
    expect(new Map(got.map((l) => [l.id, JSON.stringify(l)]))).toEqual(pool);
    // a second coordinator (a fresh folder) collects the finished jobs from Redis instead of re-running them
    const out2 = tmp();
    const again = await runCli(["sweep", ...grid, "--queue", "--out", out2], env);
    expect(again.code).toBe(1);
    expect(new Map(lines(out2).map((l) => [l.id, JSON.stringify(l)]))).toEqual(pool);
    // status sees the finished sweep
    const st = await runCli(["status", "--once", "--out", out], env);
    expect(st.code).toBe(0);
    expect(st.out).toContain("sweep: 16 / 16 finished (8 ok, 8 failed)");
    expect(st.out).toMatch(/vm|:\d+: \d+ trials in the last 60 s/);
    // the password appears in no output and no file
    for (const text of [sweep.out, sweep.err, w1.out, w1.err, w2.out, w2.err, st.out, st.err]) expect(text).not.toContain(PASSWORD);
    for (const f of allFiles(out)) expect(readFileSync(f, "utf8")).not.toContain(PASSWORD);
    expect(readFileSync(join(out, "sweep.json"), "utf8")).toContain("redis://:***@");
    survivor = w2; // serves the next test
  }, 300_000);

  it("untrusted payloads: each bad job is a failed trial with the reason, and the worker keeps going", async () => {
    const w = survivor ?? worker();
    await until(() => w.out.includes("serving"), 90_000, "worker");
    const q = new Queue(QUEUE_NAME, { connection: { host: "127.0.0.1", port: redis.port, password: PASSWORD }, prefix: QUEUE_PREFIX });
    const goodParams = { ms: 0, seed: 5, fail: "none" };
    const bad: Record<string, unknown> = {
      unknownExperiment: { id: "x", experiment: "rm -rf", params: {}, seed: 0 },
      unknownParam: { id: "x", experiment: "queue-selftest", params: { ms: 0, path: "../../etc/passwd" }, seed: 0 },
      wrongType: { id: "x", experiment: "queue-selftest", params: { ms: "0" }, seed: 0 },
      outOfRange: { id: "x", experiment: "queue-selftest", params: { ms: 1e9 }, seed: 0 },
      oversized: { id: "x", experiment: "queue-selftest", params: { ms: 0, pad: "x".repeat(100_000) }, seed: 0 },
      extraField: { id: "x", experiment: "queue-selftest", params: {}, seed: 0, eval: "process.exit(1)" },
      good: { id: trialId("queue-selftest", goodParams, 5), experiment: "queue-selftest", params: goodParams, seed: 5 },
    };
    await q.addBulk(Object.entries(bad).map(([name, data]) => ({ name, data, opts: { jobId: `bad-${name}` } })));
    // a trial that kills its sandbox thread every time: retried with backoff, then failed once with every try's error
    const crashParams = { ms: 0, seed: 9, fail: "exit" };
    const crashId = trialId("queue-selftest", crashParams, 9);
    await q.add("queue-selftest", { id: crashId, experiment: "queue-selftest", params: crashParams, seed: 9 }, { jobId: crashId, attempts: 3, backoff: { type: "exponential", delay: 200 } });
    const values = new Map<string, { status: string; error?: string; result?: unknown }>();
    const t0 = Date.now();
    while (values.size < Object.keys(bad).length && Date.now() - t0 < 90_000) {
      for (const name of Object.keys(bad)) {
        const job = await Job.fromId(q, `bad-${name}`);
        if (job?.finishedOn && job.returnvalue) values.set(name, job.returnvalue as { status: string });
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    let crashed: Job | undefined;
    for (const t1 = Date.now(); Date.now() - t1 < 90_000; await new Promise((r) => setTimeout(r, 200))) {
      crashed = await Job.fromId(q, crashId);
      if (crashed?.finishedOn) break;
    }
    expect(await q.getJobState(crashId)).toBe("failed");
    expect(crashed!.attemptsMade).toBe(3);
    expect(crashed!.stacktrace).toHaveLength(3);
    expect(crashed!.failedReason).toMatch(/Unexpected exit code: 3/);
    await q.close();
    expect(values.get("good")).toEqual({ status: "ok", result: { seed: 5 } });
    const reason = (name: string) => { expect(values.get(name)?.status).toBe("failed"); return values.get(name)!.error!; };
    expect(reason("unknownExperiment")).toMatch(/^invalid payload: unknown experiment "rm -rf"; valid ids: /);
    expect(reason("unknownParam")).toMatch(/unknown param "path"/);
    expect(reason("wrongType")).toMatch(/invalid params: ms/);
    expect(reason("outOfRange")).toMatch(/invalid params: ms/);
    expect(reason("oversized")).toMatch(/payload too large/);
    expect(reason("extraField")).toMatch(/unknown field "eval"/);
    expect(w.child.exitCode).toBe(null); // still serving
    w.child.kill("SIGTERM");
    expect(await w.exited).toBe(0);
  }, 300_000);

  it("graceful shutdown: SIGTERM finishes the current trial; a second signal hands it back; both exit 0", async () => {
    const q = new Queue(QUEUE_NAME, { connection: { host: "127.0.0.1", port: redis.port, password: PASSWORD }, prefix: QUEUE_PREFIX });
    const job = (seed: number) => { const params = { ms: 1000, seed, fail: "none" }; return { id: trialId("queue-selftest", params, seed), experiment: "queue-selftest", params, seed }; };
    const a = job(101), b = job(102);
    const w = worker();
    await until(() => w.out.includes("serving"), 90_000, "worker");
    await q.add("queue-selftest", a, { jobId: a.id });
    let state = "";
    const t0 = Date.now();
    while (state !== "active" && Date.now() - t0 < 10_000) { state = await q.getJobState(a.id); await new Promise((r) => setTimeout(r, 50)); }
    w.child.kill("SIGTERM");
    expect(await w.exited).toBe(0);
    expect(await q.getJobState(a.id)).toBe("completed");
    expect((await Job.fromId(q, a.id))!.returnvalue).toEqual({ status: "ok", result: { seed: 101 } });
    const w2 = worker();
    await until(() => w2.out.includes("serving"), 90_000, "worker");
    await q.add("queue-selftest", b, { jobId: b.id });
    state = "";
    while (state !== "active" && Date.now() - t0 < 20_000) { state = await q.getJobState(b.id); await new Promise((r) => setTimeout(r, 50)); }
    w2.child.kill("SIGTERM");
    await until(() => w2.out.includes("finishing the current trial"), 5000, "first signal");
    w2.child.kill("SIGTERM");
    expect(await w2.exited).toBe(0);
    expect(w2.out).toContain("handing the current trial back");
    expect(await q.getJobState(b.id)).toBe("waiting");
    await q.close();
  }, 300_000);
});

describe.skipIf(!REDIS)("Redis over TLS (rediss:// + --tls-ca)", () => {
  it("connects with the private CA, and without it fails in one line naming the redacted URL", async () => {
    const tls = makeTlsFiles(tmp());
    if (!tls) {
      console.warn("TLS test skipped: openssl not found");
      return;
    }
    const redis = await startRedis({ password: PASSWORD, tls });
    try {
      const env = { REGULARIZE_QUEUE: redis.url };
      const ok = await runCli(["status", "--once", "--tls-ca", tls.ca], env);
      expect(ok.code).toBe(0);
      expect(ok.out).toContain(`queue rediss://:***@127.0.0.1:${redis.port}/0 "trials": waiting 0`);
      const bad = await runCli(["status", "--once"], env);
      expect(bad.code).toBe(2);
      expect(bad.err.trim()).toBe(`regularize status: cannot reach Redis at rediss://:***@127.0.0.1:${redis.port}/0: SELF_SIGNED_CERT_IN_CHAIN`);
      for (const t of [ok.out, ok.err, bad.out, bad.err]) expect(t).not.toContain(PASSWORD);
    } finally {
      await redis.stop();
    }
  }, 300_000);
});

describe.skipIf(!REDIS)("Redis auth", () => {
  it("wrong credentials: one line naming the host, exit 2, password redacted everywhere", async () => {
    const redis = await startRedis({ password: PASSWORD });
    try {
      const wrong = `${PASSWORD}-wrong`;
      for (const cmd of [["worker"], ["status", "--once"]]) {
        const r = await runCli(cmd, { REGULARIZE_QUEUE: `redis://:${wrong}@127.0.0.1:${redis.port}/0` });
        expect(r.code).toBe(2);
        expect(r.err.trim().split("\n")).toHaveLength(1);
        expect(r.err).toMatch(new RegExp(`regularize ${cmd[0]}: Redis at 127\\.0\\.0\\.1:${redis.port} refused the credentials \\((WRONGPASS|ERR)`));
        expect(r.out + r.err).not.toContain(wrong);
        expect(r.out + r.err).not.toContain(PASSWORD);
      }
    } finally {
      await redis.stop();
    }
  }, 300_000);
});
