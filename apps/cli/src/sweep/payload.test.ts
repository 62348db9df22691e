import { describe, expect, it } from "vitest";
import { MAX_PAYLOAD_BYTES, TrialPayloadError, validateTrialPayload } from "./payload.ts";
import { trialId } from "./trial.ts";

const good = (params: Record<string, unknown> = { ms: 0, seed: 3, fail: "none" }, seed = 3) => ({ id: trialId("queue-selftest", params, seed), experiment: "queue-selftest", params, seed });

describe("queue payload validation (untrusted input)", () => {
  it("accepts a well-formed trial and resolves its params", () => {
    expect(validateTrialPayload(good())).toEqual({ ...good(), params: { ms: 0, seed: 3, fail: "none" } });
  });

  it.each([
    ["not an object", "hello", /must be an object/],
    ["an array", [1, 2], /must be an object/],
    ["unknown experiment", { ...good(), experiment: "../../etc/passwd" }, /unknown experiment "\.\.\/\.\.\/etc\/passwd"; valid ids/],
    ["unknown param", good({ ms: 0, seed: 3, rm: "-rf /" }), /unknown param "rm"/],
    ["prototype key", { ...good(), params: JSON.parse('{"__proto__":{"polluted":1},"ms":0}') as unknown }, /unknown param "__proto__"/],
    ["wrong type", good({ ms: "10", seed: 3 }), /ms/],
    ["out of range", good({ ms: 1e12, seed: 3 }), /ms/],
    ["non-integer seed", { ...good(), seed: 1.5 }, /seed must be an integer/],
    ["extra field", { ...good(), code: "process.exit()" }, /unknown field "code"/],
    ["id not matching content", { ...good(), id: "0000000000000000" }, /id does not match/],
    ["oversized", { ...good(), params: { ms: 0, pad: "x".repeat(MAX_PAYLOAD_BYTES) } }, /payload too large/],
  ])("rejects %s with a reason", (_name, payload, reason) => {
    expect(() => validateTrialPayload(payload)).toThrow(TrialPayloadError);
    expect(() => validateTrialPayload(payload)).toThrow(reason);
  });

  it("does not pollute prototypes", () => {
    try { validateTrialPayload({ ...good(), params: JSON.parse('{"__proto__":{"polluted":1}}') as unknown }); } catch { /* expected */ }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
