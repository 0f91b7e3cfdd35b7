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

function filesUnder(dir: string, suffix: string): string[] {
  const abs = join(projectRoot, dir);
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

/** Builds once per process and set of what-if patches. Returns the build directory. */
export function compileServers(whatIf: readonly string[] = []): string {
  const key = [...whatIf].sort().join(",");
  if (built === key) return buildDir;
  rmSync(buildDir, { recursive: true, force: true });
  mkdirSync(buildDir, { recursive: true });
  if (built === undefined) process.once("exit", () => rmSync(buildDir, { recursive: true, force: true }));
  symlinkSync(join(projectRoot, "node_modules"), join(buildDir, "node_modules"), "dir");
  buildSync({
    entryPoints: SOURCE_DIRS.flatMap((d) => filesUnder(d, ".ts")).map((f) => join(projectRoot, f)),
    outbase: projectRoot,
    outdir: buildDir,
    bundle: false,
    platform: "node",
    format: "cjs",
    target: "node20",
    logLevel: "error",
  });
  for (const f of DATA_DIRS.flatMap((d) => filesUnder(d, ".json"))) cpSync(join(projectRoot, f), join(buildDir, f));
  applyWhatIf(whatIf);
  built = key;
  return buildDir;
}

/** The compiled path of a TypeScript file given relative to the project root, e.g. "bench/servers/app-server.ts". */
export function compiledPath(script: string): string {
  if (built === undefined) compileServers();
  return join(buildDir, script.replace(/\.ts$/, ".js"));
}
