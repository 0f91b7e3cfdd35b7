/**
 * Ingest: the export's NDJSON files → the stage (Parquet partitioned by bucket, see stage-sql.ts), on a
 * pool of worker threads (ingest-worker.ts). Plain files are cut into byte ranges so one large
 * Observation file still keeps every core busy; a `.gz` file is one range. Returns how many lines each
 * range had, which turns a worker's (range, line) into the file's line number.
 */
import { mkdirSync, rmSync } from "node:fs";
import type { Worker } from "node:worker_threads";
import { InputError, type InputFile } from "./input-files";
import type { FromIngestWorker, IngestTask, IngestWorkerData, ToIngestWorker } from "./ingest-worker";
import { startWorker } from "./workers";

export interface RangeInfo {
  rangeId: number;
  fileNo: number;
  /** Lines starting in the range (known once read). */
  lines: number;
}

export interface IngestOptions {
  files: readonly InputFile[];
  stageDir: string;
  buckets: number;
  shard?: { index0: number; count: number };
  workers: number;
  maxLineBytes: number;
  /** Bytes per range of a plain file. */
  rangeBytes?: number;
  memoryLimitPerWorker?: string;
  /** Called with the input bytes read so far (ranges finished). */
  onProgress?: (doneBytes: number, totalBytes: number) => void;
}

export interface IngestResult {
  ranges: RangeInfo[];
}

export const DEFAULT_RANGE_BYTES = 64 * 1024 * 1024;

export function planRanges(files: readonly InputFile[], rangeBytes: number): { task: IngestTask; fileNo: number; bytes: number }[] {
  const out: { task: IngestTask; fileNo: number; bytes: number }[] = [];
  files.forEach((f, fileNo) => {
    if (f.gz || f.size <= rangeBytes) {
      out.push({ task: { rangeId: out.length, range: { file: f.path, start: 0, end: Infinity, gz: f.gz } }, fileNo, bytes: f.size });
      return;
    }
    for (let start = 0; start < f.size; start += rangeBytes) {
      const end = Math.min(f.size, start + rangeBytes);
      out.push({
        task: { rangeId: out.length, range: { file: f.path, start, end: end === f.size ? Infinity : end, gz: false } },
        fileNo,
        bytes: end - start,
      });
    }
  });
  return out;
}

export async function ingest(options: IngestOptions): Promise<IngestResult> {
  rmSync(options.stageDir, { recursive: true, force: true });
  mkdirSync(options.stageDir, { recursive: true });
  const planned = planRanges(options.files, options.rangeBytes ?? DEFAULT_RANGE_BYTES);
  const ranges: RangeInfo[] = planned.map((p) => ({ rangeId: p.task.rangeId, fileNo: p.fileNo, lines: 0 }));
  // Largest first: the pool ends evenly.
  const queue = [...planned].sort((a, b) => b.bytes - a.bytes);
  const totalBytes = planned.reduce((s, p) => s + p.bytes, 0);
  let doneBytes = 0;
  const workerTotal = Math.max(1, Math.min(options.workers, planned.length || 1));
  const workers: Worker[] = [];

  await new Promise<void>((resolve, reject) => {
    let finished = 0;
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      for (const w of workers) void w.terminate();
      reject(err);
    };
    for (let n = 0; n < workerTotal; n++) {
      const data: IngestWorkerData = {
        workerNo: n,
        stageDir: options.stageDir,
        buckets: options.buckets,
        maxLineBytes: options.maxLineBytes,
        memoryLimit: options.memoryLimitPerWorker ?? "384MB",
        ...(options.shard ? { shard: options.shard } : {}),
      };
      const worker = startWorker("ingest-worker", data);
      workers.push(worker);
      let workerDone = false;
      const next = () => {
        const item = queue.shift();
        worker.postMessage((item ? { type: "task", task: item.task } : { type: "finish" }) satisfies ToIngestWorker);
      };
      worker.on("message", (msg: FromIngestWorker) => {
        switch (msg.type) {
          case "ready":
            next();
            break;
          case "range-done": {
            const info = ranges[msg.rangeId];
            if (info) info.lines = msg.lines;
            doneBytes += planned[msg.rangeId]?.bytes ?? 0;
            options.onProgress?.(doneBytes, totalBytes);
            next();
            break;
          }
          case "finished":
            workerDone = true;
            finished += 1;
            void worker.terminate();
            if (finished === workerTotal) resolve();
            break;
          case "error":
            fail(msg.file ? new InputError(`cannot read ${msg.file}: ${msg.message}`) : new Error(`ingest worker failed: ${msg.message}`));
            break;
        }
      });
      worker.on("error", (err) => fail(err));
      worker.on("exit", (code) => {
        if (!workerDone && !failed) fail(new Error(`ingest worker exited with code ${code}`));
      });
    }
  });
  return { ranges };
}
