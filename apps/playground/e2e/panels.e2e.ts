import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkExport, commonChecks } from "./checks.js";
import {
  type Harness, RESULTS, metrics, numbers, openPage, readout, record, rerunAfter, setRange, shot, startHarness, waitDone,
} from "./harness.js";

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => {
  writeFileSync(join(RESULTS, "e2e-metrics.json"), JSON.stringify(metrics, null, 2));
  const { loadavg } = await import("node:os");
  console.log(`loadavg ${loadavg().map((l) => l.toFixed(1)).join(" ")} (cores shared with other jobs inflate wall-clock times)`);
  console.log("route            first frame  long task (PerfObserver, wall)  task CPU max  run (worker)");
  for (const [route, m] of Object.entries(metrics)) {
    console.log(`${route.padEnd(16)} ${String(m.firstFrameMs ?? "-").padStart(8)} ms ${String(m.longTaskMaxMs ?? "-").padStart(20)} ms ${String(m.taskCpuMaxMs ?? "-").padStart(14)} ms ${String(m.runMs ?? "-").padStart(10)} ms`);
  }
  await h?.close();
});

describe("home and not-found pages", () => {
  it("home lists every figure with its number", async () => {
    const w = await openPage(h, "#/");
    await w.page.waitForSelector(".panel-list li");
    const items = await w.page.$$eval(".panel-list li", (els) => els.map((e) => e.textContent ?? ""));
    expect(items.some((t) => t.includes("Figure 9.1"))).toBe(true);
    expect(items.some((t) => t.includes("Figure 9.14"))).toBe(true);
    expect(items.some((t) => t.includes("MNIST-1D"))).toBe(true);
    await commonChecks("home", w);
    await w.page.close();
  });
  it("an unknown route shows a not-found page that lists the figures", async () => {
    const w = await openPage(h, "#/fig-9-99");
    await w.page.waitForSelector('[data-testid="not-found"]');
    expect(await w.page.textContent("h1")).toBe("Not found");
    expect(await w.page.locator('[data-testid="not-found"] .panel-list li').count()).toBeGreaterThanOrEqual(8);
    await commonChecks("not-found", w);
    await w.page.close();
  });
});

describe("figure 9.1", () => {
  it("shows the regularised global minimum ≈ (0.086, 13.80), follows λ, exports and resets", async () => {
    const w = await openPage(h, "#/fig-9-1");
    const { page } = w;
    record("fig-9-1", { runMs: await waitDone(page) });
    const [m0, m1] = numbers(await readout(page, "global-min"));
    expect(m0).toBeCloseTo(0.086, 2);
    expect(m1).toBeCloseTo(13.8, 1);
    const [e0, e1] = numbers(await readout(page, "gd-end"));
    expect(e0).toBeCloseTo(0.1, 1);
    expect(e1).toBeCloseTo(13.48, 1);
    await commonChecks("fig-9-1", w);
    await page.setViewportSize({ width: 1200, height: 900 });
    await checkExport(page);
    await rerunAfter(page, () => setRange(page, "lambda", 0));
    expect(page.url()).toContain("lambda=0");
    const [g0, g1] = numbers(await readout(page, "global-min"));
    expect(g0).toBeCloseTo(0, 2);
    expect(g1).toBeCloseTo(16.03, 1);
    await rerunAfter(page, () => page.click('[data-testid="reset"]'));
    expect(page.url()).not.toContain("lambda");
    expect(numbers(await readout(page, "global-min"))[1]).toBeCloseTo(13.8, 1);
    expect(w.errors).toEqual([]);
    await page.close();
  });
  it("clamps an out-of-range URL value and says so", async () => {
    const w = await openPage(h, "#/fig-9-1?lambda=70&steps=abc");
    const { page } = w;
    const notice = await page.waitForSelector('[data-testid="url-notice"]');
    const text = (await notice.textContent()) ?? "";
    expect(text).toContain("lambda: 70 is above the maximum 10; using 10");
    expect(text).toContain("steps: “abc” is not a number");
    expect(await page.inputValue('[data-testid="lambda"]')).toBe("1"); // the slider's end; the run uses λ = 10
    await waitDone(page);
    expect(w.errors).toEqual([]);
    await page.close();
  });
});

describe("figure 9.2", () => {
  it("reproduces the §2 seed-1 table and follows the free λ", async () => {
    const w = await openPage(h, "#/fig-9-2?data=seed&seed=1&units=raw");
    const { page } = w;
    record("fig-9-2", { runMs: await waitDone(page) });
    const row = async (i: number) => (await page.$$eval(`[data-testid="row-${i}"] td`, (tds) => tds.map((td) => td.textContent ?? ""))).slice(1).map(Number);
    const r3 = await row(3); // λ = 1e-3
    expect(r3).toEqual([0.8776, 2.695, 1.1475, 0.6998, 0.2208, 0.657137].map((v, k) => expect.closeTo(v, k === 5 ? 5 : 3)));
    expect((await row(5)).at(-1)).toBeCloseTo(3.041165, 5);
    await commonChecks("fig-9-2", w);
    await rerunAfter(page, () => setRange(page, "lambda", -1));
    expect(page.url()).toContain("lambda=0.1");
    expect(Number(await readout(page, "free-sse"))).toBeCloseTo(3.041165, 5);
    expect(w.errors).toEqual([]);
    await page.close();
  });
});

describe("figure 9.3", () => {
  it("reports the three end points of notebook 9.2 and follows α", async () => {
    const w = await openPage(h, "#/fig-9-3");
    const { page } = w;
    record("fig-9-3", { runMs: await waitDone(page) });
    const d = numbers(await readout(page, "end-discrete"));
    expect(d[0]).toBeCloseTo(-0.2078, 3);
    expect(d[1]).toBeCloseTo(-0.0015, 3);
    expect(numbers(await readout(page, "end-flow"))[0]).toBeCloseTo(-0.2269, 2);
    expect(numbers(await readout(page, "end-modified"))[0]).toBeCloseTo(-0.2089, 2);
    await commonChecks("fig-9-3", w);
    await rerunAfter(page, () => setRange(page, "alpha", 0.1));
    expect(numbers(await readout(page, "end-discrete"))[0]).toBeCloseTo(-0.1878, 2);
    expect(numbers(await readout(page, "end-modified"))[0]).toBeCloseTo(-0.1926, 2);
    expect(w.errors).toEqual([]);
    await page.close();
  });
});

describe("figure 9.4", () => {
  it("shows the barely-moved minimum of the modified loss (default 101² grid)", async () => {
    const w = await openPage(h, "#/fig-9-4");
    const { page } = w;
    record("fig-9-4", { runMs: await waitDone(page) });
    const [l0, l1] = numbers(await readout(page, "loss-min"));
    expect(l0).toBeCloseTo(0, 1);
    expect(l1).toBeCloseTo(16.03, 1);
    const [m0, m1] = numbers(await readout(page, "modified-min"));
    expect(Math.hypot(m0! - l0!, m1! - l1!)).toBeLessThan(0.5);
    await commonChecks("fig-9-4", w);
    expect(w.errors).toEqual([]);
    await page.close();
  });
});

describe("figure 9.6", () => {
  it("trains the quick 10k preset with steps/s shown; Cancel keeps the snapshots computed so far", async () => {
    const w = await openPage(h, "#/fig-9-6?iterations=10000");
    const { page } = w;
    record("fig-9-6", { runMs: await waitDone(page, 120_000) });
    const l1k = Number(await readout(page, "loss-1000"));
    // an almost flat start like the book's 32.24 (the registry test's criterion: its value depends on
    // the seed's initialisation, ours 32.70 at the default seed)
    const l0 = Number(await readout(page, "loss-0"));
    expect(l0).toBeGreaterThan(31);
    expect(l0).toBeLessThan(33.5);
    expect(l1k).toBeGreaterThan(1.64 * 0.6);
    expect(l1k).toBeLessThan(1.64 * 1.4);
    expect(Number(await page.getAttribute('[data-testid="steps-per-sec"]', "data-value"))).toBeGreaterThan(0);
    record("fig-9-6", { stepsPerSec: Number(await page.getAttribute('[data-testid="steps-per-sec"]', "data-value")) });
    await commonChecks("fig-9-6", w);
    await page.setViewportSize({ width: 1200, height: 900 });
    // The full 200k (seconds even on an idle machine, so Cancel lands mid-run; 50k could finish before the
    // click), then Cancel once a snapshot past 0 exists: the snapshots and curves stay, the bar says "cancelled"
    await page.click('[data-testid="iters"] button:has-text("200k")');
    await page.waitForFunction(() => document.querySelector('[data-testid="runbar"]')?.getAttribute("data-status") === "running");
    await page.waitForSelector('[data-testid="loss-1000"]', { timeout: 60_000 });
    await page.click('[data-testid="cancel"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="runbar"]')?.getAttribute("data-status") === "cancelled", undefined, { timeout: 5_000 });
    expect(await readout(page, "run-status")).toMatch(/^cancelled at \d+%/);
    expect(Number(await readout(page, "loss-1000"))).toBeGreaterThan(0);
    expect(await page.locator('[data-stale="1"]').count()).toBe(0);
    await shot(page, "fig-9-6-cancelled");
    expect(w.errors).toEqual([]);
    await page.close();
  });
});

describe("figure 9.9", () => {
  it("removes the kink with dropout", async () => {
    const w = await openPage(h, "#/fig-9-9");
    const { page } = w;
    record("fig-9-9", { runMs: await waitDone(page) });
    const [a0, a1, a2] = numbers(await readout(page, "gap-original"));
    const [c0, c1, c2] = numbers(await readout(page, "gap-dropout"));
    expect(a1! - (a0! + a2!) / 2).toBeGreaterThan(1.3);
    expect(c1! - (c0! + c2!) / 2).toBeLessThan(0.3);
    const [sseA, sseC, sseLs] = numbers(await readout(page, "sse"));
    expect(sseA).toBeCloseTo(sseLs!, 3);
    expect(sseC).toBeLessThan(0.15);
    await commonChecks("fig-9-9", w);
    await page.close();
  });
});

describe("figure 9.10", () => {
  it("fits get smoother with input noise", async () => {
    const w = await openPage(h, "#/fig-9-10");
    const { page } = w;
    record("fig-9-10", { runMs: await waitDone(page, 120_000) });
    const rough = async (i: number) => Number((await page.$$eval(`[data-testid="row-${i}"] td`, (tds) => tds.map((t) => t.textContent)))[2]);
    const [r0, r1, r2] = [await rough(0), await rough(1), await rough(2)];
    expect(r1).toBeLessThan(r0);
    expect(r2).toBeLessThan(r1);
    await commonChecks("fig-9-10", w);
    await page.close();
  });
});

describe("figure 9.14", () => {
  it("draws the taxonomy; every method with a panel links to it", async () => {
    const w = await openPage(h, "#/fig-9-14");
    const { page } = w;
    await page.waitForSelector('[data-testid="taxonomy"]');
    const links = await page.$$eval('[data-testid="taxonomy"] a', (as) => as.map((a) => a.getAttribute("href")));
    expect(links.length).toBeGreaterThanOrEqual(4);
    for (const href of links) expect(href).toMatch(/^#\/(fig-9-\d+|lab)/);
    await commonChecks("fig-9-14", w);
    await page.click('[data-testid="method-Early stopping"]');
    await page.waitForSelector('[data-panel="fig-9-6"]');
    await page.close();
  });
});

describe("MNIST-1D explorer", () => {
  it("traces a sample through the pipeline", async () => {
    const w = await openPage(h, "#/mnist1d?label=3");
    const { page } = w;
    record("mnist1d", { runMs: await waitDone(page) });
    const steps = await page.$$eval('[data-testid="steps"] li', (els) => els.map((e) => e.getAttribute("data-step")));
    expect(steps).toEqual(["template", "padded", "dilated", "scaled", "shifted", "withCorrNoise", "withIidNoise", "sheared", "downsampled"]);
    await commonChecks("mnist1d", w);
    await page.close();
  });
});

describe("figure 9.11", () => {
  it("shows the VERIFIED posterior table for σ_p² = 1000, 100, 10 and the band toggle", async () => {
    const w = await openPage(h, "#/fig-9-11");
    const { page } = w;
    record("fig-9-11", { runMs: await waitDone(page) });
    const row = async (id: string) => (await page.$$eval(`[data-testid="${id}"] td`, (tds) => tds.map((t) => t.textContent ?? ""))).slice(1).map(Number);
    const close = (got: number[], want: number[]) => expect(got).toEqual(want.map((v) => expect.closeTo(v, 3)));
    close(await row("row-mean"), [0.4173, 2.7612, 1.107, 0.783, 0.2967]);
    close(await row("row-sd"), [0.5317, 0.207, 0.3243, 0.235, 1.9596]);
    await commonChecks("fig-9-11", w);
    await page.setViewportSize({ width: 1200, height: 900 });
    await rerunAfter(page, () => page.click('[data-testid="presets"] button:nth-child(3)')); // 100
    close(await row("row-mean"), [0.8596, 2.7, 1.1456, 0.7039, 0.2207]);
    close(await row("row-sd"), [0.37, 0.1879, 0.248, 0.1946, 0.7903]);
    await rerunAfter(page, () => page.click('[data-testid="presets"] button:nth-child(4)')); // 10
    close(await row("row-mean"), [1.3625, 2.4634, 1.2772, 0.6167, 0.2783]);
    close(await row("row-sd"), [0.2617, 0.1525, 0.1762, 0.1593, 0.3916]);
    expect(page.url()).toContain("sp=10");
    // observation noise: sd² grows by exactly σ² = 0.09
    const sd = await row("row-sd");
    await page.click('[data-testid="noise"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="row-sd"] td')?.textContent?.includes("σ²"));
    const sdNoise = await row("row-sd");
    sdNoise.forEach((v, i) => expect(v * v - sd[i]! * sd[i]!).toBeCloseTo(0.09, 3));
    expect(w.errors).toEqual([]);
    await page.close();
  });
});

describe("figure 9.8", () => {
  it("animates dropout masks and compares weight scaling with MC dropout", async () => {
    const w = await openPage(h, "#/fig-9-8?steps=500");
    const { page } = w;
    record("fig-9-8", { runMs: await waitDone(page, 120_000) });
    const mseWs = Number(await readout(page, "mse-ws"));
    const mseMc = Number(await readout(page, "mse-mc"));
    expect(mseWs).toBeGreaterThan(0);
    expect(mseMc).toBeGreaterThan(0);
    expect(Number(await readout(page, "gap"))).toBeGreaterThan(0);
    // the book's panel c drops layer-1 units 1 and 4 and layer-2 unit 1: 3 dashed circles
    await page.click('[data-testid="book-mask-2"]');
    expect(await page.locator('[data-testid="schematic"] circle[stroke-dasharray]').count()).toBe(3);
    await commonChecks("fig-9-8", w);
    await page.close();
  });
});

describe("figure 9.7", () => {
  it("shows notebook 9.3's MSEs (seed 1, 4 members) and one panel per member", async () => {
    const w = await openPage(h, "#/fig-9-7");
    const { page } = w;
    record("fig-9-7", { runMs: await waitDone(page) });
    const mse = async (id: string) => Number((await page.$$eval(`[data-testid="${id}"] td`, (tds) => tds.map((t) => t.textContent ?? "")))[1]);
    expect(await mse("mse-single")).toBeCloseTo(0.1954, 4);
    const members = [await mse("mse-member-1"), await mse("mse-member-2"), await mse("mse-member-3"), await mse("mse-member-4")];
    expect(members).toEqual([0.2223, 0.0979, 0.1202, 0.0479].map((v) => expect.closeTo(v, 4)));
    expect(await mse("mse-median")).toBeCloseTo(0.0198, 4);
    expect(await mse("mse-mean")).toBeCloseTo(0.0182, 4);
    expect(await page.locator(".plot").count()).toBe(6); // single, 4 members, ensemble
    await commonChecks("fig-9-7", w);
    await page.close();
  });
});

describe("figure 9.5", () => {
  it("trains the quick grid in workers and draws a results.jsonl", async () => {
    const w = await openPage(h, "#/fig-9-5");
    const { page } = w;
    record("fig-9-5", { runMs: await waitDone(page, 180_000) });
    expect(await page.locator('[data-testid="plot-a"]').count()).toBe(1);
    expect(await page.locator('[data-testid="plot-b"]').count()).toBe(1);
    await commonChecks("fig-9-5", w);
    // a run folder's results.jsonl (the CLI's line format: id, experiment, params, seed, status, result)
    const line = (lr: number, batch: number, width: number, testError: number) => JSON.stringify({
      id: `${lr}-${batch}-${width}`, experiment: "fig9.5", params: { lr, batch, width }, seed: 0, status: "ok",
      result: { trainError: 0, testError, trainAccuracy: 1, testAccuracy: 1 - testError / 100, trainLoss: 0, testLoss: 1, parameters: 0, stepsDone: 1, loss: { steps: [], values: [] }, curve: { steps: [], testAccuracy: [] } },
    });
    const lines = [line(0.5, 4000, 10, 60), line(0.5, 4000, 100, 35), line(0.1, 4000, 10, 62), line(0.1, 4000, 100, 38), line(0.1, 10, 10, 55), line(0.1, 10, 100, 30), "not json"];
    await page.setInputFiles('[data-testid="results-file"]', { name: "results.jsonl", mimeType: "application/json", buffer: Buffer.from(lines.join("\n")) });
    await page.waitForSelector('[data-testid="loaded"]');
    expect(await readout(page, "loaded")).toContain("Loaded 6 trials");
    await page.waitForSelector('[data-testid="plot-loaded-a"][data-drawn="1"]');
    await page.waitForSelector('[data-testid="plot-loaded-b"][data-drawn="1"]');
    expect(w.errors).toEqual([]);
    await page.close();
  });
});

describe("plugin lab", () => {
  it("trains configurations side by side, with option forms from the plugins' schemas and the setup in the URL", async () => {
    const w = await openPage(h, "#/lab");
    const { page } = w;
    record("lab", { runMs: await waitDone(page, 180_000) });
    expect(await page.locator('[data-testid^="lab-row-"]').count()).toBe(2);
    // the run bar shows the workers' training speed (measured in the worker from fit()'s progress)
    expect(Number(await page.getAttribute('[data-testid="steps-per-sec"]', "data-value"))).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="config-1-dropout"] input').count()).toBeGreaterThan(0); // dropout's options form
    await commonChecks("lab", w);
    await page.setViewportSize({ width: 1200, height: 900 });
    // add label smoothing to configuration 1: the URL carries it and a new run starts
    await rerunAfter(page, () => page.selectOption('[data-testid="add-plugin-0"]', "labelSmoothing").then(() => undefined), 180_000);
    expect(decodeURIComponent(page.url())).toContain('"name":"labelSmoothing"');
    expect(await page.locator('[data-testid="config-0-labelSmoothing"]').count()).toBe(1);
    expect(await page.locator('[data-testid="lab-errors"]').allTextContents()).toEqual([]);
    // the shared URL opens the same setup
    const p2 = await openPage(h, page.url().slice(page.url().indexOf("#")));
    await p2.page.waitForSelector('[data-testid="config-0-labelSmoothing"]');
    await p2.page.close();
    expect(w.errors).toEqual([]);
    await page.close();
  });
});

describe("figure 9.12", () => {
  it("runs the quick transfer / multi-task / self-supervised comparison", async () => {
    const w = await openPage(h, "#/fig-9-12");
    const { page } = w;
    record("fig-9-12", { runMs: await waitDone(page, 240_000) });
    for (const m of ["scratch", "transfer-finetune", "multitask", "ssl-masked"]) {
      const acc = Number.parseFloat(await page.textContent(`[data-testid="row-${m}-200"] td:nth-child(3)`) ?? "");
      expect(acc).toBeGreaterThan(10); // above chance (10 classes)
    }
    await commonChecks("fig-9-12", w);
    await page.close();
  }, 300_000);
});

describe("figure 9.13", () => {
  it("shows the augmentation gallery and runs the quick notebook 9.5 comparison", async () => {
    const w = await openPage(h, "#/fig-9-13");
    const { page } = w;
    record("fig-9-13", { runMs: await waitDone(page) });
    expect(await page.locator(".plot").count()).toBeGreaterThanOrEqual(7);
    await page.waitForFunction(() => document.querySelector('[data-testid="runbar-compare"]')?.getAttribute("data-status") === "done", undefined, { timeout: 240_000, polling: 200 });
    expect(Number.parseFloat(await readout(page, "best-baseline"))).toBeGreaterThan(0);
    expect(Number.parseFloat(await readout(page, "best-augmented"))).toBeGreaterThan(0);
    // notebook 9.5 trains two models one after the other: the run bar shows their steps/s
    expect(Number(await page.getAttribute('[data-testid="runbar-compare"] [data-testid="steps-per-sec"]', "data-value"))).toBeGreaterThan(0);
    await commonChecks("fig-9-13", w);
    await page.close();
  }, 300_000);
});

// Issue 18: error names must survive the production build (minification renamed classes to "Q", "T").
describe("error names in the built site", () => {
  /** A lab URL with one configuration of the given plugins (short run). */
  const labUrl = (plugins: unknown[]) => `#/lab?setup=${encodeURIComponent(JSON.stringify([{ plugins }]))}&steps=30`;
  /** The error part of a lab failure line: `{trial json}: Name: message`. */
  const failure = async (page: import("playwright-core").Page): Promise<string> => {
    await page.waitForFunction(() => document.querySelector('[data-testid="runbar"]')?.getAttribute("data-status") === "error", undefined, { timeout: 60_000, polling: 50 });
    const text = (await page.textContent('[data-testid="lab-errors"]')) ?? "";
    return text.slice(text.indexOf("}]}: ") + 5);
  };

  it("the plugin lab rejects bad plugin options with the named error, naming the plugin and the option", async () => {
    const w = await openPage(h, labUrl([{ name: "dropout", options: { rate: 5 } }]));
    const { page } = w;
    expect(await failure(page)).toMatch(/^ExperimentParamsError: plugin dropout: invalid params: rate: .*0\.99/);
    expect(await readout(page, "run-status")).toBe("error: 1 trial(s) failed");
    await page.goto(`${h.url}${labUrl([{ name: "dropout", options: { rate: 0.1, sparkle: 1 } }])}`);
    await page.reload();
    expect(await failure(page)).toMatch(/^ExperimentParamsError: plugin dropout: invalid params: sparkle/);
    expect(w.errors).toEqual([]);
    await page.close();
  });

  it("an error thrown inside the training in the worker keeps its class name", async () => {
    // earlyStopping on the validation loss without a validation set fails at its first check, inside fit()
    const w = await openPage(h, labUrl([{ name: "earlyStopping", options: { every: 1, patience: 2 } }]));
    const { page } = w;
    expect(await failure(page)).toMatch(/^PluginError: plugin "earlyStopping" failed in after(Step|Epoch): .*needs a validation set/);
    expect(w.errors).toEqual([]);
    await page.close();
  });

  it("the worker's message protocol reports named errors and clean cancellations", async () => {
    const w = await openPage(h, "#/fig-9-3");
    const { page } = w;
    const workerUrl = await new Promise<string>((resolve) => {
      const found = page.workers().find((x) => x.url().includes("/worker-"));
      if (found) resolve(found.url());
      page.on("worker", (x) => { if (x.url().includes("/worker-")) resolve(x.url()); });
    });
    await waitDone(page);
    const replies = await page.evaluate(async (url) => {
      const worker = new Worker(url, { type: "module" });
      const answer = (msg: object, id: number, cancelAfterFirstProgress = false) => new Promise<{ type: string; name: string | undefined; message: string | undefined }>((resolve) => {
        worker.onmessage = (e: MessageEvent<{ type: string; id: number; name?: string; message?: string }>) => {
          if (e.data.id !== id) return;
          if (e.data.type === "progress") { if (cancelAfterFirstProgress) worker.postMessage({ type: "cancel", id }); return; }
          resolve({ type: e.data.type, name: e.data.name, message: e.data.message });
        };
        worker.postMessage(msg);
      });
      const out = [
        await answer({ type: "run", id: 1, experiment: "no-such-figure", params: {} }, 1),
        await answer({ type: "run", id: 2, experiment: "fig9.1", params: { lambda: "a lot" } }, 2),
        await answer({ type: "run", id: 3, experiment: "mnist1d", params: { steps: 5000, samples: 500, evalEvery: 0 } }, 3, true),
      ];
      worker.terminate();
      return out;
    }, workerUrl);
    expect(replies[0]).toMatchObject({ type: "error", name: "UnknownExperimentError" });
    expect(replies[0]!.message).toContain("no-such-figure");
    expect(replies[1]).toMatchObject({ type: "error", name: "ExperimentParamsError" });
    expect(replies[1]!.message).toMatch(/fig9\.1: invalid params: lambda/);
    expect(replies[2]).toMatchObject({ type: "cancelled" });
    expect(w.errors).toEqual([]);
    await page.close();
  });
});
