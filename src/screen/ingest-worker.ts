/**
 * Worker thread of the ingest (ingest.ts): reads the byte ranges it is given, appends every line to its
 * own DuckDB database, then classifies all of them in one SQL pass (stage-sql.ts) and writes its part of
 * the stage as Parquet partitioned by bucket. One DuckDB instance per worker (one thread each), so the
 * lines of a large export are split and parsed on every core.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import { BOOLEAN, DuckDBDataChunk, DuckDBInstance, INTEGER, VARCHAR, type DuckDBAppender } from "@duckdb/node-api";
import { readLines, type LineRange } from "./line-reader";
import { CREATE_RAW, classifySql } from "./stage-sql";

export interface IngestWorkerData {
  workerNo: number;
  stageDir: string;
  buckets: number;
  shard?: { index0: number; count: number };
  maxLineBytes: number;
  /** DuckDB memory_limit of this worker, e.g. "384MB" (it spills to disk beyond that). */
  memoryLimit: string;
}

export type IngestTask = { rangeId: number; range: LineRange };
export type ToIngestWorker = { type: "task"; task: IngestTask } | { type: "finish" };
export type FromIngestWorker =
  | { type: "ready" }
  | { type: "range-done"; rangeId: number; lines: number }
  | { type: "finished" }
  | { type: "error"; message: string; file?: string };

const CHUNK_ROWS = 2048;
const data = workerData as IngestWorkerData;
const port = parentPort;

class RowBuffer {
  private r: number[] = [];
  private l: number[] = [];
  private line: (string | null)[] = [];
  private tooLong: boolean[] = [];
  constructor(private readonly appender: DuckDBAppender) {}

  push(rangeId: number, lineNo: number, text: string | null): void {
    this.r.push(rangeId);
    this.l.push(lineNo);
    this.line.push(text);
    this.tooLong.push(text === null);
    if (this.line.length >= CHUNK_ROWS) this.flush();
  }

  flush(): void {
    if (this.line.length === 0) return;
    const chunk = DuckDBDataChunk.create([INTEGER, INTEGER, VARCHAR, BOOLEAN], this.line.length);
    chunk.setColumns([this.r, this.l, this.line, this.tooLong]);
    this.appender.appendDataChunk(chunk);
    this.r = [];
    this.l = [];
    this.line = [];
    this.tooLong = [];
  }
}

async function main(): Promise<void> {
  if (!port) throw new Error("ingest-worker must run as a worker thread");
  const dbFile = join(data.stageDir, `w${data.workerNo}.duckdb`);
  rmSync(dbFile, { force: true });
  rmSync(`${dbFile}.wal`, { force: true });
  const instance = await DuckDBInstance.create(dbFile, {
    threads: "1",
    memory_limit: data.memoryLimit,
    temp_directory: join(data.stageDir, `w${data.workerNo}.tmp`),
    preserve_insertion_order: "false",
  });
  const connection = await instance.connect();
  await connection.run(CREATE_RAW);
  const appender = await connection.createAppender("raw");
  const rows = new RowBuffer(appender);

  const runTask = async ({ rangeId, range }: IngestTask) => {
    let lineNo = 0;
    for await (const text of readLines(range, data.maxLineBytes)) {
      lineNo += 1;
      if (text !== null && text.trim() === "") continue;
      rows.push(rangeId, lineNo, text);
    }
    port.postMessage({ type: "range-done", rangeId, lines: lineNo } satisfies FromIngestWorker);
  };

  const finish = async () => {
    rows.flush();
    appender.flushSync();
    appender.closeSync();
    const out = join(data.stageDir, `w${data.workerNo}`).replace(/'/g, "''");
    await connection.run(
      `COPY (${classifySql(data.buckets, data.shard)}) TO '${out}' (FORMAT parquet, PARTITION_BY (bucket), OVERWRITE_OR_IGNORE true, ROW_GROUP_SIZE 20480)`,
    );
    connection.closeSync();
    instance.closeSync();
    rmSync(dbFile, { force: true });
    rmSync(`${dbFile}.wal`, { force: true });
    rmSync(join(data.stageDir, `w${data.workerNo}.tmp`), { recursive: true, force: true });
    port.postMessage({ type: "finished" } satisfies FromIngestWorker);
  };

  let queue = Promise.resolve();
  port.on("message", (msg: ToIngestWorker) => {
    queue = queue
      .then(() => (msg.type === "task" ? runTask(msg.task) : finish()))
      .catch((err: unknown) => {
        const file = msg.type === "task" ? msg.task.range.file : undefined;
        port.postMessage({
          type: "error",
          message: err instanceof Error ? err.message : String(err),
          ...(file ? { file } : {}),
        } satisfies FromIngestWorker);
      });
  });
  port.postMessage({ type: "ready" } satisfies FromIngestWorker);
}

void main().catch((err: unknown) => {
  port?.postMessage({ type: "error", message: err instanceof Error ? err.message : String(err) } satisfies FromIngestWorker);
});
