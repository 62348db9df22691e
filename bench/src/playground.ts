/**
 * The playground's worker in headless Chromium (issue 17): builds apps/playground with Vite into a
 * temp dir, serves the built files on a loopback port, drives Debian's Chromium (/usr/bin/chromium,
 * never a downloaded browser) with playwright-core, opens the plugin lab with one configuration
 * (the MNIST-1D MLP, Adam, a batch size and catalog plugins, all from the URL as a shared link
 * carries them) and presses "Run again" as a user does. Steps/s is the worker's own figure: its
 * "done" message's average over the run (first to last progress report with a step count; the
 * recording of the compiled step and the data generation come before the first report). The page's
 * `Worker` is wrapped by an init script only to listen to the messages the app receives; the value
 * the run bar shows is read too. Each round also runs the same registry entry with the same params
 * in a fresh Node process (src/playground-node.ts): the lab starts a fresh worker per training; a
 * second run in that process gives Node's warm figure beside it.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { PluginChoice } from "@regularize/experiments";
import { type Browser, type Page, chromium } from "playwright-core";
import { CHROMIUM_FLAGS } from "./browser.js";
import { median } from "./stats.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "../..");
const APP = resolve(ROOT, "apps/playground");

/** One configuration of the lab, measured in the browser and in Node. */
export interface PlaygroundConfig {
  readonly id: string;
  readonly batch: number;
  readonly steps: number;
  readonly plugins: readonly PluginChoice[];
}

/** The configurations of the figure (issue 17: batch 10 and 100, and l2 + dropout at batch 10). */
export function playgroundConfigs(quick: boolean): PlaygroundConfig[] {
  const s10 = quick ? 1000 : 4000, s100 = quick ? 400 : 1500;
  return [
    { id: "b10", batch: 10, steps: s10, plugins: [] },
    { id: "b100", batch: 100, steps: s100, plugins: [] },
    { id: "b10 l2+dropout", batch: 10, steps: s10, plugins: [{ name: "l2", options: { lambda: 1e-4 } }, { name: "dropout", options: { rate: 0.1 } }] },
  ];
}

/** The lab's fixed params for a configuration (evalEvery above the steps: no test evaluation inside the run). */
function labParams(c: PlaygroundConfig) {
  return { steps: c.steps, lr: 0.01, samples: 5000, split: 0.8, evalEvery: 5000, batch: c.batch, seed: 42 };
}

export interface PlaygroundRow {
  readonly config: PlaygroundConfig;
  /** The worker's steps/s per round (its "done" message). */
  readonly browser: number[];
  /** What the run bar showed after each round (rounded steps/s). */
  readonly shown: number[];
  /** Node's steps/s per round, same entry and params, a fresh process (cold, as the worker). */
  readonly node: number[];
  /** Node's steps/s of a second run in the same process (warm). */
  readonly nodeWarm: number[];
  readonly browserMedian: number;
  readonly nodeMedian: number;
  readonly nodeWarmMedian: number;
  /** browser steps/s / Node (cold) steps/s (medians). */
  readonly ratio: number;
}

export interface PlaygroundFigure {
  readonly userAgent: string;
  readonly buildSeconds: number;
  readonly rows: PlaygroundRow[];
  /** console warnings of the page and its workers (fit's eager-fallback notice would show here), and Node's. */
  readonly notices: string[];
}

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".wasm": "application/wasm", ".json": "application/json" };

function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const file = resolve(dir, "." + (path === "/" ? "/index.html" : path));
    if (!(file === dir || file.startsWith(dir + sep)) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  return new Promise((res, rej) => {
    server.once("error", rej);
    server.listen(0, "127.0.0.1", () => {
      const a = server.address();
      res({ server, url: `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}/` });
    });
  });
}

function exec(cmd: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((res) => {
    const p = spawn(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "";
    p.stdout.on("data", (d: Buffer) => { out += d.toString(); });
    p.stderr.on("data", (d: Buffer) => { err += d.toString(); });
    const timer = setTimeout(() => p.kill(), timeoutMs);
    p.on("error", (e) => { clearTimeout(timer); res({ code: -1, out, err: String(e) }); });
    p.on("exit", (code) => { clearTimeout(timer); res({ code, out, err }); });
  });
}

/** Listens to every worker's messages (the app's own handlers are untouched). */
function recordWorkers(): void {
  const Native = window.Worker;
  const runs: { stepsPerSec: number | null; ms: number; type: string; name?: string; message?: string }[] = [];
  (window as unknown as { __benchRuns: typeof runs }).__benchRuns = runs;
  window.Worker = class extends Native {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      this.addEventListener("message", (e: MessageEvent<{ type?: string; stepsPerSec?: number; ms?: number; name?: string; message?: string }>) => {
        const m = e.data;
        if (m && (m.type === "done" || m.type === "error" || m.type === "cancelled")) {
          runs.push({ type: m.type, stepsPerSec: m.stepsPerSec ?? null, ms: m.ms ?? NaN, ...(m.type === "error" ? { name: m.name, message: m.message } : {}) });
        }
      });
    }
  };
}

interface RunRecord { stepsPerSec: number | null; ms: number; type: string; name?: string; message?: string }

/** Waits for the lab's run bar to finish run number `after + 1` or later; returns the worker's record of it and the shown rate. */
async function finishedRun(page: Page, after: number, timeout: number): Promise<{ run: RunRecord; shown: number }> {
  await page.waitForFunction((b) => {
    const el = document.querySelector('[data-testid="runbar"]');
    const st = el?.getAttribute("data-status");
    return Number(el?.getAttribute("data-run")) > b && (st === "done" || st === "error");
  }, after, { timeout, polling: 50 });
  const runs = await page.evaluate(() => (window as unknown as { __benchRuns: RunRecord[] }).__benchRuns);
  const run = runs.at(-1);
  if (!run || run.type !== "done") {
    const errors = await page.locator('[data-testid="lab-errors"]').allTextContents();
    throw new Error(`the lab's run did not finish: ${JSON.stringify(run)} ${errors.join("; ")}`);
  }
  const shown = Number(await page.getAttribute('[data-testid="steps-per-sec"]', "data-value"));
  return { run, shown };
}

async function nodeRun(c: PlaygroundConfig, notices: string[]): Promise<{ cold: number; warm: number }> {
  const tsx = resolve(ROOT, "node_modules/.bin/tsx");
  const r = await exec(tsx, ["--conditions=source", join(HERE, "playground-node.ts"), JSON.stringify({ params: labParams(c), plugins: c.plugins })], ROOT, 300_000);
  if (r.code !== 0) throw new Error(`playground-node failed (${r.code}): ${r.err.slice(-400)}`);
  const o = JSON.parse(r.out.trim().split("\n").pop()!) as { stepsPerSec: number; warmStepsPerSec: number; notices: string[] };
  notices.push(...o.notices.map((n) => `node: ${n}`));
  return { cold: o.stepsPerSec, warm: o.warmStepsPerSec };
}

/**
 * Build, serve, measure. Returns a reason string instead when it cannot run here (no Chromium, the
 * build fails). `rounds` interleaved rounds per configuration (browser then Node, the order
 * alternating by round), after one warm-up run in the page (chunks fetched, caches filled).
 */
export async function playgroundFigure(opts: { rounds: number; quick: boolean; chromium?: string; log?: (s: string) => void }): Promise<PlaygroundFigure | string> {
  const exe = opts.chromium ?? process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(exe)) return `skipped: ${exe} not found (apt-get install chromium; the bench never downloads a browser)`;
  const vite = resolve(APP, "node_modules/.bin/vite");
  if (!existsSync(vite)) return `skipped: ${vite} not found (./scripts/pnpm install)`;
  const tmp = mkdtempSync(join(tmpdir(), "bench-playground-"));
  let browser: Browser | undefined, server: Server | undefined;
  try {
    const out = join(tmp, "dist");
    const tb = performance.now();
    const b = await exec(vite, ["build", "--outDir", out, "--emptyOutDir", "--logLevel", "error"], APP, 300_000);
    if (b.code !== 0) return `skipped: the playground's build failed (${b.code}): ${b.err.slice(-400)}`;
    const buildSeconds = (performance.now() - tb) / 1000;
    const s = await serve(out);
    server = s.server;
    browser = await chromium.launch({ executablePath: exe, headless: true, args: CHROMIUM_FLAGS });
    const notices: string[] = [];
    const rows: PlaygroundRow[] = [];
    let userAgent = "";
    for (const c of playgroundConfigs(opts.quick)) {
      const page = await browser.newPage();
      page.on("console", (m) => { if (m.type() === "warning" || m.type() === "error") notices.push(`page: ${m.text()}`); });
      page.on("pageerror", (e) => notices.push(`pageerror: ${e.message}`));
      await page.addInitScript(recordWorkers);
      const p = labParams(c);
      const query = new URLSearchParams({ setup: JSON.stringify([{ plugins: c.plugins }]), steps: String(p.steps), batch: String(p.batch), samples: String(p.samples), evalEvery: String(p.evalEvery), lr: String(p.lr) });
      await page.goto(`${s.url}#/lab?${query.toString()}`);
      userAgent ||= await page.evaluate(() => navigator.userAgent);
      // the lab must show exactly this configuration (a link it cannot parse falls back to its default setup)
      await page.waitForSelector('[data-testid="config-0"]');
      const shownConfigs = await page.locator('section[data-testid^="config-"]').count();
      const missing: string[] = [];
      for (const pl of c.plugins) if ((await page.locator(`[data-testid="config-0-${pl.name}"]`).count()) !== 1) missing.push(pl.name);
      if (shownConfigs !== 1 || missing.length > 0) throw new Error(`the lab did not take the configuration ${c.id} from the link: ${shownConfigs} configuration(s), missing ${missing.join(", ") || "none"}`);
      // warm-up: the run the page starts by itself when opened from a link
      await finishedRun(page, 0, 300_000);
      const browserRates: number[] = [], shown: number[] = [], nodeRates: number[] = [], nodeWarm: number[] = [];
      for (let round = 0; round < opts.rounds; round++) {
        const inBrowser = async () => {
          const before = Number(await page.getAttribute('[data-testid="runbar"]', "data-run"));
          await page.click('[data-testid="rerun"]'); // "Run again", as a user does
          const r = await finishedRun(page, before, 300_000);
          browserRates.push(r.run.stepsPerSec ?? NaN);
          shown.push(r.shown);
        };
        const inNode = async () => { const n = await nodeRun(c, notices); nodeRates.push(n.cold); nodeWarm.push(n.warm); };
        if (round % 2 === 0) { await inBrowser(); await inNode(); } else { await inNode(); await inBrowser(); }
        opts.log?.(`    ${c.id} round ${round + 1}: browser worker ${browserRates.at(-1)!.toFixed(0)} steps/s (run bar shows ${shown.at(-1)}), Node ${nodeRates.at(-1)!.toFixed(0)} steps/s (warm ${nodeWarm.at(-1)!.toFixed(0)})`);
      }
      await page.close();
      const bm = median(browserRates), nm = median(nodeRates);
      rows.push({ config: c, browser: browserRates, shown, node: nodeRates, nodeWarm, browserMedian: bm, nodeMedian: nm, nodeWarmMedian: median(nodeWarm), ratio: bm / nm });
    }
    return { userAgent, buildSeconds, rows, notices };
  } finally {
    await browser?.close();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    rmSync(tmp, { recursive: true, force: true });
  }
}

// `tsx src/playground.ts [--quick]`: run it alone
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes("--quick");
  const r = await playgroundFigure({ rounds: quick ? 1 : 3, quick, log: (s) => console.log(s) });
  console.log(typeof r === "string" ? r : JSON.stringify(r, null, 2));
}
