/**
 * Reading the stage back (main thread, its own in-memory DuckDB that spills to disk): how many patients
 * each bucket holds, the unusable lines with their file:line, the other types met, and — bucket by
 * bucket — every patient with all of their resources (the Medications their statements and requests
 * reference joined in), sorted by patient id so each patient arrives once, whole.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import type { RangeInfo } from "./ingest";
import type { InputFile } from "./input-files";
import { BUCKET_MEDICATION, BUCKET_OTHER_TYPE, BUCKET_UNUSABLE, type Reason } from "./stage-sql";

export interface UnusableLine {
  /** File name inside the input directory. */
  file: string;
  line: number;
  reason: Reason;
}

export interface PatientResources {
  id: string;
  /** NDJSON lines (one resource each). */
  lines: string[];
}

const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const fileList = (files: readonly string[]): string => `[${files.map(sqlString).join(", ")}]`;

export class StageReader {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly stageDir: string,
  ) {}

  static async open(stageDir: string, options: { threads: number; memoryLimit: string }): Promise<StageReader> {
    const instance = await DuckDBInstance.create(":memory:", {
      threads: String(options.threads),
      memory_limit: options.memoryLimit,
      temp_directory: join(stageDir, "main.tmp"),
    });
    const connection = await instance.connect();
    const reader = new StageReader(instance, connection, stageDir);
    const meds = reader.partitionFiles(BUCKET_MEDICATION);
    await connection.run(
      meds.length > 0
        ? `CREATE TABLE meds AS SELECT med AS id, min(line) AS line FROM read_parquet(${fileList(meds)}) GROUP BY med`
        : `CREATE TABLE meds (id VARCHAR, line VARCHAR)`,
    );
    return reader;
  }

  /** The Parquet files of one bucket (every ingest worker wrote its own). */
  partitionFiles(bucket: number): string[] {
    if (!existsSync(this.stageDir)) return [];
    return readdirSync(this.stageDir)
      .filter((d) => /^w\d+$/.test(d))
      .sort()
      .flatMap((w) => {
        const dir = join(this.stageDir, w, `bucket=${bucket}`);
        return existsSync(dir)
          ? readdirSync(dir)
              .filter((f) => f.endsWith(".parquet"))
              .sort()
              .map((f) => join(dir, f))
          : [];
      });
  }

  /** Buckets holding patients → number of patients. */
  async bucketPatients(buckets: number): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    for (let b = 0; b < buckets; b++) {
      const files = this.partitionFiles(b);
      if (files.length === 0) continue;
      const rows = (await this.connection.runAndReadAll(`SELECT count(DISTINCT patient) FROM read_parquet(${fileList(files)})`)).getRows();
      const n = Number(rows[0]?.[0] ?? 0);
      if (n > 0) out.set(b, n);
    }
    return out;
  }

  /** Every unusable line, by file and line number. */
  async unusable(ranges: readonly RangeInfo[], files: readonly InputFile[]): Promise<UnusableLine[]> {
    const parts = this.partitionFiles(BUCKET_UNUSABLE);
    if (parts.length === 0) return [];
    // Lines before each range in its file.
    const before = new Map<number, number>();
    const perFile = new Map<number, number>();
    for (const r of [...ranges].sort((a, b) => a.rangeId - b.rangeId)) {
      before.set(r.rangeId, perFile.get(r.fileNo) ?? 0);
      perFile.set(r.fileNo, (perFile.get(r.fileNo) ?? 0) + r.lines);
    }
    const fileOf = new Map(ranges.map((r) => [r.rangeId, r.fileNo]));
    const rows = (await this.connection.runAndReadAll(`SELECT r, l, reason FROM read_parquet(${fileList(parts)}) ORDER BY r, l`)).getRows();
    return rows.map(([r, l, reason]) => {
      const rangeId = Number(r);
      return {
        file: files[fileOf.get(rangeId) ?? 0]?.name ?? "?",
        line: (before.get(rangeId) ?? 0) + Number(l),
        reason: String(reason) as Reason,
      };
    });
  }

  /** Resources of types that are not screened, by type. */
  async otherTypes(): Promise<Record<string, number>> {
    const parts = this.partitionFiles(BUCKET_OTHER_TYPE);
    if (parts.length === 0) return {};
    const rows = (
      await this.connection.runAndReadAll(`SELECT reason, count(*) FROM read_parquet(${fileList(parts)}) GROUP BY reason ORDER BY reason`)
    ).getRows();
    return Object.fromEntries(rows.map(([type, n]) => [String(type), Number(n)]));
  }

  /** The patients of one bucket, each with all of their resources, in patient id order. */
  async *patients(bucket: number): AsyncGenerator<PatientResources[]> {
    const files = this.partitionFiles(bucket);
    if (files.length === 0) return;
    const src = `read_parquet(${fileList(files)})`;
    const result = await this.connection.stream(
      `SELECT patient, line FROM (
         SELECT patient, line FROM ${src}
         UNION ALL
         SELECT DISTINCT s.patient, m.line FROM ${src} s JOIN meds m ON m.id = s.med
       ) ORDER BY patient, line`,
    );
    let current: PatientResources | undefined;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const [ids, lines] = chunk.getColumns() as [string[], string[]];
      const complete: PatientResources[] = [];
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        if (current?.id !== id) {
          if (current) complete.push(current);
          current = { id, lines: [] };
        }
        current.lines.push(lines[i]!);
      }
      if (complete.length > 0) yield complete;
    }
    if (current) yield [current];
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
