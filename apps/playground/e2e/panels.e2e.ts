import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, numbers, openPage, readout, rerunAfter, setRange, shot, startHarness, timings, waitDone } from "./harness.js";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { SHOTS } from "./harness.js";

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => {
  writeFileSync(join(SHOTS, "timings.json"), JSON.stringify(timings, null, 2));
  await h?.close();
});

describe("home page", () => {
  it("lists every panel with its figure number", async () => {
    const { page, errors } = await openPage(h, "#/");
    await page.waitForSelector(".panel-list li");
    const items = await page.$$eval(".panel-list li", (els) => els.map((e) => e.textContent ?? ""));
    expect(items.some((t) => t.includes("Figure 9.1"))).toBe(true);
    expect(items.some((t) => t.includes("MNIST-1D"))).toBe(true);
    await shot(page, "home");
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("figure 9.1", () => {
  it("shows the regularised global minimum ≈ (0.086, 13.80) and follows λ", async () => {
    const { page, errors } = await openPage(h, "#/fig-9-1");
    timings["fig-9-1 (λ=0.2, first run incl. loss grid)"] = await waitDone(page);
    const [m0, m1] = numbers(await readout(page, "global-min"));
    expect(m0).toBeCloseTo(0.086, 2);
    expect(m1).toBeCloseTo(13.8, 1);
    const [e0, e1] = numbers(await readout(page, "gd-end"));
    expect(e0).toBeCloseTo(0.1, 1);
    expect(e1).toBeCloseTo(13.48, 1);
    await shot(page, "fig-9-1");
    timings["fig-9-1 (λ=0)"] = await rerunAfter(page, () => setRange(page, "lambda", 0));
    expect(page.url()).not.toContain("lambda=0.2");
    const [g0, g1] = numbers(await readout(page, "global-min"));
    expect(g0).toBeCloseTo(0, 2);
    expect(g1).toBeCloseTo(16.03, 1);
    await shot(page, "fig-9-1-lambda0");
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("MNIST-1D explorer", () => {
  it("traces a sample through the pipeline and draws the grid", async () => {
    const { page, errors } = await openPage(h, "#/mnist1d?label=3");
    timings["mnist1d"] = await waitDone(page);
    const steps = await page.$$eval('[data-testid="steps"] li', (els) => els.map((e) => e.getAttribute("data-step")));
    expect(steps).toEqual(["template", "padded", "dilated", "scaled", "shifted", "withCorrNoise", "withIidNoise", "sheared", "downsampled"]);
    const before = await readout(page, "final-head");
    await rerunAfter(page, () => page.fill('[data-testid="seed"]', "7").then(() => page.press('[data-testid="seed"]', "Enter")));
    expect(await readout(page, "final-head")).not.toEqual(before);
    expect(page.url()).toContain("seed=7");
    await shot(page, "mnist1d");
    expect(errors).toEqual([]);
    await page.close();
  });
});
