import { describe, expect, it } from "vitest";
import { bool, int, list, num, oneOf, parseHash, point } from "./router.js";

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
  it("clamp out-of-range values and say so", () => {
    expect(num(0, 1).parse("0.25")).toEqual({ value: 0.25 });
    expect(num(0, 1).parse("2")).toEqual({ value: 1, notice: "2 is above the maximum 1; using 1" });
    expect(num(0, 1).parse("-3").value).toBe(0);
    expect(int(1, 30).parse("5")).toEqual({ value: 5 });
    expect(int(1, 30).parse("5.5").value).toBe(6);
    expect(int(1, 30).parse("5.5").notice).toMatch(/not a whole number/);
    expect(point([-10, 2.5], [10, 22.5]).parse("20,1")).toEqual({ value: [10, 2.5], notice: expect.stringMatching(/maximum 10.*minimum 2.5/) });
  });
  it("reject malformed values with a notice (the panel falls back to its default)", () => {
    expect(num().parse("abc")).toEqual({ value: undefined, notice: expect.stringMatching(/not a number/) });
    expect(num().parse("").value).toBeUndefined();
    expect(oneOf("book", "seed").parse("seed").value).toBe("seed");
    expect(oneOf("book", "seed").parse("other").notice).toMatch(/not one of book, seed/);
    expect(bool.parse("1").value).toBe(true);
    expect(point().parse("2.6").value).toBeUndefined();
    expect(list(int(0, 9)).parse("1,2,12")).toEqual({ value: [1, 2, 9], notice: expect.stringMatching(/maximum 9/) });
  });
  it("round-trip through format", () => {
    expect(num().parse(num().format(0.1 + 0.2)).value).toBeCloseTo(0.3, 12);
    expect(point().parse(point().format([0.1234567, -3])).value).toEqual([0.1235, -3]);
    expect(bool.parse(bool.format(false)).value).toBe(false);
    expect(list(num()).parse(list(num()).format([1, 2.5])).value).toEqual([1, 2.5]);
  });
});
