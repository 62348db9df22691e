// The notebooks' seed-1 data as printed in CHAPTER9 §1.1 (numpy legacy MT19937, rounded to 6 decimals):
// the chapter's figure-9.11 reference numbers were computed from these rounded values.
/** Inputs of the seed-1 dataset. */
export const SEED1_X: number[] = [0.027801, 0.114688, 0.133341, 0.220156, 0.276450, 0.339489, 0.412417, 0.489704, 0.559784, 0.635921, 0.694613, 0.779015, 0.813630, 0.925208, 0.935159];
/** Targets of the seed-1 dataset. */
export const SEED1_Y: number[] = [0.931820, 2.466170, 1.769386, 2.725345, 2.850461, 2.160701, 1.906322, 1.178985, 0.853258, 0.443039, 0.964807, 0.473235, 0.740574, 0.296643, 0.417498];
