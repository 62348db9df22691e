import { describe, expect, it } from "vitest";
import { failedOutcome, outcomeOf } from "./coordinator.ts";
import { QueueUrlError, parseQueueUrl, queueUrlFrom, redactUrl, scrubText } from "./queue-url.ts";

describe("queue URLs", () => {
  it("parses auth, db and TLS, and prints only the redacted form", () => {
    const t = parseQueueUrl("redis://alice:p%40ss:w0rd@redis.example:6390/3");
    expect(t.redacted).toBe("redis://alice:***@redis.example:6390/3");
    expect(t.host).toBe("redis.example:6390");
    expect(t.secret).toBe("p@ss:w0rd");
    expect(t.connection).toMatchObject({ host: "redis.example", port: 6390, db: 3, username: "alice", password: "p@ss:w0rd", maxRetriesPerRequest: null });
    const tls = parseQueueUrl("rediss://:pw@secure.example");
    expect(tls.connection.tls).toEqual({ servername: "secure.example" });
    expect(tls.redacted).toBe("rediss://:***@secure.example");
    expect(parseQueueUrl("redis://127.0.0.1").secret).toBeUndefined();
  });

  it("rejects bad URLs with the password redacted in the message", () => {
    expect(() => parseQueueUrl("http://u:secret@h:1")).toThrow(QueueUrlError);
    expect(() => parseQueueUrl("http://u:secret@h:1")).toThrow(/unsupported scheme "http:" in http:\/\/u:\*\*\*@h:1/);
    expect(() => parseQueueUrl("redis://u:secret@h:1/x")).toThrow(/database must be an integer, got "x" in redis:\/\/u:\*\*\*@h:1\/x/);
    expect(() => parseQueueUrl("redis://h", { tlsCa: "/nonexistent.pem" })).toThrow(/--tls-ca needs a rediss:\/\/ URL/);
    expect(() => parseQueueUrl("rediss://h", { tlsCa: "/nonexistent.pem" })).toThrow(/--tls-ca: cannot read \/nonexistent\.pem \(ENOENT\)/);
    expect(redactUrl("not a url //u:secret@h")).not.toContain("secret");
  });

  it("takes the flag, else REGULARIZE_QUEUE", () => {
    expect(queueUrlFrom("redis://a", { REGULARIZE_QUEUE: "redis://b" })).toBe("redis://a");
    expect(queueUrlFrom(undefined, { REGULARIZE_QUEUE: " redis://b " })).toBe("redis://b");
    expect(queueUrlFrom(undefined, {})).toBeUndefined();
  });

  it("scrubs the password and its URL-encoded form from text", () => {
    expect(scrubText("auth p@ss failed, url redis://:p%40ss@h", "p@ss")).toBe("auth *** failed, url redis://:***@h");
  });
});

describe("queue outcomes", () => {
  it("accepts only well-formed outcomes from workers", () => {
    expect(outcomeOf({ status: "ok", result: { a: 1 } })).toEqual({ status: "ok", result: { a: 1 } });
    expect(outcomeOf('{"status":"failed","error":"boom"}')).toEqual({ status: "failed", error: "boom" });
    expect(outcomeOf({ status: "weird" })).toEqual({ status: "failed", error: "worker returned a malformed outcome" });
    expect(outcomeOf(null)).toEqual({ status: "failed", error: "worker returned a malformed outcome" });
  });

  it("records a job that failed every try once, with every try's error", async () => {
    const job = { attemptsMade: 3, stacktrace: ["Error: exit 3\n    at x", "Error: exit 3\n    at y", "Error: stalled\n    at z"] };
    expect(await failedOutcome(job as never, "stalled")).toEqual({ status: "failed", error: "failed after 3 tries: try 1: Error: exit 3 | try 2: Error: exit 3 | try 3: Error: stalled" });
  });
});
