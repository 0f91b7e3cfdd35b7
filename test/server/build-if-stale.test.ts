/** `npm start` rebuilds only when an input changed or an output is missing (scripts/build-if-stale.mjs). */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const SCRIPT = path.resolve(__dirname, "../../scripts/build-if-stale.mjs");
/** The "build": writes the output and appends one line per run to builds.log. */
const BUILD = `node -e "const f=require('fs');f.mkdirSync('out',{recursive:true});f.writeFileSync('out/app.js','x');f.appendFileSync('builds.log','b\\n')"`;

describe("build-if-stale", () => {
  let root: string;
  const run = () =>
    execFileSync(process.execPath, [SCRIPT, "--root", root, "--build", BUILD, "--inputs", "src,cards", "--outputs", "out/app.js"], {
      encoding: "utf8",
    });
  const builds = () => readFileSync(path.join(root, "builds.log"), "utf8").split("\n").filter(Boolean).length;

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), "vitd-build-"));
    mkdirSync(path.join(root, "src"));
    writeFileSync(path.join(root, "src", "a.ts"), "export const a = 1;\n");
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("builds the first time, then not again while nothing changed", () => {
    expect(run()).toContain("building");
    expect(run()).toContain("up to date");
    expect(run()).toContain("up to date");
    expect(builds()).toBe(1);
  });

  it("rebuilds when a source file changes, when one is added, and when an output is missing", () => {
    run();
    writeFileSync(path.join(root, "src", "a.ts"), "export const a = 2;\n");
    expect(run()).toContain("building");
    mkdirSync(path.join(root, "cards"));
    writeFileSync(path.join(root, "cards", "c.json"), "{}");
    expect(run()).toContain("building");
    unlinkSync(path.join(root, "out", "app.js"));
    expect(run()).toContain("building");
    expect(run()).toContain("up to date");
    expect(builds()).toBe(4);
  });
});
