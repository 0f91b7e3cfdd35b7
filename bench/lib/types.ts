/** The shape every benchmark returns: rows of measurements, each optionally compared to a baseline and a target. */

export interface BenchRow {
  metric: string;
  value: number;
  unit: string;
  /** The same quantity measured for the baseline in the same run. */
  baseline?: { label: string; value: number };
  /** value / baseline (or the figure the target is stated on). */
  ratio?: number;
  /** Human-readable target, e.g. "≥ 0.7"; absent = informational. */
  target?: string;
  /** Whether the target is met; absent = informational. */
  pass?: boolean;
}

export interface BenchResult {
  id: string;
  title: string;
  rows: BenchRow[];
  /** Method, caveats and anything measured that does not fit a row. */
  notes: string[];
}

export interface BenchOptions {
  /** Length of each load phase (hook overhead, fallback fetch) in ms. */
  durationMs: number;
  /** Length of the memory soak in ms (default 5 min). */
  memoryDurationMs: number;
  /** Fixed request rate for the latency phase of the hook-overhead benchmark. */
  fixedRate: number;
  /** Concurrent connections for the max-throughput phases. */
  connections: number;
  /** Patient sizes for the engine-scaling benchmark. */
  engineSizes: number[];
  /** Minimum measuring time per engine size in ms. */
  engineMinMs: number;
  /** Cold starts per launcher (median reported). */
  coldStartRuns: number;
  /** Delay the FHIR stub adds to every request, ms. */
  stubDelayMs: number;
  /** Run the app child with `--cpu-prof` into this directory (hook-overhead and memory). */
  cpuProfileDir?: string;
  /** pino level of the app under test (production default: info, written to /dev/null). */
  appLogLevel: string;
  /** Feedback store of the app under test: a fresh SQLite file (as in production) or `sqlite::memory:` (no disk syncs). */
  feedbackDb: "file" | "memory";
  /** Memory benchmark: write heap snapshots of the service before and after the soak into this directory. */
  heapSnapshotDir?: string;
  /** Ids of bench/what-if/patches.ts applied to the compiled copy (empty = the code as it is). */
  whatIf: string[];
}

export const defaultBenchOptions: BenchOptions = {
  durationMs: 10_000,
  memoryDurationMs: 300_000,
  fixedRate: 200,
  connections: 10,
  engineSizes: [10, 100, 1_000, 10_000],
  engineMinMs: 1_000,
  coldStartRuns: 5,
  stubDelayMs: 20,
  appLogLevel: "info",
  feedbackDb: "file",
  whatIf: [],
};

export type BenchId = "hook-overhead" | "fallback-fetch" | "engine-scaling" | "memory" | "cold-start";

export const benchIds: readonly BenchId[] = ["hook-overhead", "fallback-fetch", "engine-scaling", "memory", "cold-start"];
