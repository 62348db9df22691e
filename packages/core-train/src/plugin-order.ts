import { FitOptionsError } from "./errors.js";
import { asText } from "./plugin-options.js";
import type { Plugin } from "./plugin.js";

const RANK: Record<"pre" | "normal" | "post", number> = { pre: 0, normal: 1, post: 2 };

/**
 * Validate plugins (objects with a unique non-empty name, a valid enforce/order, a transform with
 * init/update) and sort them: enforce "pre", then none, then "post"; ascending `order` within a
 * group; registration order on ties (stable).
 */
export function sortPlugins(plugins: readonly Plugin[], optionName = "plugins"): Plugin[] {
  // only a label for messages, but built into paths below: a null-prototype object there threw a TypeError
  const option = asText(optionName);
  if (!Array.isArray(plugins)) throw new FitOptionsError(option, `must be an array of plugins`);
  const seen = new Set<string>();
  plugins.forEach((p, i) => {
    const at = `${option}[${i}]`;
    if (p === null || typeof p !== "object") throw new FitOptionsError(at, `is not a plugin object (got ${p === null ? "null" : typeof p})`);
    if (typeof p.name !== "string" || p.name.length === 0) throw new FitOptionsError(`${at}.name`, `must be a non-empty string`);
    if (seen.has(p.name)) throw new FitOptionsError(`${at}.name`, `duplicate plugin name "${p.name}" (names key the plugin's state and PRNG stream; give each instance its own name)`);
    seen.add(p.name);
    if (p.enforce !== undefined && p.enforce !== "pre" && p.enforce !== "post") throw new FitOptionsError(`${at}.enforce`, `must be "pre", "post" or absent, got ${JSON.stringify(p.enforce)}`);
    if (p.order !== undefined && !Number.isFinite(p.order)) throw new FitOptionsError(`${at}.order`, `must be a finite number, got ${p.order}`);
    const t = p.transform;
    if (t !== undefined && (typeof t?.init !== "function" || typeof t?.update !== "function")) {
      throw new FitOptionsError(`${at}.transform`, `plugin "${p.name}": a transform needs init(params) and update(updates, state, params, step)`);
    }
  });
  return plugins
    .map((p, i) => ({ p, i }))
    .sort((a, b) => RANK[(a.p as Plugin).enforce ?? "normal"] - RANK[(b.p as Plugin).enforce ?? "normal"] || (a.p.order ?? 0) - (b.p.order ?? 0) || a.i - b.i)
    .map(({ p }) => p);
}
