import { describe, expect, it } from "vitest";
import { ShimDocument, SvgDomUnsupportedError } from "./svg-dom.ts";

const SVG = "http://www.w3.org/2000/svg";

describe("ShimDocument", () => {
  it("serialises like parse5: attributes in order, escaped values and text, every SVG element closed", () => {
    const doc = new ShimDocument();
    const svg = doc.createElementNS(SVG, "svg");
    svg.setAttribute("class", "a\"b&c<d>\u00a0");
    svg.setAttribute("width", 10);
    svg.setAttribute("class", "kept-in-place");
    const t = doc.createElementNS(SVG, "text");
    t.textContent = "x < y & \"z\"\u00a0";
    svg.append(t, doc.createElementNS(SVG, "path"));
    svg.setAttributeNS("http://www.w3.org/1999/xlink", "xlink:href", "#r0");
    expect(svg.outerHTML).toBe("<svg class=\"kept-in-place\" width=\"10\" xlink:href=\"#r0\"><text>x &lt; y &amp; \"z\"&nbsp;</text><path></path></svg>");
  });
  it("keeps child order through insertBefore, remove and replaceWith", () => {
    const doc = new ShimDocument();
    const g = doc.createElementNS(SVG, "g");
    const [a, b, c] = ["a", "b", "c"].map((n) => doc.createElementNS(SVG, n));
    g.appendChild(a!);
    g.appendChild(c!);
    g.insertBefore(b!, c!);
    expect(g.outerHTML).toBe("<g><a></a><b></b><c></c></g>");
    expect(a!.nextSibling).toBe(b);
    b!.replaceWith("t");
    c!.remove();
    expect(g.outerHTML).toBe("<g><a></a>t</g>");
    expect(g.textContent).toBe("t");
  });
  it("throws its named error for DOM it does not have, and for single style properties", () => {
    const el = new ShimDocument().createElementNS(SVG, "svg");
    expect(() => el.querySelector()).toThrow(SvgDomUnsupportedError);
    expect(() => Object.assign(el.style, { fontSize: "12px" })).toThrow(/svg-dom: style\.fontSize is not supported/);
    expect(() => el.getBBox()).toThrow(expect.objectContaining({ name: "SvgDomUnsupportedError", message: "svg-dom: getBBox is not supported" }));
    el.style = "font-size: 12px;";
    expect(el.outerHTML).toBe("<svg style=\"font-size: 12px;\"></svg>");
  });
});
