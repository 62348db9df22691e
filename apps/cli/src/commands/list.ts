import type { Command } from "commander";
import { describeParams, listExperiments, listPlugins, type ParamInfo } from "@regularize/experiments";

function describe(p: ParamInfo): string {
  const range = p.min !== undefined || p.max !== undefined ? ` in [${p.min ?? "−∞"}, ${p.max ?? "∞"}]` : "";
  const opts = p.options ? ` (${p.options.join(" | ")})` : "";
  const def = p.default === undefined ? "" : ` = ${JSON.stringify(p.default)}`;
  return `${p.key}: ${p.type}${def}${range}${opts}${p.description ? ` — ${p.description}` : ""}`;
}

/** The text of `regularize list`: every experiment with its params, every plugin of every package with its options. */
export function listText(): string {
  const lines: string[] = ["Experiments (regularize run <id> --set key=value):", ""];
  for (const e of listExperiments()) {
    const tags = [e.acceptsPlugins ? "takes --plugin" : "", e.resumable ? "resumable" : "", e.sweeps?.length ? `sweeps: ${e.sweeps.map((s) => s.name).join(", ")}` : ""].filter(Boolean);
    lines.push(`${e.id} — ${e.title} [${e.reproduces}]${tags.length ? ` (${tags.join("; ")})` : ""}`);
    for (const p of describeParams(e.params)) lines.push(`    ${describe(p)}`);
  }
  lines.push("", "Plugins (--plugin name:key=value,key=value):", "");
  const byPackage = new Map<string, ReturnType<typeof listPlugins>[number][]>();
  for (const p of listPlugins()) byPackage.set(p.package, [...(byPackage.get(p.package) ?? []), p]);
  for (const [pkg, specs] of byPackage) {
    lines.push(pkg);
    for (const s of specs) {
      lines.push(`  ${s.name} — ${s.description}`);
      for (const o of describeParams(s.options)) lines.push(`      ${describe(o)}${o.required ? " (required)" : ""}`);
    }
  }
  return lines.join("\n");
}

/** Add `list`. */
export function registerListCommand(program: Command): void {
  program
    .command("list")
    .description("list the experiments (params, defaults, ranges) and the plugins of every package (options, ranges)")
    .option("--json", "print JSON")
    .action((o: { json?: boolean }) => {
      if (o.json) {
        console.log(JSON.stringify({
          experiments: listExperiments().map((e) => ({ id: e.id, title: e.title, reproduces: e.reproduces, acceptsPlugins: !!e.acceptsPlugins, resumable: !!e.resumable, params: describeParams(e.params) })),
          plugins: listPlugins().map((p) => ({ name: p.name, package: p.package, description: p.description, options: describeParams(p.options) })),
        }, null, 2));
      } else console.log(listText());
    });
}
