import { DatasetArgumentError, describe } from "./errors.js";
import type { Split } from "./split.js";

/** Names of the digitised datasets printed in UDL chapter 9 (figs 9.6 and 9.11 reuse fig 9.2's points). */
export type BookDatasetName = "fig9_2" | "fig9_6" | "fig9_7" | "fig9_9" | "fig9_10" | "fig9_11";

/** A dataset read off a printed figure, with the plot context needed to draw it like the book. */
export interface BookDataset extends Split<Float64Array> {
  /** Always 1: inputs are scalars x ∈ [0, 1]. */
  readonly dim: 1;
  /** Figures that show these points. */
  readonly figures: readonly string[];
  /** y is always stored in raw units of μ(x) = exp(sin 2πx). */
  readonly units: "raw";
  /**
   * The printed figure's y axis: `"scaled"` means the book plots `toDisplayUnits(y)` (figs 9.2, 9.6),
   * `"raw"` that it plots y itself.
   */
  readonly axis: { readonly units: "raw" | "scaled"; readonly range: readonly [number, number] };
  /** Digitising accuracy. */
  readonly accuracy: string;
  /** Provenance and caveats. */
  readonly note: string;
  /** For fig 9.9: the interval with no data, where five hidden-unit joints fall. */
  readonly gap?: readonly [number, number];
}

interface BookTable {
  readonly points: readonly (readonly [number, number])[];
  readonly figures: readonly string[];
  readonly yRange: readonly [number, number];
  readonly accuracy: string;
  readonly note: string;
  readonly gap?: readonly [number, number];
}

const SCALED_AXIS = Object.freeze({ units: "scaled" as const, range: Object.freeze([-1, 1] as const) });

const FIG9_2: BookTable = {
  // prettier-ignore
  points: [
    [0.039, 1.157], [0.116, 1.946], [0.154, 1.78], [0.235, 2.817], [0.327, 1.94],
    [0.391, 1.685], [0.41, 1.546], [0.48, 1.676], [0.535, 0.849], [0.627, 0.133],
    [0.666, 0.217], [0.761, 0.683], [0.839, 0.284], [0.881, 0.13], [0.973, 1.079],
  ],
  figures: ["9.2", "9.6", "9.11"],
  yRange: [-1, 4],
  accuracy: "about ±0.005 in x and ±0.02 in y",
  note:
    "The 15 points shared by figs 9.2, 9.6 and 9.11, digitised from the figure PDFs (CHAPTER9.md §1.1). " +
    "A different draw from the notebooks' seed-1 data; the book's seed is unknown.",
};

const TABLES: Readonly<Record<"fig9_2" | "fig9_7" | "fig9_9" | "fig9_10", BookTable>> = {
  fig9_2: FIG9_2,
  fig9_7: {
    // prettier-ignore
    points: [
      [0.027, 1.17], [0.061, 1.65], [0.116, 1.61], [0.128, 2.25], [0.195, 2.39],
      [0.231, 3.0], [0.268, 2.4], [0.32, 2.16], [0.33, 2.46], [0.363, 2.54],
      [0.426, 1.76], [0.475, 0.92], [0.51, 1.1], [0.522, 1.53], [0.565, 0.61],
      [0.612, 0.54], [0.668, 0.53], [0.715, 0.95], [0.728, 0.28], [0.787, 0.32],
      [0.828, 0.25], [0.854, 0.65], [0.912, 0.65], [0.953, 1.35], [0.968, 1.09],
    ],
    figures: ["9.7"],
    yRange: [-1, 4],
    accuracy: "about ±0.01",
    note: "The 25 points of the bagging figure 9.7 (noise about 0.3), digitised approximately (CHAPTER9.md §2, fig 9.7).",
  },
  fig9_9: {
    // prettier-ignore
    points: [
      [0.021, 0.52], [0.093, 1.95], [0.11, 1.53], [0.195, 2.24], [0.225, 2.36],
      [0.281, 2.5], [0.338, 2.67], [0.376, 2.25], [0.415, 1.67], [0.742, 0.35],
      [0.768, 0.3], [0.822, 0.36], [0.866, 0.53], [0.933, 0.7], [0.98, 1.32],
    ],
    figures: ["9.9"],
    yRange: [-2, 5],
    accuracy: "about ±0.01",
    gap: [0.415, 0.742],
    note:
      "Dropout 'kink' figure 9.9: no data between x = 0.415 and 0.742, where the joints 6/14 … 10/14 of the " +
      "14-unit model lie, so a bump on hidden units 7/8/9 (joints 0.5, 0.571, 0.643) costs nothing on the data " +
      "(CHAPTER9.md §2, fig 9.9).",
  },
  fig9_10: {
    // prettier-ignore
    points: [
      [0.052, 2.07], [0.069, 1.87], [0.176, 2.7], [0.251, 2.66], [0.3, 2.8],
      [0.349, 3.13], [0.413, 1.53], [0.516, 0.42], [0.546, 0.45], [0.605, 1.4],
      [0.712, 1.28], [0.796, -0.17], [0.8, 1.37], [0.9, 0.62], [0.981, 1.5],
    ],
    figures: ["9.10"],
    yRange: [-1, 4],
    accuracy: "about ±0.01",
    note: "Input-noise figure 9.10: 15 points with random (not stratified) x (CHAPTER9.md §2, fig 9.10).",
  },
};

/** All names accepted by {@link bookDataset}. */
export const BOOK_DATASET_NAMES: readonly BookDatasetName[] = Object.freeze([
  "fig9_2",
  "fig9_6",
  "fig9_7",
  "fig9_9",
  "fig9_10",
  "fig9_11",
]);

/** Returns a fresh copy of a digitised chapter-9 dataset (raw units, sorted by x). */
export function bookDataset(name: BookDatasetName): BookDataset {
  const key = name === "fig9_6" || name === "fig9_11" ? "fig9_2" : name;
  const table = typeof key === "string" ? (TABLES as Record<string, BookTable | undefined>)[key] : undefined;
  if (table === undefined) {
    throw new DatasetArgumentError("name", `must be one of ${BOOK_DATASET_NAMES.join(", ")}, got ${describe(name)}`);
  }
  const n = table.points.length;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  table.points.forEach(([px, py], i) => {
    x[i] = px;
    y[i] = py;
  });
  return {
    x,
    y,
    n,
    dim: 1,
    figures: table.figures,
    units: "raw",
    axis: name === "fig9_2" || name === "fig9_6" ? SCALED_AXIS : { units: "raw", range: table.yRange },
    accuracy: table.accuracy,
    note: table.note,
    ...(table.gap ? { gap: table.gap } : {}),
  };
}
