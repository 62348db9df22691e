import { describe, expect, it } from "vitest";
import { FitOptionsError, TrainError } from "./errors.js";
import { type OptionKeys, PluginOptionError, nearestName, optionValidators } from "./plugin-options.js";

class DemoOptionError extends PluginOptionError {
  constructor(plugin: string, option: string, message: string) {
    super(plugin, option, message);
    this.name = "DemoOptionError";
  }
}
const check = optionValidators(DemoOptionError);

interface DemoOptions {
  readonly lambda: number;
  readonly rate?: number;
  readonly name?: string;
}
const DEMO_KEYS: OptionKeys<DemoOptions> = { lambda: true, rate: true, name: true };

/** The thrown error, or a failure when nothing was thrown. */
function thrown(f: () => unknown): PluginOptionError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(PluginOptionError);
    return e as PluginOptionError;
  }
  throw new Error("expected a throw");
}

describe("PluginOptionError", () => {
  it("names the plugin and the option, with an explicit name that survives minification", () => {
    const e = new PluginOptionError("dropout", "rate", "must be a probability");
    expect(e.name).toBe("PluginOptionError");
    expect(e.message).toBe('dropout: option "rate" must be a probability');
    expect([e.plugin, e.option, e.fn]).toEqual(["dropout", "rate", "dropout"]);
    expect(e).toBeInstanceOf(TrainError);
  });

  it("keeps a subclass's name and instanceof", () => {
    const e = thrown(() => check.positive("demo", "lambda", 0));
    expect(e).toBeInstanceOf(DemoOptionError);
    expect(e.name).toBe("DemoOptionError");
    expect(e.fn).toBe("demo"); // every subclass has `fn` (= plugin), the name the packages' other errors use
  });

  it("is the base of FitOptionsError, which keeps its message form", () => {
    const e = new FitOptionsError("batchSize", "must be a positive integer");
    expect(e).toBeInstanceOf(PluginOptionError);
    expect(e).toBeInstanceOf(TrainError);
    expect(e.name).toBe("FitOptionsError");
    expect(e.message).toBe("batchSize: must be a positive integer");
    expect([e.plugin, e.option]).toEqual(["fit", "batchSize"]);
  });
});

describe("optionValidators().options", () => {
  it("returns a valid options object unchanged and undefined as {}", () => {
    const o = { lambda: 1, name: "x" };
    expect(check.options("demo", o, DEMO_KEYS)).toBe(o);
    expect(check.options<DemoOptions>("demo", undefined, DEMO_KEYS)).toEqual({});
  });

  it("rejects an unknown key, naming it and the nearest valid one", () => {
    const e = thrown(() => check.options("demo", { lamda: 1 } as unknown as DemoOptions, DEMO_KEYS));
    expect(e.option).toBe("lamda");
    expect(e.message).toContain('did you mean "lambda"?');
    expect(e.message).toContain("valid options: lambda, rate, name");
  });

  it("gives no suggestion when no valid name is close", () => {
    const e = thrown(() => check.options("demo", { completelyDifferent: 1 } as unknown as DemoOptions, DEMO_KEYS));
    expect(e.message).not.toContain("did you mean");
  });

  it.each([null, 42, "lambda=1", [1]])("rejects %j as the options object", (bad) => {
    const e = thrown(() => check.options("demo", bad as unknown as DemoOptions, DEMO_KEYS));
    expect(e.option).toBe("options");
  });

  it("rejects undefined when required", () => {
    expect(thrown(() => check.options<DemoOptions>("demo", undefined, DEMO_KEYS, { required: true })).option).toBe("options");
  });
});

describe("optionValidators() numbers", () => {
  it.each([
    ["positive", 0], ["positive", -1], ["positive", Number.NaN], ["positive", Infinity], ["positive", "1"],
    ["nonNegative", -1e-12], ["nonNegative", Number.NaN], ["nonNegative", null],
    ["positiveInteger", 0], ["positiveInteger", 1.5], ["positiveInteger", "2"],
  ] as const)("%s rejects %j", (fn, value) => {
    const e = thrown(() => check[fn]("demo", "x", value));
    expect(e.option).toBe("x");
    expect(e.message).toMatch(/^demo: option "x" must be/);
  });

  it("accepts what the rule allows", () => {
    expect(check.positive("d", "x", 1e-300)).toBe(1e-300);
    expect(check.nonNegative("d", "x", 0)).toBe(0);
    expect(check.positiveInteger("d", "x", 3)).toBe(3);
    expect(check.integer("d", "x", -2, -5, 5)).toBe(-2);
    expect(check.number("d", "x", Infinity, { allowInfinity: true, min: 0 })).toBe(Infinity);
    expect(check.number("d", "x", 0.5, { above: 0, below: 1 })).toBe(0.5);
  });

  it("enforces integer bounds and exclusive bounds", () => {
    expect(thrown(() => check.integer("d", "x", 6, 0, 5)).message).toContain("an integer ≥ 0 ≤ 5");
    expect(() => check.number("d", "x", 1, { below: 1 })).toThrow(DemoOptionError);
    expect(() => check.number("d", "x", Number.NaN, { allowInfinity: true })).toThrow(DemoOptionError);
  });

  it("checks probabilities with optional open ends", () => {
    expect(check.probability("d", "p", 1)).toBe(1);
    expect(() => check.probability("d", "p", 1, { allowOne: false })).toThrow(/\[0, 1\)/);
    expect(() => check.probability("d", "p", 0, { allowZero: false })).toThrow(/\(0, 1\]/);
    for (const bad of [-0.1, 1.1, Number.NaN, "0.5"]) expect(() => check.probability("d", "p", bad)).toThrow(DemoOptionError);
  });
});

describe("optionValidators() others", () => {
  it("oneOf suggests the nearest allowed value", () => {
    expect(check.oneOf("d", "inference", "inverted", ["inverted", "weight-scaling"])).toBe("inverted");
    expect(thrown(() => check.oneOf("d", "inference", "invertd", ["inverted", "weight-scaling"])).message).toContain('did you mean "inverted"?');
    expect(() => check.oneOf("d", "inference", 3, ["inverted"])).toThrow(DemoOptionError);
  });

  it("checks booleans, functions and names", () => {
    expect(check.boolean("d", "b", false)).toBe(false);
    expect(() => check.boolean("d", "b", "yes")).toThrow(/must be true or false, got "yes"/);
    const f = (): number => 1;
    expect(check.func("d", "f", f)).toBe(f);
    expect(() => check.func("d", "f", 1)).toThrow(/must be a function/);
    expect(check.name("d", undefined, "d")).toBe("d");
    expect(check.name("d", "mine", "d")).toBe("mine");
    expect(thrown(() => check.name("d", "", "d")).option).toBe("name");
    expect(() => check.name("d", 7, "d")).toThrow(DemoOptionError);
  });

  it("fail throws the bound class", () => {
    expect(() => check.fail("d", "x", "is wrong")).toThrow(DemoOptionError);
  });

  it("defaults to PluginOptionError", () => {
    const e = thrown(() => optionValidators().positive("d", "x", -1));
    expect(e.constructor).toBe(PluginOptionError);
  });
});

describe("nearestName", () => {
  it("finds typos and case slips, not unrelated names", () => {
    expect(nearestName("batchsize", ["batchSize", "epochs"])).toBe("batchSize");
    expect(nearestName("lamda", ["lambda", "mask"])).toBe("lambda");
    expect(nearestName("zzz", ["lambda", "mask"])).toBeUndefined();
  });
});

describe("optionValidators().plugin and tree", () => {
  it("checks the options and returns the instance name", () => {
    expect(check.plugin("demo", { lambda: 1 }, DEMO_KEYS)).toBe("demo");
    expect(check.plugin("demo", { lambda: 1, name: "mine" }, DEMO_KEYS)).toBe("mine");
    const { plugin } = check; // works detached
    expect(thrown(() => plugin("demo", { lambda: 1, name: 3 } as unknown as DemoOptions, DEMO_KEYS)).option).toBe("name");
    expect(thrown(() => plugin("demo", undefined, DEMO_KEYS)).option).toBe("options");
    expect(plugin("demo", undefined, DEMO_KEYS, { required: false })).toBe("demo");
    expect(thrown(() => plugin("demo", { lambda: 1, rte: 0 } as unknown as DemoOptions, DEMO_KEYS)).message).toContain('did you mean "rate"?');
  });

  it("tree accepts objects and rejects primitives", () => {
    expect(check.tree("d", "center", { w: 1 })).toEqual({ w: 1 });
    for (const bad of [42, "x", null, undefined]) expect(() => check.tree("d", "center", bad)).toThrow(/must be a parameter tree/);
  });
});

describe("robustness to plain-JS misuse", () => {
  it("builds a readable error from non-string constructor arguments", () => {
    const e = new PluginOptionError(Symbol("s") as never, { a: 1 } as never, 42 as never);
    expect(e.message).toBe('Symbol(s): option "an object" 42');
    expect(new FitOptionsError(Symbol("o") as never, [1] as never).message).toBe("Symbol(o): an array");
  });

  it("nearestName and optionValidators reject wrong arguments with a named error", () => {
    expect(() => nearestName(42 as never, ["a"])).toThrow(PluginOptionError);
    expect(() => nearestName("a", [1] as never)).toThrow(/nearestName: option "valid"/);
    expect(() => optionValidators(Error as never)).toThrow(/optionValidators: option "ErrorClass"/);
  });
});

describe("optionValidators: the package author's arguments", () => {
  it("name a wrong keys record, allowed list or fallback instead of failing deep inside", () => {
    const check = optionValidators();
    expect(() => check.options("p", {}, undefined as never)).toThrow(/^optionValidators\.options: option "keys" must be the record of valid option names/);
    expect(() => check.plugin("p", {}, null as never)).toThrow(PluginOptionError);
    expect(() => check.oneOf("p", "mode", "a", undefined as never)).toThrow(/^optionValidators\.oneOf: option "allowed" must be the array/);
    expect(() => check.name("p", undefined, undefined as never)).toThrow(/^optionValidators\.name: option "fallback" must be the default name/);
    expect(check.name("p", undefined, "p")).toBe("p");
  });
});
