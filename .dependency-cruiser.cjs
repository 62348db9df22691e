// The import rules of shared/DESIGN.md ("Packages and who may import whom"), enforced in `pnpm test`
// (`pnpm lint:imports`). Tests may also import their package's devDependencies (fixtures, helpers).
/** Who may import whom: package folder → the sibling packages its source may import. */
const ALLOWED = {
  "core-autodiff": [],
  datasets: [],
  "core-train": ["core-autodiff"],
  optim: ["core-train", "core-autodiff"],
  penalties: ["core-train", "core-autodiff"],
  noise: ["datasets", "core-train", "core-autodiff"],
  ensemble: ["optim", "core-train", "core-autodiff", "datasets"],
  bayes: ["ensemble", "noise", "optim", "core-train", "core-autodiff"],
  transfer: ["optim", "penalties", "core-train", "core-autodiff", "datasets"],
};
const NOT_TEST = "(\\.test\\.ts|\\.test-d\\.ts|\\.bench\\.ts)$|/test/|/bench/";

const siblingRules = Object.entries(ALLOWED).map(([pkg, allowed]) => ({
  name: `${pkg}-imports`,
  comment: `${pkg} may import only ${allowed.length ? allowed.join(", ") : "no other package"} (DESIGN.md)`,
  severity: "error",
  from: { path: `^packages/${pkg}/`, pathNot: NOT_TEST },
  to: { path: "^packages/([^/]+)/", pathNot: `^packages/(${[pkg, ...allowed].join("|")})/` },
}));

module.exports = {
  forbidden: [
    ...siblingRules,
    {
      name: "packages-not-apps",
      comment: "packages never import the apps or the bench",
      severity: "error",
      from: { path: "^packages/" },
      to: { path: "^(apps|bench)/" },
    },
    {
      name: "no-deep-imports",
      comment: "another package is imported through its exports (src/index.ts or a declared subpath), never @regularize/x/src/...",
      severity: "error",
      from: { path: "^(packages|apps|bench|tests)/([^/]+)/" },
      to: { path: "^packages/([^/]+)/src/", pathNot: ["^packages/$2/", "^packages/[^/]+/src/(index|testing)\\.ts$"] },
    },
    {
      name: "no-unresolvable",
      comment: "every import resolves (a deep import @regularize/x/src/... is outside x's exports map and does not)",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: "no-dist-imports",
      comment: "sources resolve siblings to their sources (the source condition), never to a build",
      severity: "error",
      from: { path: "^(packages|apps)/[^/]+/src/" },
      to: { path: "^packages/[^/]+/dist/" },
    },
    {
      name: "no-cycles",
      comment: "no import circles (type-only imports may close a loop: they vanish at runtime)",
      severity: "error",
      from: {},
      to: { circular: true, dependencyTypesNot: ["type-only"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|dist|\\.turbo|\\.test-results)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.base.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["source", "import", "require", "default"],
      mainFields: ["module", "main", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"],
    },
    combinedDependencies: true,
  },
};
