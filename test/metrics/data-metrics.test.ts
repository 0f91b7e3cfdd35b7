/** Data a call could not use is counted in /metrics and logged by type and id and field — never with its values. */
import { Writable } from "node:stream";
import pino from "pino";
import request from "supertest";
import { deficientOn50000Weekly as fixture } from "../fixtures/hooks";
import { fullPrefetch, patientViewBody } from "../../devkit/hook-requests";
import { buildTestApp } from "../helpers/test-app";

it("a malformed Condition and a status-unknown Observation: counted by reason, logged without values", async () => {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) });
  const app = buildTestApp({ logger: pino({ level: "info" }, sink) });
  const prefetch = JSON.parse(JSON.stringify(fullPrefetch(fixture.patient, fixture.resources))) as Record<string, any>;
  prefetch.conditions = {
    resourceType: "Bundle",
    type: "searchset",
    entry: [
      {
        resource: {
          resourceType: "Condition",
          id: "c-bad",
          code: { coding: { code: "SECRET-CODE-55300003" } },
          subject: { reference: "Patient/pat-1" },
        },
      },
    ],
  };
  prefetch.magnesium.entry.push({
    resource: {
      resourceType: "Observation",
      id: "mg-unknown",
      status: "unknown",
      code: { coding: [{ system: "http://loinc.org", code: "19123-9" }] },
      effectiveDateTime: "2026-05-30",
      valueQuantity: { value: 1.234567, unit: "mg/dL" },
    },
  });
  const res = await request(app).post("/cds-services/vitd-patient-view").send(patientViewBody({ prefetch }));
  expect(res.status).toBe(200);
  const metrics = (await request(app).get("/metrics")).text;
  expect(metrics).toMatch(/vitd_resources_not_used_total\{reason="malformed"\} 1/);
  expect(metrics).toMatch(/vitd_resources_not_used_total\{reason="status-unknown"\} 1/);
  const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(logged.find((l) => l.msg === "resource not used")).toMatchObject({
    resource: "Condition/c-bad",
    reason: "malformed",
    field: "code.coding: expected array, received object",
  });
  expect(logged.find((l) => l.msg === "observation not used")).toMatchObject({
    resource: "Observation/mg-unknown",
    reason: "status-unknown",
  });
  const all = lines.join("\n");
  expect(all).not.toContain("SECRET-CODE");
  expect(all).not.toContain("1.234567");
});
