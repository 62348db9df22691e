// Test helpers: the CLI as a child process (from its sources, through tsx) and a real redis-server
// started on a free loopback port (never a mock).
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
const CWD = fileURLToPath(new URL("..", import.meta.url));

/** A running CLI process with its collected output. */
export interface CliProc {
  readonly child: ChildProcess;
  out: string;
  err: string;
  readonly exited: Promise<number | null>;
}

/** Start `regularize <args>` from the sources. */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliProc {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=source", CLI, ...args], {
    cwd: CWD, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0", ...env },
  });
  const p: CliProc = {
    child, out: "", err: "",
    exited: new Promise((resolve) => child.on("exit", (code, sig) => resolve(code ?? (sig ? 128 : null)))),
  };
  child.stdout!.on("data", (d: Buffer) => { p.out += d.toString(); });
  child.stderr!.on("data", (d: Buffer) => { p.err += d.toString(); });
  return p;
}

/** Run `regularize <args>` to completion. */
export async function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string; err: string }> {
  const p = startCli(args, env);
  const code = await p.exited;
  return { code, out: p.out, err: p.err };
}

/** Poll until `cond` holds (or fail after `timeoutMs`). */
export async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Path of Debian's redis-server, or undefined (the Redis tests are then skipped, saying so). */
export function redisServerPath(): string | undefined {
  for (const p of [process.env.REDIS_SERVER, "/usr/bin/redis-server", "/usr/local/bin/redis-server"]) if (p && existsSync(p)) return p;
  const r = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}

/** A redis-server of our own on a free loopback port, optionally with a password; stop() kills it. */
export async function startRedis(opts: { password?: string; tls?: { cert: string; key: string; ca: string } } = {}): Promise<{ port: number; url: string; stop: () => Promise<void> }> {
  const bin = redisServerPath();
  if (!bin) throw new Error("redis-server not found");
  const port = await freePort();
  const listen = opts.tls
    ? ["--port", "0", "--tls-port", String(port), "--tls-cert-file", opts.tls.cert, "--tls-key-file", opts.tls.key, "--tls-ca-cert-file", opts.tls.ca, "--tls-auth-clients", "no"]
    : ["--port", String(port)];
  const args = [...listen, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", "/tmp", ...(opts.password ? ["--requirepass", opts.password] : [])];
  const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout!.on("data", (d: Buffer) => { log += d.toString(); });
  await until(() => /Ready to accept connections/.test(log), 10_000, `redis-server on port ${port}`);
  const auth = opts.password ? `:${encodeURIComponent(opts.password)}@` : "";
  return {
    port,
    url: `${opts.tls ? "rediss" : "redis"}://${auth}127.0.0.1:${port}/0`,
    stop: async () => {
      if (child.exitCode !== null) return;
      const gone = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await gone;
    },
  };
}

/** A throw-away CA and a server certificate for 127.0.0.1 (openssl), or undefined when openssl is missing. */
export function makeTlsFiles(dir: string): { cert: string; key: string; ca: string } | undefined {
  const run = (cmd: string) => spawnSync("sh", ["-c", cmd], { cwd: dir, encoding: "utf8" }).status === 0;
  if (!run("command -v openssl >/dev/null")) return undefined;
  const ok = run("openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=test-ca")
    && run("openssl req -newkey rsa:2048 -nodes -keyout srv.key -out srv.csr -subj /CN=localhost")
    && run("printf 'subjectAltName=IP:127.0.0.1,DNS:localhost' > ext.cnf && openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem -days 2 -extfile ext.cnf");
  return ok ? { cert: `${dir}/srv.pem`, key: `${dir}/srv.key`, ca: `${dir}/ca.pem` } : undefined;
}
