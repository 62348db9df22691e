/** The fit figure that needs its own process: RSS over a long fit() (the CLI's wall time: cli-mnist1d.ts). */
import { spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "../..");

function run(cmd: string, args: readonly string[], onLine?: (line: string, ms: number) => void): Promise<{ code: number | null; out: string; err: string; ms: number }> {
  return new Promise((res) => {
    const t0 = performance.now();
    const p = spawn(cmd, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "";
    p.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (onLine) for (const l of d.toString().split(/\r|\n/)) if (l.trim()) onLine(l, performance.now() - t0);
    });
    p.stderr.on("data", (d: Buffer) => {
      err += d.toString();
      if (onLine) for (const l of d.toString().split(/\r|\n/)) if (l.trim()) onLine(l, performance.now() - t0);
    });
    p.on("error", (e) => res({ code: -1, out, err: String(e), ms: performance.now() - t0 }));
    p.on("exit", (code) => res({ code, out, err, ms: performance.now() - t0 }));
  });
}

/** RSS samples of a 30 000-step fit() with plugins, in a child process (src/fit-rss.ts). */
export async function fitRss(steps: number): Promise<{ steps: number; compiled: boolean; seconds: number; samples: { step: number; rssMB: number; heapMB: number }[] } | string> {
  const tsx = resolve(ROOT, "node_modules/.bin/tsx");
  const r = await run(tsx, ["--conditions=source", resolve(HERE, "fit-rss.ts"), String(steps)]);
  if (r.code !== 0) return `fit-rss failed (${r.code}): ${r.err.slice(-400)}`;
  return JSON.parse(r.out.trim().split("\n").pop()!) as { steps: number; compiled: boolean; seconds: number; samples: { step: number; rssMB: number; heapMB: number }[] };
}
