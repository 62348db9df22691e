import { Command, InvalidArgumentError } from "commander";
import { availableParallelism } from "node:os";
import { registerListCommand } from "./commands/list.ts";
import { registerRunCommands } from "./commands/run.ts";
import { MNIST1D_REFERENCE, mnist1dDataFor, type Mnist1dResult, type Mnist1dSpec } from "./experiments/mnist1d.ts";
import { toCsv, writeResults } from "./output.ts";
import { poolSize, runPool } from "./pool.ts";
import { progressBar } from "./progress.ts";

function num(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number, got "${v}"`);
    return n;
  };
}

function int(name: string, min = 0) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}, got "${v}"`);
    return n;
  };
}

/** The `regularize` command line. */
export function buildProgram(opts: { throwOnError?: boolean } = {}): Command {
  const program = new Command("regularize")
    .description("Run the Regularization chapter's experiments headless.")
    .showHelpAfterError();
  // set before the subcommands are added, which copy these settings
  if (opts.throwOnError) program.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });

  registerRunCommands(program);
  registerListCommand(program);

  program
    .command("sweep")
    .description("train many MNIST-1D models (grid over learning rates, weight decays and seeds) on a pool of worker threads")
    .option("--model <name>", "mlp | cnn | linear", choice(["mlp", "cnn", "linear"]), "mlp")
    .option("--optimizer <name>", "adam | adamw | sgd", choice(["adam", "adamw", "sgd"]), "adam")
    .option("--lr <list>", "comma-separated learning rates", list("lr"), [MNIST1D_REFERENCE.learningRate])
    .option("--weight-decay <list>", "comma-separated weight decays", list("weight-decay"), [0])
    .option("--seeds <list>", "comma-separated run seeds", list("seeds"), [0, 1])
    .option("--batch <n>", "batch size", int("batch", 1), MNIST1D_REFERENCE.batchSize)
    .option("--steps <n>", "training steps per run", int("steps", 1), 1000)
    .option("--shuffle", "reshuffle every epoch")
    .option("--samples <n>", "dataset size", int("samples", 10), MNIST1D_REFERENCE.numSamples)
    .option("--split <f>", "train fraction", num("split"), MNIST1D_REFERENCE.trainSplit)
    .option("--workers <n>", "worker threads (default: all cores)", int("workers", 1), availableParallelism())
    .option("--out <dir>", "write results.json and results.csv there")
    .action(async (o: CliMnistOptions & { lr: number[]; weightDecay: number[]; seeds: number[]; workers: number }) => {
      const specs: Mnist1dSpec[] = [];
      for (const lr of o.lr) for (const wd of o.weightDecay) for (const seed of o.seeds) specs.push({ ...specOf({ ...o, lr, weightDecay: wd }, seed), evalEvery: 0 });
      const workers = poolSize(specs.length, o.workers);
      const bar = progressBar(`sweep: ${specs.length} runs on ${plural(workers, "worker")}`, specs.length);
      let finished = 0;
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const results = await runPool<Mnist1dSpec, Mnist1dResult>(specs, {
        workerUrl: new URL(import.meta.url.endsWith(".ts") ? "./worker.ts" : "./worker.js", import.meta.url),
        workers,
        init: () => mnist1dDataFor(specs),
        onResult: () => bar.update(++finished),
      });
      const wall = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      bar.stop();
      const rows = results.map((r) => ({
        model: r.spec.model, optimizer: r.spec.optimizer, lr: r.spec.learningRate, weightDecay: r.spec.weightDecay, seed: r.spec.seed,
        trainAccuracy: r.trainAccuracy, testAccuracy: r.testAccuracy, testLoss: r.testLoss, seconds: r.seconds,
      }));
      console.table(rows.map((r) => ({ ...r, trainAccuracy: r.trainAccuracy.toFixed(3), testAccuracy: r.testAccuracy.toFixed(3), testLoss: r.testLoss.toFixed(4), seconds: r.seconds.toFixed(1) })));
      const runSeconds = results.reduce((a, r) => a + r.seconds, 0);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      // the first clause is what bench/src/sweep.ts parses
      console.log(
        `${specs.length} runs in ${wall.toFixed(1)} s on ${plural(workers, "worker")} ` +
          `(${(specs.length / wall * 60).toFixed(1)} runs/min; mean run ${(runSeconds / specs.length).toFixed(2)} s; ` +
          `process CPU ${cpuSeconds.toFixed(1)} s = ${(cpuSeconds / wall).toFixed(2)} cores busy of ${availableParallelism()})`,
      );
      if (o.out) console.log(`wrote ${writeResults(o.out, { "results.json": JSON.stringify(results, null, 2), "results.csv": toCsv(rows) }).join(", ")}`);
    });

  return program;
}

interface CliMnistOptions {
  model: Mnist1dSpec["model"];
  optimizer: Mnist1dSpec["optimizer"];
  lr: number;
  weightDecay: number;
  batch: number;
  steps: number;
  seed: number;
  shuffle?: boolean;
  samples: number;
  split: number;
  evalEvery: number;
  out?: string;
}

function specOf(o: Omit<CliMnistOptions, "seed" | "evalEvery"> & { evalEvery?: number }, seed: number): Mnist1dSpec {
  return {
    model: o.model, optimizer: o.optimizer, learningRate: o.lr, weightDecay: o.weightDecay, batchSize: o.batch, steps: o.steps,
    seed, shuffle: o.shuffle ?? false, numSamples: o.samples, trainSplit: o.split, dataSeed: MNIST1D_REFERENCE.dataSeed, evalEvery: o.evalEvery ?? 0,
  };
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function choice<T extends string>(allowed: readonly T[]) {
  return (v: string): T => {
    if (!(allowed as readonly string[]).includes(v)) throw new InvalidArgumentError(`expected one of ${allowed.join(", ")}, got "${v}"`);
    return v as T;
  };
}

function list(name: string) {
  return (v: string): number[] => {
    const parts = v.split(",").map((p) => Number(p.trim()));
    if (parts.length === 0 || parts.some((p) => !Number.isFinite(p))) throw new InvalidArgumentError(`${name} must be comma-separated numbers, got "${v}"`);
    return parts;
  };
}
