// Figure 9.14's Venn diagram as data: four sets (ellipses) and where each method's label sits.
/** The four mechanisms of figure 9.14 and where each method sits (CHAPTER9 §2, fig 9.14 table). */
export const SETS = [
  { key: "a", label: "make the function smoother", cx: 250, cy: 180, color: "#1fb5c9" },
  { key: "b", label: "increase the data", cx: 450, cy: 180, color: "#f08c2a" },
  { key: "c", label: "combine multiple models", cx: 250, cy: 330, color: "#2b8a3e" },
  { key: "d", label: "find wider minima", cx: 450, cy: 330, color: "#9c36b5" },
] as const;

export type SetKey = (typeof SETS)[number]["key"];

export interface Method {
  readonly name: string;
  readonly sets: readonly SetKey[];
  /** The panel showing it, if the playground has one. */
  readonly href?: string;
  /** Label position (inside the right region of the diagram). */
  readonly x: number;
  readonly y: number;
}

export const METHODS: readonly Method[] = [
  { name: "Explicit L2", sets: ["a"], href: "#/fig-9-1", x: 170, y: 130 },
  { name: "Early stopping", sets: ["a"], href: "#/fig-9-6", x: 170, y: 160 },
  { name: "Noise on inputs", sets: ["a", "b"], href: "#/fig-9-10", x: 350, y: 120 },
  { name: "Label smoothing", sets: ["a", "b"], x: 350, y: 145 },
  { name: "Data augmentation", sets: ["b"], href: "#/fig-9-13", x: 530, y: 130 },
  { name: "Multi-task learning", sets: ["b"], href: "#/fig-9-12", x: 530, y: 160 },
  { name: "Transfer learning", sets: ["b"], href: "#/fig-9-12", x: 530, y: 190 },
  { name: "Ensembling", sets: ["a", "c"], href: "#/fig-9-7", x: 200, y: 250 },
  { name: "Bayesian approach", sets: ["a", "c"], href: "#/fig-9-11", x: 200, y: 275 },
  { name: "Dropout", sets: ["a", "c", "d"], href: "#/fig-9-8", x: 330, y: 275 },
  { name: "Implicit regularisation", sets: ["d"], href: "#/fig-9-3", x: 530, y: 320 },
  { name: "Noise on weights", sets: ["d"], x: 530, y: 345 },
];


/** The sets whose ellipse contains the point (x, y) (ellipses rx = 190, ry = 120, as drawn). */
export function setsAt(x: number, y: number): SetKey[] {
  return SETS.filter((s) => ((x - s.cx) / 190) ** 2 + ((y - s.cy) / 120) ** 2 < 1).map((s) => s.key);
}
