// Runs the outside check (process-probe.ts: every probe in a fresh `node` process with a hard time
// limit, against the built dist/) as part of the test command. `pnpm test` (turbo) builds the
// dependencies first; a bare run without a build skips with the missing path named.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const needed = [
  ...["core-autodiff", "core-train", "datasets", "optim", "penalties", "noise", "ensemble", "bayes", "transfer", "experiments"].map((p) => `packages/${p}/dist/index.js`),
  "apps/cli/dist/cli.js",
];
const missing = needed.filter((p) => !existsSync(repo + p));

describe("process probe against the built packages", () => {
  if (missing.length > 0) console.log(`process probe not run: build first (pnpm build); missing ${missing.join(", ")}`);
  it.skipIf(missing.length > 0)("finds no hang, silent acceptance, generic error, crash or vague message in issue 18's list and a fuzz sample", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./process-probe.ts", import.meta.url))], {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      encoding: "utf8",
      timeout: 170_000,
      env: { ...process.env, NODE_OPTIONS: "" },
    });
    const out = `${r.stdout}${r.stderr}`;
    console.log(out.split("\n").filter((l) => !l.startsWith("pass ")).join("\n"));
    expect(r.error, "the probe itself ran").toBeUndefined();
    expect(out).toMatch(/process probe: \d+ probes, 0 failed/);
    expect(r.status).toBe(0);
  }, 180_000);
});
