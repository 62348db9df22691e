import { describe, expect, it } from "vitest";
import { bool, int, num, oneOf, parseHash, point } from "./router.js";

describe("parseHash", () => {
  it("splits the path and the query of a hash route", () => {
    const r = parseHash("#/fig-9-1?lambda=0.2&start=2.6,8.5");
    expect(r.path).toBe("/fig-9-1");
    expect(r.query.get("lambda")).toBe("0.2");
    expect(r.query.get("start")).toBe("2.6,8.5");
  });
  it("maps an empty hash to the home route", () => {
    expect(parseHash("").path).toBe("/");
    expect(parseHash("#").path).toBe("/");
    expect(parseHash("#fig-9-2").path).toBe("/fig-9-2");
  });
});

describe("codecs", () => {
  it("reject out-of-range or malformed values (the panel falls back to its default)", () => {
    expect(num(0, 1).parse("0.25")).toBe(0.25);
    expect(num(0, 1).parse("2")).toBeUndefined();
    expect(num().parse("abc")).toBeUndefined();
    expect(num().parse("")).toBeUndefined();
    expect(int(1, 30).parse("5")).toBe(5);
    expect(int(1, 30).parse("5.5")).toBeUndefined();
    expect(oneOf("book", "seed").parse("seed")).toBe("seed");
    expect(oneOf("book", "seed").parse("other")).toBeUndefined();
    expect(bool.parse("1")).toBe(true);
    expect(point.parse("2.6,8.5")).toEqual([2.6, 8.5]);
    expect(point.parse("2.6")).toBeUndefined();
  });
  it("round-trip through format", () => {
    expect(num().parse(num().format(0.1 + 0.2))).toBeCloseTo(0.3, 12);
    expect(point.parse(point.format([0.1234567, -3]))).toEqual([0.1235, -3]);
    expect(bool.parse(bool.format(false))).toBe(false);
  });
});
