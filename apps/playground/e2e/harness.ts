import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, type Page, chromium } from "playwright-core";
import { type PreviewServer, build, preview } from "vite";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const RESULTS = join(ROOT, ".test-results");
export const SHOTS = join(RESULTS, "screenshots");

/** Flags from TOOLCHAIN.md §4. */
export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface Harness {
  readonly url: string;
  readonly browser: Browser;
  close(): Promise<void>;
}

/** Builds the site (unless E2E_SKIP_BUILD=1 and dist/ exists), serves it with `vite preview`, launches Chromium. */
export async function startHarness(): Promise<Harness> {
  mkdirSync(SHOTS, { recursive: true });
  if (process.env.E2E_SKIP_BUILD !== "1") {
    await build({ root: ROOT, configFile: join(ROOT, "vite.config.ts"), logLevel: "warn" });
  }
  const port = await freePort();
  const server: PreviewServer = await preview({
    root: ROOT, configFile: join(ROOT, "vite.config.ts"), logLevel: "warn",
    preview: { host: "127.0.0.1", port, strictPort: true, open: false },
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

export interface PageWatch {
  readonly page: Page;
  readonly errors: string[];
  /** Stops the page's trace and returns the main-thread tasks after the panel mounted (see mainThreadTasks). */
  stopTrace(): Promise<TaskStats>;
}

/** Main-thread tasks of the renderer from a Chromium trace, after the "panel-mounted" mark. */
export interface TaskStats {
  /** Longest task in wall-clock time (ms). */
  readonly wallMax: number;
  /** Longest task in CPU time of the main thread (ms): unaffected by other processes competing for the cores. */
  readonly cpuMax: number;
  readonly count: number;
}

const TRACE_CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "blink.user_timing"];
let tracing: Browser | null = null;

interface TraceEvent { name: string; ph: string; ts: number; dur?: number; tdur?: number; pid: number; tid: number; args?: { name?: string; beginData?: { url?: string } } }

function mainThreadTasks(trace: Buffer): TaskStats {
  const events = (JSON.parse(trace.toString("utf8")) as { traceEvents: TraceEvent[] }).traceEvents;
  // the page's renderer only (headless Chromium also runs its own WebUI renderers): the one that parsed our HTML
  const pagePids = new Set(events.filter((e) => e.name === "ParseHTML" && e.args?.beginData?.url?.startsWith("http://127.0.0.1")).map((e) => e.pid));
  const mains = new Set(events.filter((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain" && pagePids.has(e.pid)).map((e) => `${e.pid}:${e.tid}`));
  const mark = events.find((e) => e.name === "panel-mounted" && pagePids.has(e.pid));
  const since = mark?.ts ?? 0;
  const tasks = events.filter((e) => e.ph === "X" && e.name === "RunTask" && mains.has(`${e.pid}:${e.tid}`) && e.ts >= since);
  return {
    wallMax: Math.round(Math.max(0, ...tasks.map((t) => (t.dur ?? 0) / 1000))),
    cpuMax: Math.round(Math.max(0, ...tasks.map((t) => (t.tdur ?? 0) / 1000))),
    count: tasks.length,
  };
}

declare global {
  interface Window {
    __longTasks: { start: number; duration: number }[];
    __firstFrame?: number;
  }
}

/** A new page that records console errors, page errors, failed requests and long tasks (PerformanceObserver). */
export async function openPage(h: Harness, hash: string, opts: { width?: number; dark?: boolean } = {}): Promise<PageWatch> {
  const page = await h.browser.newPage({ viewport: { width: opts.width ?? 1200, height: 900 }, colorScheme: opts.dark ? "dark" : "light", acceptDownloads: true });
  const errors: string[] = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("requestfailed", (r) => { if (!r.url().startsWith("blob:")) errors.push(`requestfailed: ${r.url()}`); });
  page.on("response", (r) => { if (r.status() >= 400) errors.push(`http ${r.status()}: ${r.url()}`); });
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: "longtask", buffered: true });
  });
  if (tracing) await tracing.stopTracing().catch(() => undefined);
  await h.browser.startTracing(undefined, { categories: TRACE_CATEGORIES });
  tracing = h.browser;
  await page.goto(`${h.url}${hash}`);
  const stopTrace = async (): Promise<TaskStats> => {
    if (tracing !== h.browser) return { wallMax: 0, cpuMax: 0, count: 0 };
    tracing = null;
    const buf = await h.browser.stopTracing();
    if (process.env.E2E_DEBUG) writeFileSync(join(RESULTS, `trace-${hash.replace(/[^a-z0-9]+/gi, "_")}.json`), buf);
    return mainThreadTasks(buf);
  };
  return { page, errors, stopTrace };
}

/** Waits until the panel's run bar says "done" (or fails on an error status). Returns the worker's run time in ms. */
export async function waitDone(page: Page, timeout = 60_000): Promise<number> {
  const handle = await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid="runbar"]');
    const st = el?.getAttribute("data-status");
    if (st !== "done" && st !== "error") return false;
    return { status: st, text: el?.textContent ?? "", ms: Number(el?.querySelector('[data-testid="run-ms"]')?.getAttribute("data-ms")) };
  }, undefined, { timeout, polling: 50 });
  const r = (await handle.jsonValue()) as { status: string; text: string; ms: number };
  if (r.status !== "done") throw new Error(`run ended with ${r.status}: ${r.text}`);
  return r.ms;
}

/** Waits until every plot on the page is drawn and no build is pending (a quiet 300 ms). */
export async function waitPlotsDrawn(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(() => [...document.querySelectorAll(".plot")].every((p) => p.getAttribute("data-drawn") !== "0"),
    undefined, { timeout, polling: 50 });
  await page.waitForTimeout(300);
  const failed = await page.$$eval('.plot[data-drawn="error"]', (ps) => ps.map((p) => p.textContent ?? ""));
  if (failed.length) throw new Error(`plots failed: ${failed.join("; ")}`);
}

/** Waits for a new run to start and finish after an action (e.g. moving a slider). */
export async function rerunAfter(page: Page, action: () => Promise<void>, timeout = 60_000): Promise<number> {
  const before = Number(await page.getAttribute('[data-testid="runbar"]', "data-run"));
  await action();
  await page.waitForFunction((b) => Number(document.querySelector('[data-testid="runbar"]')?.getAttribute("data-run")) > b,
    before, { timeout: 10_000, polling: 20 });
  return waitDone(page, timeout);
}

export async function readout(page: Page, testId: string): Promise<string> {
  return (await page.textContent(`[data-testid="${testId}"]`)) ?? "";
}

/** Parses "(a, b)" or a list of numbers from a readout. */
export function numbers(text: string): number[] {
  return (text.match(/-?\d+(\.\d+)?(e-?\d+)?/g) ?? []).map(Number);
}

/** Sets a range input's value as a user would (keyboard-free), firing input events. */
export async function setRange(page: Page, testId: string, value: number): Promise<void> {
  await page.$eval(`[data-testid="${testId}"]`, (el, v) => {
    const input = el as HTMLInputElement;
    input.value = String(v);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }, value);
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Longest task (ms) observed after `since` (ms after navigation), and the longest before it (page load). */
export async function longTasks(page: Page, since: number): Promise<{ max: number; loadMax: number; count: number }> {
  const all = await page.evaluate(() => window.__longTasks);
  const after = all.filter((t) => t.start >= since);
  const before = all.filter((t) => t.start < since);
  return {
    max: Math.round(Math.max(0, ...after.map((t) => t.duration))),
    loadMax: Math.round(Math.max(0, ...before.map((t) => t.duration))),
    count: after.length,
  };
}

/** ms after navigation at which the panel mounted (its chunk loaded), or 0 on the home page. */
export async function mountedAt(page: Page): Promise<number> {
  return page.evaluate(() => performance.getEntriesByName("panel-mounted")[0]?.startTime ?? 0);
}

export async function firstFrame(page: Page): Promise<number | null> {
  return page.evaluate(() => window.__firstFrame ?? null);
}

/** Horizontal overflow of the page (px beyond the viewport; 0 = none). */
export async function overflowX(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

export interface AxeViolation { id: string; impact: string | null; help: string; nodes: string[] }

/** Runs axe-core 4.x in the page; returns the serious and critical violations. */
export async function axe(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    const w = window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } };
    const r = await w.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
  });
}

/** Per-route measurements, written to .test-results/e2e-metrics.json and printed at the end. */
export const metrics: Record<string, Record<string, number | string | null>> = {};
export function record(route: string, values: Record<string, number | string | null>): void {
  metrics[route] = { ...(metrics[route] ?? {}), ...values };
}
