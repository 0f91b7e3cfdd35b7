// Bundles the sandbox with esbuild:
//   sandbox/web/src/main.ts → sandbox/dist/web/simulator.js   (the EHR simulator page, browser)
//   sandbox/main.ts         → sandbox/dist/main.cjs            (node: service + simulator, for the Docker image)
//   sandbox/seed.ts         → sandbox/dist/seed.cjs            (node: demo-patient loader)
// Usage: node sandbox/build.mjs [--web-only] [--outdir <dir>]
import { build } from "esbuild";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const outIndex = args.indexOf("--outdir");
const outdir = resolve(outIndex >= 0 ? args[outIndex + 1] : resolve(here, "dist"));
const webOnly = args.includes("--web-only");

try {
  await build({
    entryPoints: { simulator: resolve(here, "web/src/main.ts") },
    outdir: resolve(outdir, "web"),
    bundle: true,
    format: "iife",
    platform: "browser",
    target: ["es2020", "chrome100", "firefox100", "safari16"],
    sourcemap: "linked",
    logLevel: "warning",
  });
  if (!webOnly) {
    await build({
      entryPoints: { main: resolve(here, "main.ts"), seed: resolve(here, "seed.ts") },
      outdir,
      outExtension: { ".js": ".cjs" },
      bundle: true,
      format: "cjs",
      platform: "node",
      target: "node20",
      packages: "external",
      sourcemap: "linked",
      logLevel: "warning",
    });
  }
  console.log(`sandbox bundled into ${outdir}${webOnly ? " (web only)" : ""}`);
} catch (e) {
  console.error(`sandbox bundle failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
