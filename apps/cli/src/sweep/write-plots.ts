import { mkdirSync, writeFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import type { PlotFigure } from "@regularize/experiments";
import { writeAtomic } from "./run-folder.ts";

/**
 * Write a sweep's figures to DIR/plots: `<name>.svg` and `<name>.png` through the CLI's plot renderer
 * (Observable Plot + resvg, the same as `regularize run`), and the plot spec as `<name>.json`. A figure
 * that fails to render keeps its JSON and is reported, without failing the sweep.
 */
export async function writePlots(dir: string, figures: readonly PlotFigure[]): Promise<string[]> {
  const plots = join(dir, "plots");
  mkdirSync(plots, { recursive: true });
  const { renderFigure } = await import("../plots/render.ts");
  const out: string[] = [];
  for (const fig of figures) {
    out.push(writeAtomic(plots, `${fig.name}.json`, JSON.stringify(fig) + "\n"));
    try {
      const r = renderFigure(fig);
      out.push(writeAtomic(plots, `${fig.name}.svg`, r.svg));
      const png = join(plots, `${fig.name}.png`);
      writeFileSync(`${png}.tmp-${process.pid}`, r.png);
      renameSync(`${png}.tmp-${process.pid}`, png);
      out.push(png);
    } catch (err) {
      console.error(`plots: ${fig.name} could not be rendered (${(err as Error).message}); its spec is in ${fig.name}.json`);
    }
  }
  return out;
}
