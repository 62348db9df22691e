import type { Plugin } from "@regularize/core-train";

/**
 * A plugin of the dropout family (a stochastic layer whose test-time behaviour is an average over its
 * noise): `mcDropoutPredict` switches on exactly these in eval mode and nothing else.
 */
export type DropoutFamilyPlugin<S = unknown> = Plugin<S> & { readonly family: "dropout" };

/** Whether a plugin belongs to the dropout family (dropout, its Gaussian/uniform/beta variants, DropConnect). */
export function isDropoutFamily(p: Plugin): p is DropoutFamilyPlugin {
  return (p as { family?: unknown } | null | undefined)?.family === "dropout";
}
