/**
 * `vitd-cds screen --ndjson`: one run over the demo export is the reference; gzipped and multi-file
 * input, three shards merged, and a run killed mid-way then resumed must all give the same outputs
 * byte for byte. Bad input: unusable lines are counted and reported with file:line, never stop the
 * run; a patient without a Patient resource is still evaluated; Medications are joined by reference.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { FhirResource } from "fhir/r4";
import { demoResources, writeExport } from "./fixtures";
import { merge, NOW, read, removeTempDirs, screen, tempDir, worklistRows } from "./helpers";

const OUTPUTS = ["worklist.csv", "cards.ndjson", "report.html", "input-problems.csv"];
const root = join(__dirname, "..", "..");
const resources = demoResources(new Date(NOW));
let plainDir: string;
let reference: string;

beforeAll(async () => {
  plainDir = writeExport(join(tempDir(), "export"), resources);
  reference = tempDir();
  const run = await screen(["--ndjson", plainDir, "--out", reference, "--now", NOW]);
  expect(run.err).toBe("");
  expect(run.code).toBe(0);
});
afterAll(removeTempDirs);

const sameOutputs = (dir: string, ref = reference) => {
  for (const f of OUTPUTS) expect({ file: f, text: read(dir, f) }).toEqual({ file: f, text: read(ref, f) });
};

describe("screen --ndjson", () => {
  it("evaluates the 25 demo patients and reports the other types it skipped", () => {
    const summary = JSON.parse(read(reference, "summary.json"));
    expect(summary.patients).toBe(25);
    expect(summary.unusable.total).toBe(0);
    expect(Object.keys(summary.otherTypes)).toContain("Practitioner");
    expect(worklistRows(reference).length).toBeGreaterThan(10);
    expect(read(reference, "worklist.csv").startsWith("patient,pattern,indicator,summary\r\n")).toBe(true);
  });

  it("reads gzipped input split into several files per type the same", async () => {
    const dir = writeExport(join(tempDir(), "export"), resources, { gz: true, filesPerType: 3 });
    const out = tempDir();
    expect((await screen(["--ndjson", dir, "--out", out, "--now", NOW])).code).toBe(0);
    expect(JSON.parse(read(out, "summary.json")).inputFiles.every((f: string) => f.endsWith(".ndjson.gz"))).toBe(true);
    for (const f of ["worklist.csv", "cards.ndjson"]) expect(read(out, f)).toBe(read(reference, f));
  });

  it("shards 1/3 + 2/3 + 3/3, merged, equal the unsharded run", async () => {
    const shards: string[] = [];
    const patients: number[] = [];
    for (const i of [1, 2, 3]) {
      const out = tempDir();
      const run = await screen(["--ndjson", plainDir, "--out", out, "--now", NOW, "--shard", `${i}/3`]);
      expect(run.code).toBe(0);
      patients.push(JSON.parse(read(out, "summary.json")).patients);
      shards.push(out);
    }
    expect(patients.every((n) => n > 0 && n < 25)).toBe(true);
    expect(patients.reduce((a, b) => a + b, 0)).toBe(25);
    const merged = tempDir();
    const run = await merge(["--out", merged, ...shards]);
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    sameOutputs(merged);
    expect(JSON.parse(read(merged, "summary.json")).patients).toBe(25);
    // Incomplete or mismatched shard sets are refused.
    expect((await merge(["--out", tempDir(), shards[0]!, shards[1]!])).code).toBe(2);
    expect((await merge(["--out", tempDir(), shards[0]!, shards[0]!, shards[1]!])).code).toBe(2);
  });

  it("a run killed mid-way and started again equals one run (no patient twice, none lost)", async () => {
    const out = tempDir();
    const args = [
      "--require",
      require.resolve("tsx/cjs"),
      join(root, "src", "cli", "main.ts"),
      "screen",
      "--ndjson",
      plainDir,
      "--out",
      out,
      "--now",
      NOW,
    ];
    const killed = spawnSync(process.execPath, args, {
      env: { ...process.env, SCREEN_WORKERS: "2", VITD_SCREEN_TEST_CRASH_AFTER_PATIENTS: "10" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(killed.signal).toBe("SIGKILL");
    expect(existsSync(join(out, "worklist.csv"))).toBe(false);
    const parts = readdirSync(join(out, ".screen", "parts")).filter((f) => f.endsWith(".ndjson"));
    const buckets = Object.keys(JSON.parse(read(out, ".screen/state.json")).stage.bucketPatients).length;
    expect(parts.length).toBeGreaterThan(0);
    expect(parts.length).toBeLessThan(buckets);

    const resumed = await screen(["--ndjson", plainDir, "--out", out]);
    expect(resumed.code).toBe(0);
    expect(resumed.log).toContain("resuming");
    sameOutputs(out);
    const lines = read(out, "cards.ndjson")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { patient: string; card: { uuid: string } });
    expect(new Set(lines.map((l) => l.card.uuid)).size).toBe(lines.length);
    expect(JSON.parse(read(out, "summary.json")).patients).toBe(25);
    // Started again once more: nothing to do, outputs untouched.
    const again = await screen(["--ndjson", plainDir, "--out", out]);
    expect(again.code).toBe(0);
    expect(again.log).toContain("already holds");
    // Another input or shard into the same --out is refused.
    expect((await screen(["--ndjson", plainDir, "--out", out, "--shard", "1/2"])).code).toBe(2);
  });
});

describe("bad input", () => {
  const obs = (id: string, subject: string, loinc: string, value: number, unit: string): FhirResource => ({
    resourceType: "Observation",
    id,
    status: "final",
    code: { coding: [{ system: "http://loinc.org", code: loinc }] },
    subject: { reference: subject },
    effectiveDateTime: "2031-05-20T08:00:00Z",
    valueQuantity: { value, unit, system: "http://unitsofmeasure.org", code: unit },
  });

  it("counts and reports unusable lines with file:line, evaluates patients without a Patient resource, joins Medications", async () => {
    const dir = tempDir();
    const toxic = {
      resourceType: "MedicationStatement",
      id: "ms-1",
      status: "active",
      subject: { reference: "https://ehr.example.org/fhir/Patient/-no-patient-resource" },
      medicationReference: { reference: "Medication/d3-50k" },
      effectivePeriod: { start: "2030-01-01" },
      dosage: [
        {
          text: "50,000 IU daily",
          timing: { repeat: { frequency: 1, period: 1, periodUnit: "d" } },
          doseAndRate: [{ doseQuantity: { value: 50000, unit: "[iU]", system: "http://unitsofmeasure.org", code: "[iU]" } }],
        },
      ],
    };
    const med = {
      resourceType: "Medication",
      id: "d3-50k",
      code: {
        coding: [{ system: "http://www.nlm.nih.gov/research/umls/rxnorm", code: "316964" }],
        text: "cholecalciferol 50,000 IU capsule",
      },
    };
    writeFileSync(
      join(dir, "Observation.ndjson"),
      [
        JSON.stringify(obs("o1", "Patient/-no-patient-resource", "1989-3", 180, "ng/mL")),
        "{not json",
        "",
        JSON.stringify({ resourceType: "Observation", id: "o2", status: "final", code: { text: "x" } }),
        "[1, 2]",
        JSON.stringify(obs("o3", "Patient/-no-patient-resource", "17861-6", 11.9, "mg/dL")),
        `${JSON.stringify({ resourceType: "Observation", id: "o4", note: [{ text: "x".repeat(5000) }] })}`,
      ].join("\r\n") + "\r\n",
    );
    writeFileSync(join(dir, "MedicationStatement.ndjson"), `${JSON.stringify(toxic)}\n`);
    writeFileSync(join(dir, "Medication.ndjson"), `${JSON.stringify(med)}\n{"resourceType":"Medication","id":"bad id!"}\n`);
    const out = tempDir();
    const run = await screen(["--ndjson", dir, "--out", out, "--now", NOW], {
      screen: { env: { SCREEN_WORKERS: "2", SCREEN_MAX_LINE_BYTES: "4096" } },
    });
    expect(run.code).toBe(0);
    expect(read(out, "input-problems.csv")).toBe(
      [
        "file,line,problem",
        "Medication.ndjson,2,invalid-id",
        "Observation.ndjson,2,invalid-json",
        "Observation.ndjson,4,no-patient-reference",
        "Observation.ndjson,5,not-a-resource",
        "Observation.ndjson,7,line-too-long",
        "",
      ].join("\r\n"),
    );
    const summary = JSON.parse(read(out, "summary.json"));
    expect(summary.unusable.byReason).toEqual({
      "invalid-id": 1,
      "invalid-json": 1,
      "no-patient-reference": 1,
      "not-a-resource": 1,
      "line-too-long": 1,
    });
    expect(summary.patients).toBe(1);
    const rows = worklistRows(out);
    // The id starts with "-": guarded against spreadsheet formula injection.
    expect(rows.map((r) => r[0])).toEqual(["'-no-patient-resource"]);
    expect(rows[0]![1]).toBe("vitamin-d-toxicity");
    const report = read(out, "report.html");
    expect(report).toContain("Observation.ndjson");
    expect(report).toContain("not valid JSON");
  });

  it("exit codes: 2 for bad arguments, 1 for an unreadable or empty input directory", async () => {
    expect((await screen(["--out", tempDir()])).code).toBe(2);
    expect((await screen(["--ndjson", tempDir(), "--out", tempDir(), "--now", "yesterday"])).code).toBe(2);
    expect((await screen(["--ndjson", join(tempDir(), "missing"), "--out", tempDir()])).code).toBe(1);
    expect((await screen(["--ndjson", tempDir(), "--out", tempDir()])).code).toBe(1);
  });
});
