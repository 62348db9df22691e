import { join } from "node:path";
import type { PlotFigure } from "@regularize/experiments";
import { renderFigure } from "../plots/render.ts";
import { mkdirp, writeFileAtomic } from "../run-folder.ts";
import { writeAtomic } from "./run-folder.ts";

/** Write a sweep's figures to DIR/plots: <name>.svg and <name>.png (plots/render.ts), and the plot spec as <name>.json. */
export async function writePlots(dir: string, figures: readonly PlotFigure[]): Promise<string[]> {
  const plots = join(dir, "plots");
  mkdirp(plots);
  const out: string[] = [];
  for (const fig of figures) {
    const r = renderFigure(fig);
    out.push(writeAtomic(plots, `${fig.name}.svg`, r.svg));
    writeFileAtomic(join(plots, `${fig.name}.png`), r.png);
    out.push(join(plots, `${fig.name}.png`));
    out.push(writeAtomic(plots, `${fig.name}.json`, JSON.stringify(fig) + "\n"));
  }
  return out;
}
