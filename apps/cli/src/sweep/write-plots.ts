import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { PlotFigure } from "@regularize/experiments";
import { writeAtomic } from "./run-folder.ts";

/** Write a sweep's figures to DIR/plots: the plot spec as JSON (SVG/PNG rendering: see README). */
export async function writePlots(dir: string, figures: readonly PlotFigure[]): Promise<string[]> {
  const plots = join(dir, "plots");
  mkdirSync(plots, { recursive: true });
  const out: string[] = [];
  for (const fig of figures) out.push(writeAtomic(plots, `${fig.name}.json`, JSON.stringify(fig) + "\n"));
  return out;
}
