/**
 * npm run bench [-- options]: runs the benchmark suite, prints one table per benchmark and writes
 * docs/benchmarks.md. Options: --only=hook-overhead,memory  --duration=10  --memory-duration=300
 * --rate=200  --connections=10  --engine-sizes=10,100,1000,10000  --cold-starts=5
 * --stub-delay=20  --log-level=info  --feedback-db=file|memory  --what-if=<patch ids>  --cpu-prof=<dir>
 * --heap-snapshots=<dir> (memory: before/after snapshots; compare with bench/heap-diff.ts)
 * --out=<file> | --no-write
 * (durations in seconds). Exit code 1 if a target is missed.
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { benchIds, runBench, type BenchId, type RunBenchOptions } from "./index";
import { projectRoot } from "./lib/paths";
import { renderMarkdown, textTable } from "./lib/report";

function parseArgs(argv: string[]): { options: RunBenchOptions; out: string | undefined } {
  const args = new Map(argv.map((a) => a.replace(/^--/, "").split("=") as [string, string | undefined]));
  const num = (key: string) => (args.has(key) ? Number(args.get(key)) : undefined);
  const seconds = (key: string) => (num(key) !== undefined ? num(key)! * 1000 : undefined);
  const options: RunBenchOptions = {};
  const only = args.get("only")?.split(",") as BenchId[] | undefined;
  if (only) {
    const unknown = only.filter((b) => !benchIds.includes(b));
    if (unknown.length > 0) throw new Error(`unknown benchmark(s) ${unknown.join(", ")}; known: ${benchIds.join(", ")}`);
    options.only = only;
  }
  const set = <K extends keyof RunBenchOptions>(key: K, value: RunBenchOptions[K] | undefined) => {
    if (value !== undefined) options[key] = value;
  };
  set("durationMs", seconds("duration"));
  set("memoryDurationMs", seconds("memory-duration"));
  set("fixedRate", num("rate"));
  set("connections", num("connections"));
  set("coldStartRuns", num("cold-starts"));
  set("stubDelayMs", num("stub-delay"));
  set("engineMinMs", num("engine-min-ms"));
  set("engineSizes", args.get("engine-sizes")?.split(",").map(Number));
  set("appLogLevel", args.get("log-level"));
  const db = args.get("feedback-db");
  if (db !== undefined && db !== "file" && db !== "memory") throw new Error("--feedback-db must be file or memory");
  set("feedbackDb", db);
  set("whatIf", args.get("what-if")?.split(","));
  const prof = args.get("cpu-prof");
  if (prof) {
    mkdirSync(resolve(prof), { recursive: true });
    options.cpuProfileDir = resolve(prof);
  }
  // A what-if run never overwrites docs/benchmarks.md unless --out says where to write.
  const defaultOut = args.has("what-if") ? undefined : join(projectRoot, "docs", "benchmarks.md");
  const outArg = args.get("out") ?? defaultOut;
  const out = args.has("no-write") || outArg === undefined ? undefined : resolve(outArg);
  const snapshots = args.get("heap-snapshots");
  if (snapshots) {
    mkdirSync(resolve(snapshots), { recursive: true });
    options.heapSnapshotDir = resolve(snapshots);
  }
  return { options, out };
}

async function main() {
  const { options, out } = parseArgs(process.argv.slice(2));
  if (options.whatIf?.length) console.log(`WHAT-IF RUN: patched compiled copy (${options.whatIf.join(", ")}); src/ is unchanged.\n`);
  const report = await runBench({ ...options, onResult: (r) => console.log(`${textTable(r)}\n`) });
  const missed = report.results.flatMap((r) => r.rows.filter((row) => row.pass === false).map((row) => `${r.id}: ${row.metric}`));
  console.log(missed.length === 0 ? "All targets met." : `Targets missed:\n  ${missed.join("\n  ")}`);
  if (out) {
    const analysisFile = join(projectRoot, "bench", "analysis.md");
    const analysis = existsSync(analysisFile) ? readFileSync(analysisFile, "utf8") : undefined;
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, renderMarkdown(report, analysis));
    console.log(`Wrote ${out}`);
  }
  process.exitCode = missed.length === 0 ? 0 : 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 2;
});
