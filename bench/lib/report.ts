/** Renders benchmark results: a plain-text table for the terminal and the markdown of docs/benchmarks.md. */
import type { MachineInfo } from "./machine";
import type { BenchOptions, BenchResult, BenchRow } from "./types";

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  machine: MachineInfo;
  loadAverageAfter: number[];
  /** µs of CPU for the fixed reference parse (machine.ts) at the start and the end of the run. */
  referenceParseMicros: { start: number; end: number };
  options: BenchOptions;
  results: BenchResult[];
}

const HEADERS = ["metric", "value", "baseline", "ratio", "target", "ok"];

function cells(row: BenchRow): string[] {
  const unit = row.unit ? ` ${row.unit}` : "";
  return [
    row.metric,
    `${row.value}${unit}`,
    row.baseline ? `${row.baseline.value}${unit} (${row.baseline.label})` : "",
    row.ratio !== undefined ? `${row.ratio}` : "",
    row.target ?? "",
    row.pass === undefined ? "" : row.pass ? "yes" : "NO",
  ];
}

export function textTable(result: BenchResult): string {
  const rows = [HEADERS, ...result.rows.map(cells)];
  const widths = HEADERS.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [`== ${result.title}`, line(rows[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)].join("\n");
}

const escapeMd = (s: string) => s.replace(/\|/g, "\\|");

export function markdownTable(result: BenchResult): string {
  const rows = result.rows.map((r) => `| ${cells(r).map(escapeMd).join(" | ")} |`);
  return [`| ${HEADERS.join(" | ")} |`, `|${HEADERS.map(() => "---").join("|")}|`, ...rows].join("\n");
}

function summary(results: BenchResult[]): string {
  const targeted = results.flatMap((r) => r.rows.filter((row) => row.pass !== undefined).map((row) => ({ r, row })));
  const lines = targeted.map(
    ({ r, row }) =>
      `| ${escapeMd(r.id)} | ${escapeMd(row.metric)} | ${row.value}${row.unit ? ` ${row.unit}` : ""} | ${escapeMd(row.target ?? "")} | ${row.pass ? "yes" : "**NO**"} |`,
  );
  return ["| benchmark | metric | value | target | met |", "|---|---|---|---|---|", ...lines].join("\n");
}

export function renderMarkdown(report: BenchReport, analysis?: string): string {
  const m = report.machine;
  const o = report.options;
  const parts = [
    "# Benchmarks",
    "",
    "Written by `npm run bench` (bench/run.ts); do not edit by hand — re-run instead. Hand-written analysis lives in `bench/analysis.md` and is copied in below.",
    "",
    "## Machine",
    "",
    `- CPU: ${m.cpuModel} × ${m.cpuCount}`,
    `- Memory: ${m.memoryGiB} GiB`,
    `- Node: ${m.node} on ${m.platform}`,
    `- Run: ${report.startedAt} → ${report.finishedAt}; load average (1/5/15 min) ${m.loadAverage.join(" / ")} at the start, ${report.loadAverageAfter.join(" / ")} at the end.`,
    `- Host speed: the fixed reference workload (\`JSON.parse\` of a 48 KiB document, bench/lib/machine.ts) took ${report.referenceParseMicros.start} µs at the start and ${report.referenceParseMicros.end} µs at the end; absolute figures of two runs compare only at similar values.`,
    "- **The machine was shared**: other work (compilers, test runs) may have been using the same cores during the run. Compare ratios (measured in the same run) rather than absolute numbers.",
    `- Options: load phases ${o.durationMs / 1000} s, memory soak ${o.memoryDurationMs / 1000} s, fixed rate ${o.fixedRate} req/s, ${o.connections} connections, engine sizes ${o.engineSizes.join(", ")}, FHIR stub delay ${o.stubDelayMs} ms, service log level ${o.appLogLevel}, feedback store ${o.feedbackDb === "file" ? "SQLite file (as in production)" : "SQLite in memory"}.`,
    "",
    ...(o.whatIf.length > 0
      ? [
          `> **What-if run**: the service ran with these patches applied to its compiled copy (not to src/): ${o.whatIf.join(", ")} — see bench/what-if/patches.ts.`,
          "",
        ]
      : []),
    "## Summary of targets",
    "",
    summary(report.results),
    "",
  ];
  for (const r of report.results) {
    parts.push(`## ${r.title}`, "", markdownTable(r), "", ...r.notes.map((n) => `- ${n}`), "");
  }
  if (analysis?.trim()) parts.push("## Analysis", "", analysis.trim(), "");
  return parts.join("\n");
}
