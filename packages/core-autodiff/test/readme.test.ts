// Runs every ```ts block of the README. A line `console.log(expr); // → expected` becomes a check:
// numbers must agree to half a unit in the last digit shown in the comment, anything else must
// print exactly as written. So the README's outputs are real, not illustrative.
import { readFileSync } from "node:fs";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import * as lib from "../src/index.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m, i) => {
  const line = readme.slice(0, m.index).split("\n").length + 1;
  return { code: m[1]!, line, index: i };
});

const NUMBER = /-?(?:\d+\.?\d*(?:e[-+]?\d+)?|Infinity|NaN)/gi;

/** Print a logged value the way the README writes it. */
function show(v: unknown): string {
  if (v instanceof lib.Tensor) return show(v.toArray());
  if (Array.isArray(v)) return `[${v.map(show).join(", ")}]`;
  if (v instanceof Float64Array || v instanceof Float32Array || v instanceof Int32Array) return show(Array.from(v));
  return String(v);
}

/** Compare a printed value with the README's expected text (numbers to the precision shown). */
function check(args: unknown[], expected: string, where: string): void {
  const got = args.map(show).join(" ");
  const gotNums = got.match(NUMBER) ?? [];
  const expNums = expected.match(NUMBER) ?? [];
  const skeleton = (s: string) => s.replace(NUMBER, "#").replace(/\s+/g, "");
  if (skeleton(got) !== skeleton(expected) || gotNums.length !== expNums.length || expNums.length === 0) {
    expect(got, where).toBe(expected);
    return;
  }
  expNums.forEach((e, i) => {
    const g = Number(gotNums[i]), x = Number(e);
    if (!Number.isFinite(x)) return expect(g, where).toBe(x);
    const m = /\.(\d+)/.exec(e.split(/e/i)[0]!);
    const exp = /e([-+]?\d+)/i.exec(e);
    const tol = 0.5 * 10 ** (-(m ? m[1]!.length : 0) + (exp ? Number(exp[1]) : 0));
    expect(Math.abs(g - x), `${where}: printed ${got}, README says ${expected}`).toBeLessThanOrEqual(tol * (1 + 1e-9));
  });
}

/** Turn a README block into a function body: imports become destructuring, checked logs become calls. */
function compile(code: string): string {
  let body = code.replace(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+"@regularize\/core-autodiff";?/g, (_m, typeOnly: string | undefined, names: string) => {
    if (typeOnly) return "";
    const values = names.split(",").map((s) => s.trim()).filter((s) => s && !s.startsWith("type "));
    return `const { ${values.map((n) => n.replace(/\s+as\s+/, ": ")).join(", ")} } = __lib;`;
  });
  body = body
    .split("\n")
    .map((l, i) => {
      const m = /^(\s*)console\.log\((.*)\);\s*\/\/ → (.*)$/.exec(l);
      return m ? `${m[1]}__check([${m[2]}], ${JSON.stringify(m[3]!.trim())}, "README block line ${i + 1}");` : l;
    })
    .join("\n");
  return ts.transpileModule(body, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
}

/** Type-check every block as its own module (strict settings of tsconfig.base.json), importing the sources. */
function typeErrors(): string[] {
  const pkg = new URL("..", import.meta.url).pathname;
  const files = new Map(blocks.map((b) => [`${pkg}test/__readme_block_${b.index + 1}.ts`, `${b.code}\nexport {};\n`]));
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2023.d.ts", "lib.dom.d.ts"], types: ["node"], strict: true, noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true, verbatimModuleSyntax: true, isolatedModules: true, skipLibCheck: true, noEmit: true,
    baseUrl: pkg, paths: { "@regularize/core-autodiff": ["src/index.ts"] },
  };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host), exists = host.fileExists.bind(host), get = host.getSourceFile.bind(host);
  host.readFile = (f) => files.get(f) ?? read(f);
  host.fileExists = (f) => files.has(f) || exists(f);
  host.getSourceFile = (f, lang, ...rest) => {
    const text = files.get(f);
    return text !== undefined ? ts.createSourceFile(f, text, lang) : get(f, lang, ...rest);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${d.file.fileName.split("/").pop()}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : "";
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
}

describe("README examples", () => {
  it("type-check under the project's strict settings", () => {
    expect(typeErrors()).toEqual([]);
  });

  it("has ts examples with checked outputs", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10);
    expect(readme.match(/\/\/ → /g)?.length ?? 0).toBeGreaterThanOrEqual(20);
  });

  for (const b of blocks) {
    it(`block ${b.index + 1} (README line ${b.line}) runs and prints what the README says`, () => {
      const js = compile(b.code);
      let checks = 0;
      const run = new Function("__lib", "__check", js) as (l: typeof lib, c: typeof check) => void;
      run(lib, (args, expected, where) => {
        checks++;
        check(args, expected, `README line ${b.line}, ${where}`);
      });
      // a block with `// →` comments must have executed every one of them
      expect(checks).toBe((b.code.match(/^\s*console\.log\(.*\);\s*\/\/ → /gm) ?? []).length);
    });
  }
});
