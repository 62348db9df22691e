// A small rule set on purpose (issue 19): no `any`, no floating or misused promises. Type-aware, on
// sources only (tests may use `any` for deliberately wrong inputs).
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "**/.turbo/**", "**/*.generated.*", "**/*.test.ts", "**/*.test-d.ts", "**/test/**", "**/e2e/**", "**/*.config.ts", "**/*.mjs", "**/*.cjs", "**/*.js"] },
  {
    files: ["packages/*/src/**/*.ts", "apps/*/src/**/*.{ts,tsx}", "bench/src/**/*.ts"],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "@typescript-eslint": tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
    },
  },
);
