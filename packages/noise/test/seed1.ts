import { makeToyData } from "@regularize/datasets";

// The notebooks' seed-1 data (CHAPTER9 §1.1), from the datasets package (test-only dependency),
// rounded to the 6 decimals the chapter's reference numbers were computed from.
const SEED1 = makeToyData({ seed: 1 });
/** Inputs of the seed-1 dataset. */
export const SEED1_X: number[] = Array.from(SEED1.x, (v) => Number(v.toFixed(6)));
/** Targets of the seed-1 dataset. */
export const SEED1_Y: number[] = Array.from(SEED1.y, (v) => Number(v.toFixed(6)));
