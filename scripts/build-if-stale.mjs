// `npm start` runs this first: builds only when the build inputs changed since the last build (a content
// hash of src/, launch/, sandbox/, cards/ and the build configuration, kept in dist/.build-inputs), or an
// output is missing. A restarted production process does not rebuild (no 90 s restart loop).
// Usage: node scripts/build-if-stale.mjs [--root <dir>] [--build "<command>"] [--inputs a,b] [--outputs x,y]
import { createHash } from "node:crypto";
import { execSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const root = resolve(flag("--root", join(dirname(fileURLToPath(import.meta.url)), "..")));
const build = flag("--build", "npm run build");
const inputs = flag("--inputs", "src,launch,sandbox,cards,package-lock.json,tsconfig.json,tsconfig.build.json").split(",");
const outputs = flag(
  "--outputs",
  "dist/server.js,dist/cli/main.js,launch/dist/app.js,launch/dist/launch.js,sandbox/dist/web/simulator.js",
).split(",");
const stamp = join(root, "dist", ".build-inputs");
const SKIP = new Set(["node_modules", "dist", ".git"]);

/** Files under `path`, sorted, skipping build outputs and dependencies. */
function files(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((n) => !SKIP.has(n))
    .sort()
    .flatMap((n) => files(join(path, n)));
}

export function inputsHash() {
  const hash = createHash("sha256");
  for (const input of inputs) {
    for (const file of files(join(root, input))) hash.update(relative(root, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  return hash.digest("hex");
}

const current = inputsHash();
const upToDate = existsSync(stamp) && readFileSync(stamp, "utf8") === current && outputs.every((o) => existsSync(join(root, o)));
if (upToDate) {
  console.log("build is up to date (inputs unchanged since the last build)");
} else {
  console.log("building (inputs changed or outputs missing)…");
  execSync(build, { cwd: root, stdio: "inherit" });
  mkdirSync(dirname(stamp), { recursive: true });
  writeFileSync(stamp, current);
}
