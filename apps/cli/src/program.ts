import { Command, InvalidArgumentError } from "commander";
import { runGaborDemo } from "./commands/gabor.ts";

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
export function buildProgram(): Command {
  const program = new Command("regularize")
    .description("Run the Regularization chapter's experiments headless.")
    .showHelpAfterError();

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

  return program;
}
