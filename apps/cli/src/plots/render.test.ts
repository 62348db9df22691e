import { describe, expect, it } from "vitest";
import type { PlotFigure } from "@regularize/experiments";
import { rasterize, renderFigure, renderSvg } from "./render.ts";

const loss: PlotFigure = {
  name: "loss", title: "Training loss (λ = 0.1)", x: { label: "step" }, y: { label: "loss", type: "log" },
  marks: [
    { type: "line", x: [0, 10, 20, 30, 40], y: [2.3, 1.2, 0.7, 0.5, 0.41], series: "train" },
    { type: "line", x: [0, 10, 20, 30, 40], y: [2.3, 1.4, 1.0, 0.95, 0.97], series: "test", dash: true },
    { type: "dot", x: [30], y: [0.95], series: "best" },
  ],
};
const n = 21;
const contour: PlotFigure = {
  name: "surface", title: "A fig 9.1-style surface", x: { label: "φ0", domain: [-1, 1] }, y: { label: "φ1", domain: [-1, 1] },
  marks: [
    { type: "raster", nx: n, ny: n, x0: -1, x1: 1, y0: -1, y1: 1, contours: 8,
      values: Array.from({ length: n * n }, (_, k) => ((k % n) / 10 - 1) ** 2 + 2 * (Math.floor(k / n) / 10 - 1) ** 2) },
    { type: "line", x: [0.8, 0.4, 0.1, 0], y: [0.8, 0.3, 0.05, 0], series: "GD path" },
  ],
};

/** Dark pixels (all channels < 100) in a box of the rendered image. */
function darkPixels(svg: string, box: { x0: number; y0: number; x1: number; y1: number }): number {
  const { width, pixels } = rasterize(svg, { scale: 1 });
  let count = 0;
  for (let y = box.y0; y < box.y1; y++) for (let x = box.x0; x < box.x1; x++) {
    const i = 4 * (y * width + x);
    if (pixels[i]! < 100 && pixels[i + 1]! < 100 && pixels[i + 2]! < 100) count++;
  }
  return count;
}

describe("renderSvg", () => {
  it("gives byte-identical SVG for the same figure (snapshot)", async () => {
    const a = renderSvg(loss);
    renderSvg(contour); // Plot's global id counters move in between
    const b = renderSvg(loss);
    expect(b).toBe(a);
    await expect(a).toMatchFileSnapshot("__snapshots__/loss.svg");
    const c1 = renderSvg(contour);
    expect(renderSvg(contour)).toBe(c1);
    await expect(c1).toMatchFileSnapshot("__snapshots__/surface.svg");
  });
  it("draws the figure's title, legend, contours and lines", () => {
    const s = renderSvg(contour);
    expect(s).toContain("A fig 9.1-style surface");
    expect(s).toContain(">GD path<");
    expect(s.match(/aria-label="contour"/g)?.length).toBe(2);
    expect(s).toMatch(/aria-label="line"/);
  });
});

/** Every mark type and option render.ts maps, with characters the serialiser escapes in text and attributes. */
const corpus: PlotFigure[] = [
  loss, contour,
  { ...loss, name: "escapes", title: "a <b> & \"c\" \u00a0‖∇L‖ → d", x: { label: "step <1> & \"x\"" },
    marks: [...loss.marks, { type: "dot", x: [10, 20], y: [1, 2], r: [2, 5], series: "sized <dots> & \"r\"" }] },
  { ...contour, name: "text-rules", marks: [...contour.marks,
    { type: "text", x: [0, 0.5], y: [0.5, 0.2], text: ["a<b", "c&d \u00a0x \"q\""] }, { type: "rule", x: 0.1, y: 0.5, series: "rule" }] },
  { name: "band", title: "", x: { label: "width", type: "log" }, y: { label: "error" },
    marks: [{ type: "band", x: [1, 2, 4], y1: [0, 1, 0.5], y2: [1, 2, 1.5], series: "±1 sd" }, { type: "line", x: [1, 2, 4], y: [0.5, 1.5, 1], series: "mean" }] },
  { name: "many", title: "more series than colours", x: { label: "x", domain: [0, 3] }, y: { label: "y" },
    marks: [{ type: "line", x: [1, 2, 3], y: [1, Number.NaN, 3], series: "gap" }, ...Array.from({ length: 12 }, (_, i) => ({ type: "line" as const, x: [1, 2], y: [i, i + 1], series: `s${i}` }))] },
  { name: "bars", title: "Test accuracy by method", x: { label: "method" }, y: { label: "test accuracy", domain: [0, 1] },
    marks: [{ type: "bar", x: ["scratch", "fine-tune <all>", "frozen & linear"], y: [0.6, 0.8, 0.7], series: "100 labelled" }] },
  { name: "empty", title: "no points", x: { label: "x" }, y: { label: "y" }, marks: [{ type: "line", x: [], y: [], series: "none" }] },
];

describe("bar figures", () => {
  it("draw one bar per category on a band x scale, categories in the given order (a linear x refused them)", () => {
    const s = renderSvg(corpus.find((f) => f.name === "bars")!);
    expect(s.match(/<rect /g)?.length).toBe(3 + 2); // three bars, the legend's box and swatch
    expect(s.indexOf(">scratch<")).toBeLessThan(s.indexOf(">fine-tune &lt;all&gt;<"));
    expect(s.indexOf(">fine-tune &lt;all&gt;<")).toBeLessThan(s.indexOf(">frozen &amp; linear<"));
  });
});

describe("every mark type", () => {
  // these files were written by jsdom 29.1.1 (before linkedom): the SVG files stay byte for byte what they were
  it("renders byte-identical to the committed files, escapes included", async () => {
    for (const f of corpus) await expect(renderSvg(f), f.name).toMatchFileSnapshot(`__snapshots__/${f.name}.svg`);
  });
});

describe("renderPng", () => {
  it("renders text with the bundled font: the title region has dark pixels only when there is a title", () => {
    const title = { x0: 0, y0: 0, x1: 300, y1: 30 };
    const withText = darkPixels(renderSvg(loss), title);
    const without = darkPixels(renderSvg({ ...loss, title: "" }), title);
    expect(without).toBe(0);
    expect(withText).toBeGreaterThan(150);
  });
  it("encodes a PNG", () => {
    const { png } = renderFigure(loss);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  });
});
