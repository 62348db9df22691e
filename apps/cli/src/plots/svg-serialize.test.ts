import { describe, expect, it } from "vitest";
import { parseHTML } from "linkedom";
import { SvgSerializeError, serializeSvg } from "./svg-serialize.ts";

const SVG = "http://www.w3.org/2000/svg";
const doc = (): Document => (parseHTML("<!DOCTYPE html><html><body></body></html>") as unknown as { document: Document }).document;

describe("serializeSvg", () => {
  it("writes attributes in the order set (a re-set one keeps its place), escaped as parse5 does, every element closed", () => {
    const d = doc();
    const svg = d.createElementNS(SVG, "svg");
    svg.setAttribute("class", "a");
    svg.setAttribute("aria-label", "a\"b&c<d>\u00a0'");
    svg.setAttribute("width", "10");
    svg.setAttribute("class", "kept-in-place");
    const t = d.createElementNS(SVG, "text");
    t.textContent = "x < y & \"z\"\u00a0";
    svg.append(t, d.createElementNS(SVG, "path"));
    expect(serializeSvg(svg)).toBe("<svg class=\"kept-in-place\" aria-label=\"a&quot;b&amp;c&lt;d&gt;&nbsp;'\" width=\"10\"><text>x &lt; y &amp; \"z\"&nbsp;</text><path></path></svg>");
    // linkedom's own serialiser, which this replaces: newest attribute first, self-closed, & unescaped in the attribute
    expect(svg.outerHTML).toMatch(/^<svg width="10" aria-label="a&quot;b&c<d>\u00a0'" class="kept-in-place">.*<path \/><\/svg>$/);
  });
  it("refuses nodes Plot's static SVG never has, with its named error", () => {
    const d = doc();
    const g = d.createElementNS(SVG, "g");
    g.appendChild(d.createElement("div"));
    expect(() => serializeSvg(g)).toThrow(expect.objectContaining({ name: "SvgSerializeError", message: "serializeSvg: the non-SVG element <div> cannot be serialised" }));
    expect(() => serializeSvg(d.createComment("c") as unknown as Node)).toThrow(SvgSerializeError);
  });
});
