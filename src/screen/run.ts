/**
 * `vitd-cds screen`: export (when --bulk) → ingest into the stage (DuckDB, Parquet by bucket) → evaluate
 * every patient with the engine on worker threads, bucket by bucket → outputs. The checkpoint lives in
 * <out>/.screen/: state.json (the run's identity: input, shard, `now`, bucket count; and the stage's
 * findings once staged) and one part file per finished bucket, each committed by an atomic rename. A
 * killed run started again with the same --out re-stages only when staging had not finished, skips every
 * committed bucket and re-evaluates only the bucket(s) in progress: no patient is evaluated into the
 * outputs twice, and none is lost.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadClinicalConfigFile } from "../config/clinical-config-file";
import { SERVICE_NAME } from "../service-name";
import type { ScreenArgs } from "./args";
import { Assembler, type SummaryBase } from "./assemble";
import { isAtomicTemp, writeFileAtomic } from "./atomic";
import { downloadExport, type BulkDeps } from "./bulk-client";
import { EvaluatePool } from "./evaluate-pool";
import type { PatientOutcome } from "./evaluate-patient";
import { ingest, type RangeInfo } from "./ingest";
import { fingerprint, InputError, listInputFiles } from "./input-files";
import { Progress, type ProgressSink } from "./progress";
import { StageReader, type PatientResources, type UnusableLine } from "./stage";
import { workerCount } from "./workers";

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export interface ScreenDeps {
  env?: NodeJS.ProcessEnv;
  clock?: () => Date;
  /** Progress and messages (stderr). */
  log: ProgressSink;
  bulk?: BulkDeps;
}

interface StageState {
  ranges: RangeInfo[];
  bucketPatients: Record<string, number>;
  otherTypes: Record<string, number>;
  unusableCount: number;
}

interface RunState {
  version: 1;
  source: string;
  input: string;
  inputFiles: string[];
  shard: string | null;
  now: string;
  buckets: number;
  stage: StageState | null;
  complete: boolean;
}

export interface ScreenResult {
  outDir: string;
  patients: number;
  cards: number;
  unusable: number;
  exportOnly?: boolean;
  alreadyComplete?: boolean;
}

const MAX_LINE_BYTES_DEFAULT = 16 * 1024 * 1024;
const BATCH_PATIENTS = 64;
const BATCH_LINES = 8_000;

/** Buckets: ~32 MB of input each (at least 8, at most 4096); fixed for the run by the checkpoint. */
export function bucketCountFor(totalBytes: number): number {
  return Math.min(4096, Math.max(8, Math.ceil(totalBytes / (32 * 1024 * 1024))));
}

const positiveInt = (value: string | undefined): number | undefined => {
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
};

const partName = (bucket: number): string => `bucket-${String(bucket).padStart(5, "0")}.ndjson`;

function readJson<T>(path: string): T | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as T) : undefined;
}

/** A part file: one line per patient {"patient", "notUsed", "cards": [card…]}, written once the whole bucket is done. */
function partText(outcomes: PatientOutcome[]): string {
  outcomes.sort((a, b) => (a.patient < b.patient ? -1 : a.patient > b.patient ? 1 : 0));
  return outcomes
    .map((o) => `{"patient":${JSON.stringify(o.patient)},"notUsed":${o.notUsed},"cards":[${o.cards.map((c) => c.json).join(",")}]}\n`)
    .join("");
}

export async function runScreen(args: ScreenArgs, deps: ScreenDeps): Promise<ScreenResult> {
  const env = deps.env ?? process.env;
  const clock = deps.clock ?? (() => new Date());
  const log = (text: string) => deps.log.write(`${text}\n`);
  const outDir = resolve(args.out);
  const work = join(outDir, ".screen");
  mkdirSync(work, { recursive: true });
  const config = { thresholdsPath: env["CDS_THRESHOLDS"] || undefined };
  try {
    loadClinicalConfigFile(config.thresholdsPath);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }

  // 1. The input: a local directory, or the Bulk export downloaded into <out>/export.
  let inputDir: string;
  let source: string;
  if (args.source.kind === "bulk") {
    inputDir = await downloadExport(args.source, join(outDir, "export"), { env, log, ...(deps.bulk ?? {}) });
    source = `Bulk export of ${args.source.base}${args.source.group ? ` Group/${args.source.group}` : ""}${args.source.since ? ` since ${args.source.since}` : ""}`;
    if (args.exportOnly) {
      log(`screen: export downloaded into ${inputDir}`);
      return { outDir, patients: 0, cards: 0, unusable: 0, exportOnly: true };
    }
  } else {
    inputDir = resolve(args.source.dir);
    source = `NDJSON files in ${inputDir}`;
  }
  const files = listInputFiles(inputDir);
  if (files.length === 0) throw new InputError(`no .ndjson or .ndjson.gz files in ${inputDir}`);
  const input = fingerprint(files);
  const shard = args.shard ? `${args.shard.index}/${args.shard.count}` : null;

  // 2. The checkpoint: a new run, or the run this --out already holds.
  const statePath = join(work, "state.json");
  let state = readJson<RunState>(statePath);
  if (state) {
    const differs = [
      state.input !== input ? "the input files changed" : "",
      state.shard !== shard ? `it was shard ${state.shard ?? "(none)"}` : "",
      args.now !== undefined && args.now !== state.now ? `it used --now ${state.now}` : "",
    ].filter(Boolean);
    if (differs.length > 0) throw new UsageError(`${args.out} holds another screening run (${differs.join("; ")}): use an empty --out`);
    if (state.complete) {
      log(`screen: ${args.out} already holds this run's finished outputs`);
      const summary = readJson<{ patients: number; cards: number; unusable: { total: number } }>(join(outDir, "summary.json"));
      return {
        outDir,
        patients: summary?.patients ?? 0,
        cards: summary?.cards ?? 0,
        unusable: summary?.unusable.total ?? 0,
        alreadyComplete: true,
      };
    }
    log(`screen: resuming the run in ${args.out} (as of ${state.now})`);
  } else {
    if (existsSync(join(outDir, "worklist.csv"))) throw new UsageError(`${args.out} holds outputs of another run: use an empty --out`);
    const totalBytes = files.reduce((s, f) => s + f.size * (f.gz ? 8 : 1), 0);
    state = {
      version: 1,
      source,
      input,
      inputFiles: files.map((f) => f.name),
      shard,
      now: args.now ?? clock().toISOString(),
      buckets: bucketCountFor(totalBytes),
      stage: null,
      complete: false,
    };
    writeFileAtomic(statePath, JSON.stringify(state));
  }
  const run: RunState = state;
  const workers = workerCount(env);
  const stageDir = join(work, "stage");
  const partsDir = join(work, "parts");
  mkdirSync(partsDir, { recursive: true });

  // 3. Stage (again, if a killed run had not finished it).
  if (!run.stage || !existsSync(stageDir)) {
    run.stage = null;
    const started = clock().getTime();
    const ingestProgress = (done: number, total: number) => {
      if (!deps.log.isTTY) return;
      deps.log.write(`\rscreen: reading the export ${Math.floor((done / Math.max(1, total)) * 100)}%\x1b[K`);
    };
    const { ranges } = await ingest({
      files,
      stageDir,
      buckets: run.buckets,
      workers,
      maxLineBytes: positiveInt(env["SCREEN_MAX_LINE_BYTES"]) ?? MAX_LINE_BYTES_DEFAULT,
      onProgress: ingestProgress,
      ...(args.shard ? { shard: { index0: args.shard.index - 1, count: args.shard.count } } : {}),
    });
    const reader = await StageReader.open(stageDir, { threads: workers, memoryLimit: "512MB" });
    try {
      const bucketPatients = await reader.bucketPatients(run.buckets);
      const unusable = await reader.unusable(ranges, files);
      writeFileAtomic(join(work, "unusable.json"), JSON.stringify(unusable));
      run.stage = {
        ranges,
        bucketPatients: Object.fromEntries(bucketPatients),
        otherTypes: await reader.otherTypes(),
        unusableCount: unusable.length,
      };
    } finally {
      reader.close();
    }
    writeFileAtomic(statePath, JSON.stringify(run));
    if (deps.log.isTTY) deps.log.write("\r\x1b[K");
    const lines = ranges.reduce((s, r) => s + r.lines, 0);
    log(
      `screen: read ${lines.toLocaleString("en-US")} lines from ${files.length} file(s) in ${((clock().getTime() - started) / 1000).toFixed(1)}s`,
    );
  }
  const stage = run.stage;

  // 4. Evaluate every bucket without a committed part.
  for (const f of readdirSync(partsDir)) if (isAtomicTemp(f)) rmSync(join(partsDir, f), { force: true });
  const committed = new Set(readdirSync(partsDir).filter((f) => /^bucket-\d{5}\.ndjson$/.test(f)));
  const buckets = Object.keys(stage.bucketPatients)
    .map(Number)
    .sort((a, b) => a - b);
  const pending = buckets.filter((b) => !committed.has(partName(b)));
  const totalPatients = Object.values(stage.bucketPatients).reduce((s, n) => s + n, 0);
  const alreadyDone = buckets.filter((b) => committed.has(partName(b))).reduce((s, b) => s + (stage.bucketPatients[String(b)] ?? 0), 0);
  const progress = new Progress(deps.log, totalPatients, () => clock().getTime(), { alreadyDone });

  if (pending.length > 0) {
    const crashAfter = Number(env["VITD_SCREEN_TEST_CRASH_AFTER_PATIENTS"] ?? NaN);
    let evaluated = 0;
    const open = new Map<number, { outcomes: PatientOutcome[]; expected: number; produced: boolean }>();
    const bucketOf = new Map<string, number>();
    const commitIfDone = (bucket: number) => {
      const b = open.get(bucket);
      if (!b || !b.produced || b.outcomes.length < b.expected) return;
      writeFileAtomic(join(partsDir, partName(bucket)), partText(b.outcomes));
      open.delete(bucket);
    };
    const pool = new EvaluatePool(
      workers,
      {
        now: run.now,
        serviceLabel: SERVICE_NAME,
        ...(config.thresholdsPath ? { thresholdsPath: config.thresholdsPath } : {}),
        ...(env["CDS_PUBLIC_URL"] ? { smartLaunchUrl: `${env["CDS_PUBLIC_URL"].replace(/\/+$/, "")}/smart/launch.html` } : {}),
      },
      (outcomes) => {
        const touched = new Set<number>();
        for (const o of outcomes) {
          const bucket = bucketOf.get(o.patient);
          bucketOf.delete(o.patient);
          if (bucket === undefined) continue;
          open.get(bucket)?.outcomes.push(o);
          touched.add(bucket);
        }
        for (const b of touched) commitIfDone(b);
        progress.add(outcomes.length);
        evaluated += outcomes.length;
        // Test-only: die like a killed process (no clean-up) after N patients.
        if (evaluated >= crashAfter) process.kill(process.pid, "SIGKILL");
      },
    );
    const reader = await StageReader.open(stageDir, { threads: workers, memoryLimit: "512MB" });
    try {
      for (const bucket of pending) {
        const entry = { outcomes: [] as PatientOutcome[], expected: 0, produced: false };
        open.set(bucket, entry);
        let batch: PatientResources[] = [];
        let batchLines = 0;
        for await (const patients of reader.patients(bucket)) {
          for (const p of patients) {
            bucketOf.set(p.id, bucket);
            entry.expected += 1;
            batch.push(p);
            batchLines += p.lines.length;
            if (batch.length >= BATCH_PATIENTS || batchLines >= BATCH_LINES) {
              await pool.submit(batch);
              batch = [];
              batchLines = 0;
            }
          }
        }
        if (batch.length > 0) await pool.submit(batch);
        entry.produced = true;
        commitIfDone(bucket);
      }
      await pool.drain();
    } finally {
      reader.close();
      await pool.close();
    }
    if (open.size > 0) throw new Error(`internal error: ${open.size} bucket(s) not committed`);
  }
  progress.finish();

  // 5. Outputs, from the committed parts.
  const unusable = readJson<UnusableLine[]>(join(work, "unusable.json")) ?? [];
  const assembler = await Assembler.create(join(work, "assemble.tmp"));
  let patients = 0;
  let patientsWithCards = 0;
  let notUsedResources = 0;
  for (const bucket of buckets) {
    const text = readFileSync(join(partsDir, partName(bucket)), "utf8");
    for (const line of text.split("\n")) {
      if (!line) continue;
      const rec = JSON.parse(line) as {
        patient: string;
        notUsed: number;
        cards: { indicator: "info" | "warning" | "critical"; summary: string; source: { topic?: { code?: string } } }[];
      };
      patients += 1;
      notUsedResources += rec.notUsed;
      if (rec.cards.length > 0) patientsWithCards += 1;
      for (const card of rec.cards) {
        assembler.add({
          rank: { info: 0, warning: 1, critical: 2 }[card.indicator],
          patient: rec.patient,
          pattern: card.source.topic?.code ?? "",
          indicator: card.indicator,
          summary: card.summary,
          json: JSON.stringify(card),
        });
      }
    }
  }
  const base: SummaryBase = {
    now: run.now,
    source: run.source,
    input: run.input,
    inputFiles: run.inputFiles,
    ...(run.shard ? { shard: run.shard } : {}),
    patients,
    patientsWithCards,
    otherTypes: stage.otherTypes,
    notUsedResources,
  };
  const summary = await assembler.write(outDir, base, unusable);
  run.complete = true;
  writeFileAtomic(statePath, JSON.stringify(run));
  rmSync(stageDir, { recursive: true, force: true });
  rmSync(join(work, "assemble.tmp"), { recursive: true, force: true });
  log(
    `screen: ${patients.toLocaleString("en-US")} patients, ${summary.cards.toLocaleString("en-US")} cards, ${unusable.length.toLocaleString("en-US")} unusable line(s) → ${outDir}`,
  );
  return { outDir, patients, cards: summary.cards, unusable: unusable.length };
}
