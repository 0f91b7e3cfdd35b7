// Bundles the SMART app (launch/src/*.ts + fhirclient + Chart.js + the service's engine modules)
// into launch/dist/{launch,app}.js for the browser. Run by `npm run build`; tests run it with
// `--outdir <tmp>`. Usage: node launch/build.mjs [--outdir <dir>] [--no-minify]
import { build } from "esbuild";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const outdir = resolve(flag("--outdir") ?? resolve(here, "dist"));
const minify = !args.includes("--no-minify");

try {
  const result = await build({
    entryPoints: { launch: resolve(here, "src/launch-main.ts"), app: resolve(here, "src/app-main.ts") },
    outdir,
    bundle: true,
    format: "iife",
    platform: "browser",
    target: ["es2020", "chrome100", "firefox100", "safari16"],
    minify,
    sourcemap: "linked",
    legalComments: "linked",
    // fhirclient's "pure" build: no fetch/AbortController polyfills for modern browsers.
    define: { FHIRCLIENT_PURE: "true", "process.env.NODE_ENV": '"production"' },
    logLevel: "warning",
    metafile: true,
  });
  const sizes = Object.entries(result.metafile.outputs)
    .filter(([file]) => file.endsWith(".js"))
    .map(([file, o]) => `${file.split("/").pop()} ${(o.bytes / 1024).toFixed(0)} kB`);
  console.log(`SMART app bundled into ${outdir}: ${sizes.join(", ")}`);
} catch (e) {
  console.error(`SMART app bundle failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
