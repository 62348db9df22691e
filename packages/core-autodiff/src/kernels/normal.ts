import type { DataArray } from "../dtype.js";
import { threefry, threefryRounds } from "../threefry.js";
import { type BlockFn, zigguratWords } from "../ziggurat.js";

/** Counter word (second block word) of sample i's first word: word i & 1 of block (i >> 1, X1). */
export const NORMAL_X1 = 0x3a11;

/**
 * The `normal` kernel (reference loop): out[i] = m + sd·z_i, or a·g[i] + sd·z_i when `g` is given
 * (a = scale[0], sd = std[0]), z_i the ziggurat's standard normal of sample i under the key words
 * `key` (see ziggurat.ts). `table` is ZIG_KERNEL_TABLE, an argument only so that a WASM replay finds
 * it in its own memory; this loop reads its constants from ziggurat.ts. `rounds`: Threefry's (20, the
 * library's generator, or 13: Threefry-2x32-13, every word of the draw from it).
 */
export function normalKernel(key: DataArray, scale: DataArray, std: DataArray, g: DataArray | null, out: DataArray, _table: DataArray, rounds: 13 | 20 = 20): void {
  const k0 = key[0]! >>> 0, k1 = key[1]! >>> 0, n = out.length;
  if (n === 0) return;
  const tf = rounds === 20 ? threefry : (a: number, b: number, x0: number, x1: number, o: Uint32Array, at: number) => threefryRounds(rounds, a, b, x0, x1, o, at);
  const words = new Uint32Array(n + (n & 1));
  for (let i = 0; i < words.length; i += 2) tf(k0, k1, i >>> 1, NORMAL_X1, words, i);
  const buf = new Uint32Array(2);
  const block: BlockFn = (c0, c1) => {
    tf(k0, k1, c0, c1, buf, 0);
    return buf;
  };
  zigguratWords(new Int32Array(words.buffer, 0, n), out, scale[0]!, std[0]!, g, block);
}
