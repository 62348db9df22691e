import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { checkPackage, createPackageFromTarballData } from "@arethetypeswrong/core";
import { publint } from "publint";
import { beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES, program, specifiersOf } from "./examples.js";

const ROOT = resolve(fileURLToPath(import.meta.url), "../../../..");
const WORK = mkdtempSync(join(tmpdir(), "regularize-pack-"));

interface Packed {
  readonly name: string;
  readonly tarball: string;
  /** The tarball's package.json (what npm users get). */
  readonly manifest: Record<string, any>;
  /** The tarball extracted (for publint and file checks). */
  readonly dir: string;
}

const publishable = readdirSync(join(ROOT, "packages"))
  .map((d) => join(ROOT, "packages", d))
  .filter((d) => existsSync(join(d, "package.json")))
  .map((d) => ({ dir: d, pkg: JSON.parse(readFileSync(join(d, "package.json"), "utf8")) }))
  .filter(({ pkg }) => !pkg.private);
const packed = new Map<string, Packed>();

const pnpmBin = existsSync(join(ROOT, ".tools/bin/pnpm")) ? join(ROOT, ".tools/bin/pnpm") : "pnpm";
const sh = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CI: "true" } });

beforeAll(() => {
  const out = join(WORK, "tarballs");
  for (const { dir, pkg } of publishable) {
    // pnpm pack applies publishConfig and turns workspace:* into versions, as publishing does.
    const lines = sh(pnpmBin, ["pack", "--pack-destination", out], dir).trim().split("\n");
    const tarball = lines.map((l) => l.trim()).find((l) => l.endsWith(".tgz"))!;
    const ex = join(WORK, "extract", pkg.name.replace("/", "__"));
    mkdirSync(ex, { recursive: true });
    sh("tar", ["xzf", tarball, "-C", ex], ROOT);
    const dirIn = join(ex, "package");
    packed.set(pkg.name, { name: pkg.name, tarball, dir: dirIn, manifest: JSON.parse(readFileSync(join(dirIn, "package.json"), "utf8")) });
  }
});

/** Every @regularize package `name` needs at run time, itself included. */
function closure(name: string, seen = new Set<string>()): Set<string> {
  if (seen.has(name)) return seen;
  seen.add(name);
  for (const dep of Object.keys(packed.get(name)!.manifest.dependencies ?? {})) if (packed.has(dep)) closure(dep, seen);
  return seen;
}

/** A scratch npm project (no workspace) with `name` and its @regularize dependencies installed from tarballs. */
function scratch(name: string): string {
  const dir = join(WORK, "scratch", name.replace("/", "__"));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "scratch", version: "1.0.0", private: true }));
  const tarballs = [...closure(name)].map((n) => packed.get(n)!.tarball);
  sh("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", ...tarballs], dir);
  return dir;
}

function exportTargets(v: unknown): string[] {
  if (typeof v === "string") return [v];
  if (v && typeof v === "object") return Object.values(v).flatMap(exportTargets);
  return [];
}

describe.each(publishable.map(({ pkg }) => pkg.name as string))("%s as published", (name) => {
  it("has no workspace: ranges, no source condition, a LICENSE, its README and every export target", () => {
    const p = packed.get(name)!;
    const deps = { ...p.manifest.dependencies, ...p.manifest.peerDependencies, ...p.manifest.optionalDependencies };
    expect(Object.entries(deps).filter(([, r]) => String(r).startsWith("workspace:"))).toEqual([]);
    expect(JSON.stringify(p.manifest.exports)).not.toContain('"source"');
    expect(existsSync(join(p.dir, "LICENSE"))).toBe(true);
    expect(existsSync(join(p.dir, "README.md"))).toBe(true);
    const missing = exportTargets(p.manifest.exports).filter((t) => !existsSync(join(p.dir, t)));
    expect(missing).toEqual([]);
  });

  it("passes publint", async () => {
    const { messages } = await publint({ pkgDir: packed.get(name)!.dir, level: "warning", strict: true });
    expect(messages.map((m) => `${m.type} ${m.code} ${m.path.join(".")}`)).toEqual([]);
  });

  it("passes attw (types resolve under node10, node16 CJS/ESM and bundler)", async () => {
    const data = new Uint8Array(readFileSync(packed.get(name)!.tarball));
    const result = await checkPackage(createPackageFromTarballData(data));
    const problems = "problems" in result ? result.problems : [];
    expect(problems.map((p) => `${p.kind} ${"entrypoint" in p ? p.entrypoint : ""} ${"resolutionKind" in p ? p.resolutionKind : ""}`)).toEqual([]);
  });

  const body = EXAMPLES[name];
  it.runIf(body !== undefined)("installs alone with npm and runs its README example as ESM and as CommonJS", () => {
    const dir = scratch(name);
    for (const spec of specifiersOf(body!)) expect(spec.startsWith(name) || closure(name).has(spec.replace(/\/testing$/, ""))).toBe(true);
    writeFileSync(join(dir, "example.mjs"), program(body!, "esm"));
    writeFileSync(join(dir, "example.cjs"), program(body!, "cjs"));
    expect(sh("node", ["example.mjs"], dir)).toMatch(/^ok /m);
    expect(sh("node", ["example.cjs"], dir)).toMatch(/^ok /m);
  });
});

describe("the dual-package hazard", () => {
  it("names it when a CommonJS tensor reaches the ESM build's grad", () => {
    const dir = scratch("@regularize/core-autodiff");
    writeFileSync(join(dir, "mixed.mjs"), `
      import { createRequire } from "node:module";
      import { grad, sum } from "@regularize/core-autodiff";
      const cjs = createRequire(import.meta.url)("@regularize/core-autodiff");
      try { grad((p) => sum(p.w))({ w: cjs.tensor([1, 2]) }); console.log("accepted"); }
      catch (e) { console.log(e.name + ": " + e.message); }
    `);
    expect(sh("node", ["mixed.mjs"], dir)).toMatch(/^DualPackageError: tree: \.w is a Tensor from another copy of @regularize\/core-autodiff/m);
  });
});

it("covers every publishable package with a README example", () => {
  expect(publishable.map(({ pkg }) => pkg.name).filter((n) => EXAMPLES[n] === undefined)).toEqual([]);
});
