// The main job (README quick start): build the playground and serve it on 127.0.0.1.
// Run through ./scripts/pnpm main, which bootstraps the pinned pnpm and the workspace first.
// `./scripts/pnpm main -- --demo` runs the headless Gabor demo of the CLI instead.
import { spawn, spawnSync } from "node:child_process";

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1" };
function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: "inherit", env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (process.argv.includes("--demo")) {
  run("pnpm", ["exec", "turbo", "run", "build", "--filter=@regularize/cli...", "--output-logs=errors-only"]);
  run("node", ["apps/cli/dist/cli.js", "gabor", "--steps", "41", "--lambda", "0.2"]);
  process.exit(0);
}

const port = process.env.PORT ?? "4173";
run("pnpm", ["exec", "turbo", "run", "build", "--filter=@regularize/playground", "--output-logs=errors-only"]);
console.log(`\nRegularize playground: http://127.0.0.1:${port}/  (Ctrl-C to stop)\n`);
const server = spawn("pnpm", ["--filter", "@regularize/playground", "exec", "vite", "preview", "--host", "127.0.0.1", "--port", port, "--strictPort"], {
  stdio: "inherit",
  env,
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.kill(sig));
server.on("exit", (code) => process.exit(code ?? 0));
