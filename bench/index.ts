/**
 * runBench(options): runs the selected benchmarks one after another (never concurrently: they
 * would measure each other) and returns a report; bench/run.ts prints it and writes docs/benchmarks.md.
 */
import { coldStartBench } from "./benchmarks/cold-start";
import { engineScaling } from "./benchmarks/engine-scaling";
import { fallbackFetch } from "./benchmarks/fallback-fetch";
import { hookOverhead } from "./benchmarks/hook-overhead";
import { memory } from "./benchmarks/memory";
import { compileServers } from "./lib/compile";
import { describeMachine, referenceParseMicros } from "./lib/machine";
import type { BenchReport } from "./lib/report";
import { benchIds, defaultBenchOptions, type BenchId, type BenchOptions, type BenchResult } from "./lib/types";
import os from "node:os";

const benchmarks: Record<BenchId, (o: BenchOptions) => Promise<BenchResult>> = {
  "hook-overhead": hookOverhead,
  "fallback-fetch": fallbackFetch,
  "engine-scaling": engineScaling,
  memory,
  "cold-start": coldStartBench,
};

export interface RunBenchOptions extends Partial<BenchOptions> {
  only?: readonly BenchId[];
  /** Called after each benchmark (progress output). */
  onResult?: (result: BenchResult) => void;
}

export async function runBench(options: RunBenchOptions = {}): Promise<BenchReport> {
  const { only, onResult, ...overrides } = options;
  const o: BenchOptions = { ...defaultBenchOptions, ...overrides };
  compileServers(o.whatIf);
  const machine = describeMachine();
  const referenceStart = referenceParseMicros();
  const startedAt = new Date().toISOString();
  const results: BenchResult[] = [];
  for (const id of benchIds.filter((b) => !only || only.includes(b))) {
    const result = await benchmarks[id](o);
    results.push(result);
    onResult?.(result);
  }
  return {
    startedAt,
    finishedAt: new Date().toISOString(),
    machine,
    loadAverageAfter: os.loadavg().map((l) => Math.round(l * 100) / 100),
    referenceParseMicros: { start: referenceStart, end: referenceParseMicros() },
    options: o,
    results,
  };
}

export { benchIds, defaultBenchOptions };
export type { BenchId, BenchOptions, BenchResult, BenchReport };
