/**
 * docs/operations.md stays tied to what it quotes: the benchmark figures it (and deployment.yaml's sizing
 * comment) cite are the ones in docs/benchmarks.md, its sections are there, and README links it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(__dirname, "..", "..");
const read = (file: string) => readFileSync(join(root, file), "utf8");
const ops = read("docs/operations.md");
const benchmarks = read("docs/benchmarks.md");
const deployment = read("deploy/kubernetes/deployment.yaml");

describe("docs/operations.md", () => {
  it("has every section operators need", () => {
    for (const heading of [
      "## Sizing",
      "## Scaling",
      "## TLS",
      "## Secrets",
      "## Logs",
      "## Backup and restore of the feedback database",
      "## Upgrades and migrations",
      "## Probes",
      "## Retention",
      "## Metrics",
      "### FHIR server slow",
      "### Database down",
      "### JWKS unreachable",
    ]) {
      expect([heading, ops.includes(`\n${heading}\n`)]).toEqual([heading, true]);
    }
  });
  it("quotes the benchmark machine and figures exactly as docs/benchmarks.md has them (and so does deployment.yaml)", () => {
    expect(benchmarks).toContain("- CPU: Intel(R) Xeon(R) Processor × 2");
    expect(benchmarks).toContain("- Node: v20.20.2");
    expect(ops).toContain("Intel(R) Xeon(R) Processor × 2 (2 cores), 23.5 GiB, Node v20.20.2");
    for (const figure of [
      "741 req/s",
      "1.55 ms",
      "5.66 ms",
      "6.7 ms",
      "97.5 MiB",
      "222 MiB",
      "236 MiB",
      "350 MiB",
      "27.1 MiB",
      "3.81 ms",
      "457 ms",
      "223 ms",
      "2.01 µs",
    ]) {
      expect([figure, benchmarks.includes(figure), ops.includes(figure)]).toEqual([figure, true, true]);
    }
    for (const figure of ["1.55 ms", "741 req/s", "5.66", "6.7 ms", "350 MiB"])
      expect([figure, deployment.includes(figure)]).toEqual([figure, true]);
  });
  it("covers the tools and settings its runbooks rely on", () => {
    for (const words of [
      "pg_dump",
      "pg_restore",
      ".backup",
      "feedback.sqlite-wal",
      "pg_advisory_xact_lock",
      "never edit",
      "FHIR_TIMEOUT_MS",
      "FHIR_MAX_CONCURRENCY",
      "Retry-After",
      "30 s",
      "CDS_PUBLIC_URL",
      "CDS_TRUST_PROXY",
      "max_connections",
      "CDS_RETENTION_DAYS",
    ]) {
      expect([words, ops.toLowerCase().includes(words.toLowerCase())]).toEqual([words, true]);
    }
  });
  it("is linked from README", () => {
    expect(read("README.md")).toContain("](docs/operations.md)");
  });
});
