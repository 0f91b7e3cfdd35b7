/**
 * The import graph of src/ only points down. Layers, top to bottom (src/README.md):
 * entry points (server, service-app, shutdown, app, cli, screen) → metrics → feedback → smart → http → auth → cds →
 * engine → render → rules → config → fhir → net → errors, logger, service-name, flags, text-memo.
 * A module may import its own folder and any folder below it; an import upwards fails here with the file named.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

const SRC = join(__dirname, "..", "..", "src");
const ENTRY = ["server", "service-app", "shutdown", "app", "cli", "screen"];
const LAYERS: string[][] = [
  ENTRY,
  ["metrics"],
  ["feedback"],
  ["smart"],
  ["http"],
  ["auth"],
  ["cds"],
  ["engine"],
  ["render"],
  ["rules"],
  ["config"],
  ["fhir"],
  ["net"],
  ["errors", "logger", "service-name", "flags", "text-memo"],
];
const rank = new Map(LAYERS.flatMap((names, i) => names.map((n): [string, number] => [n, i])));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : name.endsWith(".ts") ? [path] : [];
  });
}

/** The top-level unit of src/ a path belongs to: its first folder, or the file name for a file at the top. */
const unitOf = (path: string) => (relative(SRC, path).split(/[\\/]/)[0] ?? "").replace(/\.(ts|json)$/, "");

const imports = files(SRC).flatMap((file) =>
  [...readFileSync(file, "utf8").matchAll(/(?:from|import)\s+"(\.{1,2}\/[^"]+)"/g)].map((m) => ({
    file,
    target: normalize(join(dirname(file), m[1] ?? "")),
  })),
);

describe("src/ layers", () => {
  it("finds the imports", () => {
    expect(imports.length).toBeGreaterThan(200);
  });

  it("knows every top-level unit", () => {
    const units = new Set(files(SRC).map(unitOf));
    expect([...units].filter((u) => !rank.has(u))).toEqual([]);
  });

  it("has no import pointing up a layer", () => {
    const upward = imports
      .filter(({ target }) => target.startsWith(SRC))
      .map(({ file, target }) => ({ file: relative(SRC, file), from: unitOf(file), to: unitOf(target) }))
      .filter(({ from, to }) => from !== to && rank.has(to) && (rank.get(to) ?? 0) < (rank.get(from) ?? 0))
      .map(({ file, from, to }) => `${file}: ${from} → ${to}`);
    expect(upward).toEqual([]);
  });
});
