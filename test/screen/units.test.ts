/** The pure pieces of screening: CSV cells, report escaping + CSP, argument parsing, line ranges, hashing (JS = DuckDB). */
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { parseScreenArgs } from "../../src/screen/args";
import { csvCell, csvRow } from "../../src/screen/csv";
import { bucketIndex, shardIndex, sqlBucketIndex, sqlShardIndex } from "../../src/screen/hash";
import { planRanges } from "../../src/screen/ingest";
import { readLines } from "../../src/screen/line-reader";
import { escapeHtml, renderReport, type ReportData } from "../../src/screen/report-html";
import { removeTempDirs, tempDir } from "./helpers";

afterAll(removeTempDirs);

describe("CSV cells", () => {
  it("quotes commas, quotes and line breaks (inner quotes doubled)", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell("line\nbreak")).toBe('"line\nbreak"');
    expect(csvRow(["a", "b,c"])).toBe('a,"b,c"\r\n');
  });
  it("prefixes cells a spreadsheet would run as a formula", () => {
    for (const v of ["=1+1", "+SUM(A1)", "-2", "@cmd", "\t=x", "\r=x"]) expect(csvCell(v).replace(/^"/, "").startsWith("'")).toBe(true);
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell("a=b")).toBe("a=b");
  });
});

describe("report.html", () => {
  const evil = `<img src=x onerror=alert(1)>"'&`;
  const data: ReportData = {
    now: NOW_ISO(),
    source: evil,
    inputFiles: [evil],
    patients: 2,
    patientsWithCards: 1,
    cards: 1,
    counts: { [evil]: { critical: 1 } },
    unusable: { total: 1, byReason: { "invalid-json": 1 }, first: [{ file: evil, line: 3, reason: "invalid-json" }] },
    otherTypes: { [evil]: 2 },
    notUsedResources: 0,
    rows: [{ patient: evil, pattern: evil, indicator: "critical", summary: `</td><script>alert(1)</script>` }],
    totalRows: 1,
  };
  it("escapes everything that comes from the data", () => {
    const html = renderReport(data);
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<script>alert");
    expect(html).toContain(escapeHtml(evil));
    expect(html.match(/<script>/g)).toHaveLength(1);
  });
  it("pins its only style and script in a strict Content-Security-Policy", () => {
    const html = renderReport(data);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? "";
    expect(csp).toMatch(/^default-src 'none'; /);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? "";
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "";
    const hash = (t: string) => createHash("sha256").update(t).digest("base64");
    expect(csp).toContain(`style-src 'sha256-${hash(style)}'`);
    expect(csp).toContain(`script-src 'sha256-${hash(script)}'`);
    expect(html).not.toMatch(/<(link|iframe|object|img|embed|base)\b/i);
    expect(html).toContain("<svg");
  });
});

function NOW_ISO(): string {
  return "2031-06-01T12:00:00.000Z";
}

describe("screen arguments", () => {
  const ok = (argv: string[]) => parseScreenArgs(["screen", ...argv]);
  it("parses a full --bulk command line", () => {
    expect(
      ok([
        "--bulk",
        "https://ehr.example.org/fhir/",
        "--group",
        "g1",
        "--since",
        "2031-01-01T00:00:00Z",
        "--token",
        "t0k",
        "--out",
        "o",
        "--shard",
        "2/8",
        "--now",
        "2031-06-01T12:00:00+02:00",
      ]),
    ).toEqual({
      command: "screen",
      source: { kind: "bulk", base: "https://ehr.example.org/fhir", group: "g1", since: "2031-01-01T00:00:00Z", token: "t0k" },
      out: "o",
      shard: { index: 2, count: 8 },
      now: "2031-06-01T10:00:00.000Z",
      exportOnly: false,
    });
  });
  it.each([
    [["--out", "o"], "exactly one of"],
    [["--ndjson", "d", "--bulk", "https://x", "--out", "o"], "exactly one of"],
    [["--ndjson", "d"], "--out"],
    [["--ndjson", "d", "--out", "o", "--shard", "4/3"], "between 1 and n"],
    [["--ndjson", "d", "--out", "o", "--shard", "0/3"], "between 1 and n"],
    [["--ndjson", "d", "--out", "o", "--now", "2031-06-01"], "instant"],
    [["--ndjson", "d", "--out", "o", "--group", "g"], "only applies to --bulk"],
    [["--bulk", "ftp://x", "--out", "o"], "http(s)"],
    [["--bulk", "https://u:p@x/fhir", "--out", "o"], "user:password"],
    [["--bulk", "https://x/fhir", "--group", "a/b", "--out", "o"], "FHIR id"],
    [["--ndjson", "d", "--out", "o", "--bogus"], "unknown option"],
  ])("refuses %j", (argv, message) => {
    const parsed = ok(argv);
    expect("error" in parsed && parsed.error).toContain(message);
  });
  it("parses screen-merge", () => {
    expect(parseScreenArgs(["screen-merge", "--out", "m", "a", "b"])).toEqual({ command: "screen-merge", out: "m", inputs: ["a", "b"] });
    expect(parseScreenArgs(["screen-merge", "a"])).toEqual({ error: "--out <dir> is required" });
  });
});

describe("line ranges", () => {
  it("every line exactly once, with the file's line numbers, whatever the cut points", async () => {
    const dir = tempDir();
    const lines = Array.from({ length: 300 }, (_, i) => (i % 17 === 0 ? "" : `{"n":${i},"pad":"${"é".repeat(i % 23)}"}`));
    const file = join(dir, "x.ndjson");
    writeFileSync(file, `\ufeff${lines.join("\r\n")}`);
    const size = Buffer.byteLength(`\ufeff${lines.join("\r\n")}`);
    for (const rangeBytes of [13, 64, 1000, size]) {
      const planned = planRanges([{ path: file, name: "x.ndjson", size, mtimeMs: 0, gz: false }], rangeBytes);
      const got: string[] = [];
      for (const p of planned) for await (const l of readLines(p.task.range, 1 << 20)) got.push(l ?? "(too long)");
      expect({ rangeBytes, got }).toEqual({ rangeBytes, got: lines });
    }
  });
  it("marks a line longer than the limit without keeping it", async () => {
    const file = join(tempDir(), "y.ndjson");
    writeFileSync(file, `short\n${"x".repeat(100)}\nafter`);
    const got: (string | null)[] = [];
    for await (const l of readLines({ file, start: 0, end: Infinity, gz: false }, 50)) got.push(l);
    expect(got).toEqual(["short", null, "after"]);
  });
});

describe("patient hashing", () => {
  it("DuckDB's SQL and JavaScript agree on shard and bucket", async () => {
    const ids = ["vitd-demo-01", "a", "Z.9-x", "0123456789".repeat(6)];
    const instance = await DuckDBInstance.create(":memory:");
    const c = await instance.connect();
    const rows = (
      await c.runAndReadAll(
        `SELECT id, ${sqlShardIndex("id", 7)}, ${sqlBucketIndex("id", 64)} FROM (VALUES ${ids.map((i) => `('${i}')`).join(",")}) t(id)`,
      )
    ).getRows();
    expect(rows.map(([id, s, b]) => [id, Number(s), Number(b)])).toEqual(ids.map((id) => [id, shardIndex(id, 7), bucketIndex(id, 64)]));
    c.closeSync();
    instance.closeSync();
  });
});
