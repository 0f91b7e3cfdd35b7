/**
 * Transpiles the service (src/**), the benchmark servers and the JSON they import into a temporary
 * directory with the repository's layout (relative imports and JSON files work unchanged, CPU
 * profiles name the original files) and a node_modules symlink to the project's. The children then
 * run plain JavaScript like `node dist/server.js` does, without tsx's loader and its `__name`
 * helpers. Outside the repository so linters and watchers never see it; removed when this process exits.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSync } from "esbuild";
import { whatIfIds, whatIfPatches } from "../what-if/patches";
import { projectRoot } from "./paths";

export const buildDir = join(tmpdir(), `vitd-cds-bench-${process.pid}`);

const SOURCE_DIRS = ["src", "bench/servers", "bench/fixtures"];
const DATA_DIRS = ["src", "cards"];

function filesUnder(dir: string, suffix: string, root = projectRoot): string[] {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  return (readdirSync(abs, { recursive: true }) as string[])
    .filter((f) => f.endsWith(suffix) && !f.endsWith(".d.ts"))
    .map((f) => join(dir, f));
}

let built: string | undefined;

function applyWhatIf(ids: readonly string[]): void {
  const unknown = ids.filter((id) => !whatIfIds.includes(id));
  if (unknown.length > 0) throw new Error(`unknown what-if patch(es) ${unknown.join(", ")}; known: ${whatIfIds.join(", ")}`);
  for (const p of whatIfPatches.filter((x) => ids.includes(x.id))) {
    const file = join(buildDir, p.file);
    const before = readFileSync(file, "utf8");
    const after = before.replace(p.find, p.replace);
    if (after === before) throw new Error(`what-if patch ${p.id} no longer applies to ${p.file}`);
    writeFileSync(file, after);
  }
}

/**
 * Transpiles the tree at `root` (its src/, cards/ and the working tree's benchmark servers and fixtures, so an older
 * tree runs the same harness) into `outDir`, with a node_modules symlink to the project's.
 */
export function compileTree(root: string, outDir: string): void {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  symlinkSync(join(projectRoot, "node_modules"), join(outDir, "node_modules"), "dir");
  const sources = SOURCE_DIRS.flatMap((d) => {
    const from = d === "src" ? root : projectRoot;
    return filesUnder(d, ".ts", from).map((f) => ({ from, f }));
  });
  for (const from of new Set(sources.map((x) => x.from))) {
    buildSync({
      entryPoints: sources.filter((x) => x.from === from).map((x) => join(from, x.f)),
      outbase: from,
      outdir: outDir,
      bundle: false,
      platform: "node",
      format: "cjs",
      target: "node20",
      logLevel: "error",
    });
  }
  for (const f of DATA_DIRS.flatMap((d) => filesUnder(d, ".json", root))) cpSync(join(root, f), join(outDir, f));
}

/** Builds once per process and set of what-if patches. Returns the build directory. */
export function compileServers(whatIf: readonly string[] = []): string {
  const key = [...whatIf].sort().join(",");
  if (built === key) return buildDir;
  if (built === undefined) process.once("exit", () => rmSync(buildDir, { recursive: true, force: true }));
  compileTree(projectRoot, buildDir);
  applyWhatIf(whatIf);
  built = key;
  return buildDir;
}

/**
 * The compiled path of a TypeScript file given relative to the project root, e.g. "bench/servers/app-server.ts": in
 * `outDir` (from compileTree) or in this process's build of the working tree.
 */
export function compiledPath(script: string, outDir?: string): string {
  if (outDir === undefined && built === undefined) compileServers();
  return join(outDir ?? buildDir, script.replace(/\.ts$/, ".js"));
}
