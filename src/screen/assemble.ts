/**
 * The outputs, from the cards of every patient (a finished run's checkpoint parts, or the shards'
 * cards.ndjson when merging): sorted in DuckDB (out of core) by severity, then patient id, then pattern,
 * and written as worklist.csv, cards.ndjson, report.html, input-problems.csv and summary.json — each
 * atomically, so a reader never sees half a file.
 */
import { join } from "node:path";
import { DuckDBDataChunk, DuckDBInstance, INTEGER, VARCHAR, type DuckDBAppender, type DuckDBConnection } from "@duckdb/node-api";
import { openAtomic, writeFileAtomic } from "./atomic";
import { csvRow } from "./csv";
import { renderReport, type ReportData, type WorklistRow } from "./report-html";
import type { Reason } from "./stage-sql";
import type { UnusableLine } from "./stage";

/** Rows of the worklist table in report.html (all of them are in worklist.csv). */
export const REPORT_TABLE_ROWS = 5_000;
/** Unusable lines listed in report.html and summary.json (all of them are in input-problems.csv). */
export const LISTED_PROBLEMS = 100;

export interface Summary {
  version: 1;
  now: string;
  source: string;
  /** Input fingerprint (file names, sizes, times): shards of one export share it. */
  input: string;
  inputFiles: string[];
  shard?: string;
  patients: number;
  patientsWithCards: number;
  cards: number;
  counts: Record<string, Record<string, number>>;
  unusable: { total: number; byReason: Partial<Record<Reason, number>>; first: UnusableLine[] };
  otherTypes: Record<string, number>;
  notUsedResources: number;
  mergedFrom?: string[];
}

export type SummaryBase = Omit<Summary, "version" | "cards" | "counts" | "unusable">;

export class Assembler {
  private cols: { rank: number[]; patient: string[]; pattern: string[]; indicator: string[]; summary: string[]; json: string[] } = {
    rank: [],
    patient: [],
    pattern: [],
    indicator: [],
    summary: [],
    json: [],
  };

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly appender: DuckDBAppender,
  ) {}

  static async create(tempDir: string): Promise<Assembler> {
    const instance = await DuckDBInstance.create(":memory:", { memory_limit: "512MB", temp_directory: tempDir });
    const connection = await instance.connect();
    await connection.run(
      `CREATE TABLE cards (rank INTEGER, patient VARCHAR, pattern VARCHAR, indicator VARCHAR, summary VARCHAR, json VARCHAR)`,
    );
    return new Assembler(instance, connection, await connection.createAppender("cards"));
  }

  add(card: { rank: number; patient: string; pattern: string; indicator: string; summary: string; json: string }): void {
    const c = this.cols;
    c.rank.push(card.rank);
    c.patient.push(card.patient);
    c.pattern.push(card.pattern);
    c.indicator.push(card.indicator);
    c.summary.push(card.summary);
    c.json.push(card.json);
    if (c.json.length >= 2048) this.flush();
  }

  private flush(): void {
    const c = this.cols;
    if (c.json.length === 0) return;
    const chunk = DuckDBDataChunk.create([INTEGER, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR], c.json.length);
    chunk.setColumns([c.rank, c.patient, c.pattern, c.indicator, c.summary, c.json]);
    this.appender.appendDataChunk(chunk);
    this.cols = { rank: [], patient: [], pattern: [], indicator: [], summary: [], json: [] };
  }

  /** Writes every output into `outDir`; returns the summary written. */
  async write(outDir: string, base: SummaryBase, unusable: readonly UnusableLine[]): Promise<Summary> {
    this.flush();
    this.appender.flushSync();
    this.appender.closeSync();
    const worklist = await openAtomic(join(outDir, "worklist.csv"));
    const cardsOut = await openAtomic(join(outDir, "cards.ndjson"));
    await worklist.write(csvRow(["patient", "pattern", "indicator", "summary"]));
    const counts: Record<string, Record<string, number>> = {};
    const rows: WorklistRow[] = [];
    let total = 0;
    const result = await this.connection.stream(
      `SELECT patient, pattern, indicator, summary, json FROM cards ORDER BY rank DESC, patient, pattern, json`,
    );
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const [patients, patterns, indicators, summaries, jsons] = chunk.getColumns() as string[][];
      for (let i = 0; i < chunk.rowCount; i++) {
        const row = { patient: patients![i]!, pattern: patterns![i]!, indicator: indicators![i]!, summary: summaries![i]! };
        await worklist.write(csvRow([row.patient, row.pattern, row.indicator, row.summary]));
        await cardsOut.write(`{"patient":${JSON.stringify(row.patient)},"card":${jsons![i]!}}\n`);
        const byIndicator = (counts[row.pattern] ??= {});
        byIndicator[row.indicator] = (byIndicator[row.indicator] ?? 0) + 1;
        if (rows.length < REPORT_TABLE_ROWS) rows.push(row);
        total += 1;
      }
    }
    await worklist.commit();
    await cardsOut.commit();

    const problems = await openAtomic(join(outDir, "input-problems.csv"));
    await problems.write(csvRow(["file", "line", "problem"]));
    const byReason: Partial<Record<Reason, number>> = {};
    for (const u of unusable) {
      await problems.write(csvRow([u.file, String(u.line), u.reason]));
      byReason[u.reason] = (byReason[u.reason] ?? 0) + 1;
    }
    await problems.commit();

    const summary: Summary = {
      version: 1,
      ...base,
      cards: total,
      counts,
      unusable: { total: unusable.length, byReason, first: unusable.slice(0, LISTED_PROBLEMS) },
    };
    const report: ReportData = {
      now: summary.now,
      source: summary.source,
      inputFiles: summary.inputFiles,
      patients: summary.patients,
      patientsWithCards: summary.patientsWithCards,
      cards: total,
      counts,
      unusable: summary.unusable,
      otherTypes: summary.otherTypes,
      notUsedResources: summary.notUsedResources,
      rows,
      totalRows: total,
      ...(summary.shard ? { shard: `shard ${summary.shard}` } : {}),
    };
    writeFileAtomic(join(outDir, "report.html"), renderReport(report));
    writeFileAtomic(join(outDir, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
    this.connection.closeSync();
    this.instance.closeSync();
    return summary;
  }
}
