/**
 * Starting this module's worker threads: the compiled `.js` beside this file (dist/, the benchmark's
 * build), or — when running from TypeScript sources (tests, `tsx`) — the `.ts` file through tsx's loader.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";

export function startWorker(name: "ingest-worker" | "evaluate-worker", workerData: unknown): Worker {
  const js = join(__dirname, `${name}.js`);
  if (existsSync(js)) return new Worker(js, { workerData });
  return new Worker(join(__dirname, `${name}.ts`), { workerData, execArgv: ["--require", require.resolve("tsx/cjs")] });
}

/** Worker threads per pool: SCREEN_WORKERS, else one per available core. */
export function workerCount(env: NodeJS.ProcessEnv = process.env): number {
  const configured = Number(env["SCREEN_WORKERS"]);
  if (Number.isInteger(configured) && configured >= 1 && configured <= 256) return configured;
  return Math.max(1, availableParallelism());
}
