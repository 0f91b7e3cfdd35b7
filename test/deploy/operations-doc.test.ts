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
    expect(benchmarks).toContain("- CPU: AMD EPYC × 2");
    expect(benchmarks).toContain("- Node: v20.20.2");
    expect(ops).toContain("AMD EPYC × 2 (2 cores), 23.5 GiB, Node v20.20.2");
    for (const figure of [
      "534 req/s",
      "2.59 ms",
      "8.05 ms",
      "10.4 ms",
      "97.1 MiB",
      "218 MiB",
      "232 MiB",
      "351 MiB",
      "27.1 MiB",
      "9 ms",
      "781 ms",
      "386 ms",
      "2.99 µs",
    ]) {
      expect([figure, benchmarks.includes(figure), ops.includes(figure)]).toEqual([figure, true, true]);
    }
    for (const figure of ["2.59 ms", "534 req/s", "8.05", "10.4 ms", "351 MiB"])
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
