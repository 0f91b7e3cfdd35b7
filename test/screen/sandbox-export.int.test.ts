/**
 * End to end: the sandbox's Bulk Data $export (sandbox/bulk-export.ts, mounted by startSandbox) → `vitd-cds
 * screen --bulk` (kick-off, status polling honouring Retry-After, NDJSON downloads) → the worklist holds
 * exactly the cards sandbox/expected.json gives every patient-view demo patient. Order-sign patients'
 * cards depend on draft orders, which are not part of an export: for them (and all others) the worklist
 * must say what the service's own patient-view hook says about the same data.
 */
import request from "supertest";
import { readDemoPatients } from "../../sandbox/load-patients";
import { startSandbox, type RunningSandbox } from "../../sandbox/main";
import { NOW, read, removeTempDirs, screen, tempDir, worklistRows } from "./helpers";

const ENV = { NODE_ENV: "test", CDS_DATABASE_URL: "sqlite::memory:", SANDBOX_DATABASE_URL: "sqlite::memory:", LOG_LEVEL: "silent" };
let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ env: ENV, port: 0, clock: () => new Date(NOW) });
});
afterAll(async () => {
  await sandbox.close();
  removeTempDirs();
});

describe("screen --bulk against the sandbox's $export", () => {
  let out: string;
  const waits: number[] = [];

  beforeAll(async () => {
    out = tempDir();
    const run = await screen(["--bulk", `${sandbox.url}/fhir`, "--out", out, "--now", NOW], {
      screen: { bulk: { sleep: (ms) => Promise.resolve(void waits.push(ms)) } },
    });
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
  });

  it("polled the status with the server's Retry-After before downloading", () => {
    expect(waits).toEqual([1000]);
    const job = JSON.parse(read(out, "export/job.json"));
    expect(job.kickOff).toBe(
      `${sandbox.url}/fhir/Patient/$export?_type=Patient,Observation,MedicationStatement,MedicationRequest,Condition,Medication`,
    );
    const types = JSON.parse(read(out, "export/manifest.json")).output.map((o: { type: string }) => o.type);
    expect(types).toEqual(expect.arrayContaining(["Patient", "Observation", "MedicationStatement", "Condition"]));
  });

  it("gives every patient-view demo patient exactly its expected cards", () => {
    const rows = worklistRows(out);
    for (const p of readDemoPatients().filter((d) => d.hook === "patient-view")) {
      const got = Object.fromEntries(rows.filter((r) => r[0] === p.id).map((r) => [r[1], r[2]]));
      expect({ id: p.id, cards: got }).toEqual({ id: p.id, cards: p.expected });
    }
  });

  it("says for every demo patient what the service's patient-view hook says", async () => {
    const rows = worklistRows(out);
    for (const p of readDemoPatients()) {
      const res = await request(sandbox.url)
        .post("/cds-services/vitd-patient-view")
        .send({
          hook: "patient-view",
          hookInstance: `d6f1c0e4-0000-4000-8000-${p.id.slice(-2).padStart(12, "0")}`,
          fhirServer: `${sandbox.url}/fhir`,
          context: { userId: "Practitioner/1", patientId: p.id },
        })
        .expect(200);
      const service = (res.body.cards as { indicator: string; summary: string; source: { topic: { code: string } } }[]).map((c) => [
        p.id,
        c.source.topic.code,
        c.indicator,
      ]);
      expect({ id: p.id, cards: rows.filter((r) => r[0] === p.id).sort() }).toEqual({ id: p.id, cards: service.sort() });
    }
  });

  it("sorts the worklist by severity, then patient, and counts in summary.json", () => {
    const rows = worklistRows(out);
    const rank = { critical: 2, warning: 1, info: 0 } as Record<string, number>;
    const keys = rows.map((r) => [-(rank[r[2]!] ?? 9), r[0]] as const);
    expect([...keys].sort((a, b) => a[0] - b[0] || (a[1]! < b[1]! ? -1 : a[1]! > b[1]! ? 1 : 0))).toEqual(keys);
    const summary = JSON.parse(read(out, "summary.json"));
    expect(summary.patients).toBe(25);
    expect(summary.cards).toBe(rows.length);
    expect(read(out, "cards.ndjson").trim().split("\n")).toHaveLength(rows.length);
    expect(read(out, "report.html")).toContain("25 patients screened");
  });
});
