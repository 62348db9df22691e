import { type Site, PluginError, TrainError, checkHookContext, describeValue } from "@regularize/core-train";
import { Tensor } from "@regularize/core-autodiff";
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

/** A `site` hook's arguments (fit passes them; a direct call may not): a tensor, a site, a forward context. */
export function checkSiteArgs(plugin: string, h: unknown, site: unknown, ctx: unknown): void {
  if (!(h instanceof Tensor)) throw new PluginError(plugin, "site", new TrainError(`h must be the site's activation Tensor, got ${describeValue(h)}`));
  if (site === null || typeof site !== "object" || typeof (site as Site).name !== "string" || typeof (site as Site).kind !== "string") {
    throw new PluginError(plugin, "site", new TrainError(`site must be a Site { name, index, kind }, got ${describeValue(site)}`));
  }
  checkHookContext(plugin, "site", ctx, ["active", "key"]);
}
