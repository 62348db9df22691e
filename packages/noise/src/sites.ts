import type { Site } from "@regularize/core-train";
import { NoiseOptionError } from "./errors.js";

/** Which model sites a stochastic layer acts on: hidden-site names, or every hidden site (default). */
export type SiteSelection = readonly string[] | "hidden";

/** A predicate over sites; only "hidden" sites ever match (inputs are `inputNoise`'s business). */
export function siteFilter(plugin: string, sites: SiteSelection | undefined): (s: Site) => boolean {
  if (sites === undefined || sites === "hidden") return (s) => s.kind === "hidden";
  if (!Array.isArray(sites) || sites.some((n) => typeof n !== "string")) {
    throw new NoiseOptionError(plugin, "sites", `must be "hidden" or a list of site names, got ${JSON.stringify(sites)}`);
  }
  const names = new Set(sites);
  return (s) => s.kind === "hidden" && names.has(s.name);
}
