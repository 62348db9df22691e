// The main job (README quick start): build what is needed, then run the demo.
// Run through ./scripts/pnpm main, which bootstraps the pinned pnpm and the workspace first.
import { spawnSync } from "node:child_process";

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" } });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run("pnpm", ["exec", "turbo", "run", "build", "--filter=@regularize/cli...", "--output-logs=errors-only"]);
console.log("\n== The Gabor model of figure 9.1: gradient descent without and with the centred L2 regularizer ==\n");
run("node", ["apps/cli/dist/cli.js", "gabor", "--steps", "41"]);
console.log("");
run("node", ["apps/cli/dist/cli.js", "gabor", "--steps", "41", "--lambda", "0.2"]);
