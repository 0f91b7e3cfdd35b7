import { markdownTable, renderMarkdown, textTable, type BenchReport } from "../../bench/lib/report";
import { defaultBenchOptions, type BenchResult } from "../../bench/lib/types";

const result: BenchResult = {
  id: "demo",
  title: "Demo | benchmark",
  rows: [
    {
      metric: "throughput",
      value: 700,
      unit: "req/s",
      baseline: { label: "echo", value: 1000 },
      ratio: 0.7,
      target: "ratio ≥ 0.7",
      pass: true,
    },
    { metric: "p99", value: 25, unit: "ms", target: "< 20 ms", pass: false },
    { metric: "info only", value: 3, unit: "" },
  ],
  notes: ["a note"],
};

const report: BenchReport = {
  startedAt: "2026-06-01T12:00:00.000Z",
  finishedAt: "2026-06-01T12:05:00.000Z",
  machine: { cpuModel: "Test CPU", cpuCount: 2, memoryGiB: 8, node: "v20.0.0", platform: "Linux", loadAverage: [1, 2, 3] },
  loadAverageAfter: [4, 5, 6],
  referenceParseMicros: { start: 180, end: 240 },
  options: defaultBenchOptions,
  results: [result],
};

describe("bench report rendering", () => {
  it("prints a terminal table with baseline, ratio, target and verdict", () => {
    const lines = textTable(result).split("\n");
    expect(lines[0]).toBe("== Demo | benchmark");
    expect(lines[3]).toMatch(/^throughput\s+700 req\/s\s+1000 req\/s \(echo\)\s+0\.7\s+ratio ≥ 0\.7\s+yes$/);
    expect(lines[4]).toMatch(/NO$/);
    expect(lines[5]).toMatch(/^info only\s+3$/);
  });

  it("writes a markdown table with one line per row and escaped pipes", () => {
    const md = markdownTable(result).split("\n");
    expect(md).toHaveLength(2 + 3);
    expect(md[2]).toBe("| throughput | 700 req/s | 1000 req/s (echo) | 0.7 | ratio ≥ 0.7 | yes |");
  });

  it("describes the machine, says it was shared, and lists missed targets in the summary", () => {
    const md = renderMarkdown(report, "Where the time goes.");
    expect(md).toContain("- CPU: Test CPU × 2");
    expect(md).toContain("- Memory: 8 GiB");
    expect(md).toContain("- Node: v20.0.0 on Linux");
    expect(md).toContain("machine was shared");
    expect(md).toContain("took 180 µs at the start and 240 µs at the end");
    expect(md).toContain("| demo | p99 | 25 ms | < 20 ms | **NO** |");
    expect(md).toContain("## Demo | benchmark");
    expect(md).toContain("## Analysis\n\nWhere the time goes.");
  });
});
