import { type PRNGKey, type Tensor, type Tree, concat, foldInString } from "@regularize/core-autodiff";
import {
  type Activation, type ForwardContext, type Model, type Site, isModel, passThrough, resolveActivation, site,
} from "@regularize/core-train";
import { TransferError } from "./errors.js";

/** Parameters of a trunk with one head. */
export type WithHeadParams<T extends Tree = Tree, H extends Tree = Tree> = { readonly trunk: T; readonly head: H };

/** Options of {@link withHead} and {@link multiHead}. */
export interface HeadOptions {
  /** Activation applied to the trunk's output before the head(s) (default "identity"; use "relu" on an mlp trunk, whose last layer is linear). */
  readonly activation?: Activation;
}

function checkModel(fn: string, argument: string, m: unknown): Model<Tree> {
  if (!isModel(m)) throw new TransferError(fn, argument, `must be a Model with init(key) and apply(params, x)`);
  return m;
}

/** Head sites are renamed "<prefix>.<name>" and numbered after the trunk's, so plugins can tell them apart. */
function headContext(ctx: ForwardContext, map: Map<Site, Site>): ForwardContext {
  return { mode: ctx.mode, site: (s, h) => ctx.site(map.get(s) ?? s, h) };
}

function renamed(prefix: string, sites: readonly Site[] | undefined, offset: number): Map<Site, Site> {
  return new Map((sites ?? []).map((s) => [s, site(`${prefix}.${s.name}`, offset + s.index, "hidden")]));
}

/**
 * A model `head(act(trunk(x)))` with parameters `{ trunk, head }`: the shape of transfer learning,
 * where the trunk is pretrained and the head replaced (figure 9.12a).
 * @example withHead(mlp({ widths: [40, 100, 100] }), linear({ inputs: 100, outputs: 10 }), { activation: "relu" })
 */
export function withHead<T extends Tree, H extends Tree>(trunk: Model<T>, head: Model<H>, options: HeadOptions = {}): Model<WithHeadParams<T, H>> {
  checkModel("withHead", "trunk", trunk);
  checkModel("withHead", "head", head);
  const act = resolveActivation(options.activation ?? "identity", "withHead.activation");
  const tSites = trunk.sites ?? [];
  const map = renamed("head", head.sites, tSites.length);
  return {
    name: `withHead(${trunk.name} → ${head.name})`,
    sites: [...tSites, ...map.values()],
    init: (key) => ({ trunk: trunk.init(foldInString(key, "trunk")), head: head.init(foldInString(key, "head")) }),
    apply: (p, x, ctx = passThrough) => head.apply(p.head, act(trunk.apply(p.trunk, x, ctx)), headContext(ctx, map)),
  };
}

/**
 * Replace the head: keep the (pretrained) trunk parameters, draw fresh head parameters from `key`
 * (figure 9.12a: "swap the output layer").
 * @example const fine = replaceHead(pretrained, linear({ inputs: 100, outputs: 10 }), prngKey(1))
 */
export function replaceHead<T extends Tree, H extends Tree>(params: WithHeadParams<T, Tree>, head: Model<H>, key: PRNGKey): WithHeadParams<T, H> {
  if (params === null || typeof params !== "object" || !("trunk" in params)) throw new TransferError("replaceHead", "params", `must be { trunk, head } parameters of withHead`);
  checkModel("replaceHead", "head", head);
  return { trunk: params.trunk, head: head.init(foldInString(key, "head")) };
}

/** Parameters of a trunk with named heads. */
export type MultiHeadParams<T extends Tree = Tree> = { readonly trunk: T; readonly heads: Readonly<Record<string, Tree>> };

/**
 * One shared trunk and several heads whose outputs are concatenated along axis 1 in the order of
 * `heads` (figure 9.12b). Use with `multiTask`, whose tasks list the heads' output widths in the same order.
 * @example multiHead(mlp({ widths: [40, 100] }), { digit: linear({ inputs: 100, outputs: 10 }), shift: linear({ inputs: 100, outputs: 40 }) }, { activation: "relu" })
 */
export function multiHead<T extends Tree>(trunk: Model<T>, heads: Readonly<Record<string, Model<Tree>>>, options: HeadOptions = {}): Model<MultiHeadParams<T>> {
  checkModel("multiHead", "trunk", trunk);
  if (heads === null || typeof heads !== "object" || Object.keys(heads).length === 0) throw new TransferError("multiHead", "heads", `must be a non-empty record of models`);
  const names = Object.keys(heads);
  names.forEach((n) => checkModel("multiHead", `heads.${n}`, heads[n]));
  const act = resolveActivation(options.activation ?? "identity", "multiHead.activation");
  const tSites = trunk.sites ?? [];
  let offset = tSites.length;
  const maps = names.map((n) => {
    const m = renamed(`heads.${n}`, heads[n]!.sites, offset);
    offset += m.size;
    return m;
  });
  return {
    name: `multiHead(${trunk.name} → ${names.map((n) => `${n}: ${heads[n]!.name}`).join(", ")})`,
    sites: [...tSites, ...maps.flatMap((m) => [...m.values()])],
    init: (key) => ({
      trunk: trunk.init(foldInString(key, "trunk")),
      heads: Object.fromEntries(names.map((n) => [n, heads[n]!.init(foldInString(key, `head:${n}`))])),
    }),
    apply: (p, x, ctx = passThrough) => {
      const h = act(trunk.apply(p.trunk, x, ctx));
      const outs: Tensor[] = names.map((n, i) => heads[n]!.apply(p.heads[n]!, h, headContext(ctx, maps[i]!)));
      return outs.length === 1 ? outs[0]! : concat(outs, 1);
    },
  };
}

