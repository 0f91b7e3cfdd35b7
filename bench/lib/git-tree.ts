/** A git ref's service sources (src/ and cards/) extracted into `dir`, for the A/B tools (engine-ab, server-ab). */
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { projectRoot } from "./paths";

export function extractServiceTree(ref: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const archive = execFileSync("git", ["archive", "--format=tar", ref, "src", "cards"], { cwd: projectRoot, maxBuffer: 1 << 28 });
  execFileSync("tar", ["-x", "-C", dir], { input: archive });
  return dir;
}
