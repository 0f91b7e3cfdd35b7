/**
 * Smoke test of the benchmark suite: every benchmark runs very briefly and must produce
 * well-formed results. No timing thresholds: whether a target is met is not asserted here.
 */
import { rmSync } from "node:fs";
import { benchIds, runBench, type BenchReport } from "../../bench/index";
import { buildDir } from "../../bench/lib/compile";
import { renderMarkdown, textTable } from "../../bench/lib/report";

jest.setTimeout(300_000);

describe("npm run bench (smoke)", () => {
  let report: BenchReport;
  beforeAll(async () => {
    report = await runBench({
      durationMs: 300,
      memoryDurationMs: 300,
      fixedRate: 50,
      connections: 2,
      engineSizes: [10, 100],
      engineMinMs: 10,
      coldStartRuns: 1,
      stubDelayMs: 5,
    });
  });
  // jest ends its workers without an "exit" event, so the compiled copy is removed here
  afterAll(() => rmSync(buildDir, { recursive: true, force: true }));

  it("runs every benchmark once, in order", () => {
    expect(report.results.map((r) => r.id)).toEqual([...benchIds]);
  });

  it("gives every benchmark rows with finite values, and a verdict wherever there is a target", () => {
    for (const result of report.results) {
      expect(result.rows.length).toBeGreaterThan(0);
      expect(result.notes.length).toBeGreaterThan(0);
      for (const row of result.rows) {
        expect([result.id, row.metric, Number.isFinite(row.value)]).toEqual([result.id, row.metric, true]);
        if (row.baseline) expect(Number.isFinite(row.baseline.value)).toBe(true);
        if (row.ratio !== undefined) expect(Number.isFinite(row.ratio)).toBe(true);
        if (row.target !== undefined) expect(typeof row.pass).toBe("boolean");
      }
    }
  });

  it("gets only successful answers from the service under load", () => {
    const failed = report.results.flatMap((r) => r.rows.filter((row) => row.metric.startsWith("failed requests")));
    expect(failed).toHaveLength(2); // hook-overhead and memory
    for (const row of failed) expect(row.value).toBe(0);
  });

  it("measures the fallback fetch with one stub request per prefetch query", () => {
    const perHook = report.results
      .find((r) => r.id === "fallback-fetch")
      ?.rows.find((row) => row.metric === "one page: stub requests per hook");
    expect(perHook?.value).toBe(9); // the 9 prefetch queries of src/fhir/queries.ts, each one page
  });

  it("renders the terminal tables and the markdown report with the machine description", () => {
    const md = renderMarkdown(report);
    expect(md).toContain("## Machine");
    expect(md).toContain(`Node: ${process.version}`);
    expect(md).toContain("machine was shared");
    for (const result of report.results) {
      expect(md).toContain(`## ${result.title}`);
      expect(textTable(result).split("\n")).toHaveLength(result.rows.length + 3);
    }
  });
});
