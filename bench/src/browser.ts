/**
 * Browser variant of the MLP benchmark: bundles src/browser-entry.ts with esbuild (tsx's own copy,
 * no extra dependency) into a self-contained HTML page and runs it in the system's headless
 * Chromium (/usr/bin/chromium, never a downloaded browser) with `--dump-dom`, which returns once the
 * page's synchronous benchmark script has finished. Returns null with a reason when Chromium is
 * missing.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
export const CHROMIUM_FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync",
];

/** Timings of one figure in the page. */
export interface BrowserTiming { readonly msPerStep: number; readonly stepsPerSec: number; readonly samples: readonly number[] }
/** What the page reports. */
export interface BrowserResult {
  readonly userAgent: string;
  readonly backend: string;
  readonly b100: Record<"engine" | "engine jit" | "engine jit f32" | "engine TS", BrowserTiming>;
  readonly b10: Record<"engine" | "engine jit" | "engine jit f32" | "engine TS", BrowserTiming>;
}

interface Esbuild { build(o: object): Promise<{ outputFiles: { text: string }[] }> }

async function bundle(): Promise<string> {
  const req = createRequire(createRequire(import.meta.url).resolve("tsx/package.json"));
  const esbuild = req("esbuild") as Esbuild;
  const r = await esbuild.build({
    entryPoints: [join(HERE, "browser-entry.ts")],
    bundle: true, write: false, format: "iife", platform: "browser", target: "chrome120",
    conditions: ["source"], minify: false, logLevel: "silent",
  });
  return r.outputFiles[0]!.text;
}

/** Run the page in headless Chromium; `null` + reason when it cannot run here. */
export async function runBrowserBench(opts: { rounds: number; blockMs: number; chromium?: string; timeoutMs?: number }): Promise<BrowserResult | string> {
  const chromium = opts.chromium ?? "/usr/bin/chromium";
  if (!existsSync(chromium)) return `${chromium} not found (apt-get install chromium)`;
  const js = await bundle();
  const dir = mkdtempSync(join(tmpdir(), "regularize-browser-bench-"));
  try {
    const page = join(dir, "index.html");
    // </script> cannot occur in the bundle's code except inside strings; escape defensively
    writeFileSync(page, `<!doctype html><meta charset="utf-8"><title>bench</title><body><script>${js.replaceAll("</script", "<\\/script")}</script></body>`);
    const url = `${pathToFileURL(page).href}?rounds=${opts.rounds}&blockMs=${opts.blockMs}`;
    const args = [...CHROMIUM_FLAGS, `--user-data-dir=${join(dir, "profile")}`, "--dump-dom", url];
    const html = await new Promise<string>((res, rej) => {
      const p = spawn(chromium, args, { stdio: ["ignore", "pipe", "pipe"] });
      let out = "", err = "";
      p.stdout.on("data", (d: Buffer) => { out += d.toString(); });
      p.stderr.on("data", (d: Buffer) => { err += d.toString(); });
      const timer = setTimeout(() => { p.kill(); rej(new Error(`chromium timed out: ${err.slice(-500)}`)); }, opts.timeoutMs ?? 180_000);
      p.on("error", rej);
      p.on("exit", (code) => { clearTimeout(timer); code === 0 ? res(out) : rej(new Error(`chromium exited ${code}: ${err.slice(-1000)}`)); });
    });
    const m = /<pre id="result">([\s\S]*?)<\/pre>/.exec(html);
    if (!m) return `the page produced no result (${html.slice(0, 300)})`;
    const text = m[1]!.replaceAll("&quot;", '"').replaceAll("&amp;", "&").replaceAll("&lt;", "<").replaceAll("&gt;", ">");
    return JSON.parse(text) as BrowserResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// `tsx src/browser.ts`: run it alone
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = await runBrowserBench({ rounds: 5, blockMs: 100 });
  console.log(typeof r === "string" ? r : JSON.stringify(r, null, 2));
}
