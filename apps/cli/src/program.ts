import { Command, InvalidArgumentError } from "commander";
import { runGaborDemo } from "./commands/gabor.ts";
import { MNIST1D_REFERENCE, runMnist1d, type Mnist1dResult, type Mnist1dSpec } from "./experiments/mnist1d.ts";
import { toCsv, writeResults } from "./output.ts";
import { progressBar } from "./progress.ts";
import { registerSweepCommands } from "./sweep/register.ts";

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

function pair(v: string): [number, number] {
  const parts = v.split(",").map(Number);
  if (parts.length !== 2 || parts.some((p) => !Number.isFinite(p))) throw new InvalidArgumentError(`expected "φ0,φ1", got "${v}"`);
  return [parts[0]!, parts[1]!];
}

/** The `regularize` command line. */
export function buildProgram(opts: { throwOnError?: boolean } = {}): Command {
  const program = new Command("regularize")
    .description("Run the Regularization chapter's experiments headless.")
    .showHelpAfterError();
  // set before the subcommands are added, which copy these settings
  if (opts.throwOnError) program.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });

  program
    .command("gabor")
    .description("gradient descent on the Gabor model of figure 9.1 (notebook 9.1), printing the path, the loss and the curvature along the gradient (double backprop)")
    .option("--start <phi0,phi1>", "start point", pair, [2.6, 8.5] as [number, number])
    .option("--lr <alpha>", "learning rate α", num("lr"), 0.1)
    .option("--steps <n>", "number of GD steps", int("steps"), 41)
    .option("--lambda <λ>", "weight of the centred L2 term λ·(φ0² + (φ1 − 12.5)²)", num("lambda"), 0)
    .option("--json", "print JSON instead of a table")
    .action((o: { start: [number, number]; lr: number; steps: number; lambda: number; json?: boolean }) => {
      const rows = runGaborDemo({ start: o.start, learningRate: o.lr, steps: o.steps, lambda: o.lambda });
      if (o.json) {
        console.log(JSON.stringify(rows, null, 2));
        return;
      }
      console.log(`Gabor model, ${o.steps} GD steps with α = ${o.lr} from (${o.start.join(", ")})${o.lambda > 0 ? `, L2 λ = ${o.lambda} centred at (0, 12.5)` : ""}`);
      console.log(" step      φ0        φ1        loss      ‖∇L‖    gᵀHg/‖g‖²");
      for (const r of rows) {
        console.log(`${String(r.step).padStart(5)} ${r.phi0.toFixed(4).padStart(9)} ${r.phi1.toFixed(4).padStart(9)} ${r.loss.toFixed(5).padStart(10)} ${r.gradNorm.toFixed(4).padStart(9)} ${r.curvature.toFixed(4).padStart(11)}`);
      }
    });

  program
    .command("mnist1d")
    .description("train an MNIST-1D model; defaults are the reference protocol (Adam 1e-2, batch 100 taken in order, 6000 steps, seed 42)")
    .option("--model <name>", "mlp | cnn | linear", choice(["mlp", "cnn", "linear"]), "mlp")
    .option("--optimizer <name>", "adam | adamw | sgd", choice(["adam", "adamw", "sgd"]), "adam")
    .option("--lr <alpha>", "learning rate", num("lr"), MNIST1D_REFERENCE.learningRate)
    .option("--weight-decay <λ>", "weight decay (coupled for adam/sgd, decoupled for adamw)", num("weight-decay"), 0)
    .option("--batch <n>", "batch size", int("batch", 1), MNIST1D_REFERENCE.batchSize)
    .option("--steps <n>", "training steps", int("steps", 1), MNIST1D_REFERENCE.steps)
    .option("--seed <n>", "run seed", int("seed"), MNIST1D_REFERENCE.seed)
    .option("--shuffle", "reshuffle every epoch (the reference takes batches in order)")
    .option("--samples <n>", "dataset size (8000 with --split 0.5 is the book's figure 9.5)", int("samples", 10), MNIST1D_REFERENCE.numSamples)
    .option("--split <f>", "train fraction", num("split"), MNIST1D_REFERENCE.trainSplit)
    .option("--eval-every <n>", "test accuracy every n steps (0 = at the end)", int("eval-every"), 500)
    .option("--out <dir>", "write result.json and curve.csv there")
    .action(async (o: CliMnistOptions) => {
      const spec = specOf(o, o.seed);
      const bar = progressBar(`${spec.model} ${spec.optimizer}`, spec.steps);
      const res = await runMnist1d(spec, {
        onProgress: (step, loss, sps) => bar.update(step, { info: `loss ${loss.toFixed(4)}${Number.isFinite(sps) ? ` | ${Math.round(sps)} steps/s` : ""}` }),
      });
      bar.stop();
      printResult(res);
      if (o.out) {
        const files = writeResults(o.out, {
          "result.json": JSON.stringify(res, null, 2),
          "curve.csv": toCsv(res.curve.map(([step, acc]) => ({ step, testAccuracy: acc }))),
        });
        console.log(`wrote ${files.join(", ")}`);
      }
    });

  registerSweepCommands(program);

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

function printResult(r: Mnist1dResult): void {
  const s = r.spec;
  console.log(`${s.model} (${r.parameters} parameters), ${s.optimizer} lr ${s.learningRate}, batch ${s.batchSize}, ${s.steps} steps, seed ${s.seed}`);
  for (const [step, acc] of r.curve) console.log(`  step ${String(step).padStart(6)}  test accuracy ${(100 * acc).toFixed(1)}%`);
  console.log(`train accuracy ${(100 * r.trainAccuracy).toFixed(1)}%, test accuracy ${(100 * r.testAccuracy).toFixed(1)}%, test loss ${r.testLoss.toFixed(4)} (${r.seconds.toFixed(1)} s)`);
}

function choice<T extends string>(allowed: readonly T[]) {
  return (v: string): T => {
    if (!(allowed as readonly string[]).includes(v)) throw new InvalidArgumentError(`expected one of ${allowed.join(", ")}, got "${v}"`);
    return v as T;
  };
}
