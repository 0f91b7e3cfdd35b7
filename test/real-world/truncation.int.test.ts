/**
 * Silent truncation, as found on a Synthea patient with 1,036 MedicationRequests: with FHIR_MAX_PAGES 10 ×
 * 100 per page, an unsorted search lost the newest order — a 50,000 IU daily vitamin D3 with Ca 12.6 —
 * and the service answered `{"cards": []}`. Searches now ask for newest first, and when the page limit
 * still cuts a search short, every card says the data is incomplete and a metric counts it.
 */
import request from "supertest";
import { buildTestApp } from "../helpers/test-app";
import { serveRecord } from "./record-server";

const NOW = new Date("2026-06-01T12:00:00Z");
const PATIENT = "syn-1036";
const iso = (daysAgo: number) => new Date(NOW.getTime() - daysAgo * 86_400_000).toISOString();

/** 1,035 old orders (oldest first, as Synthea writes them and a server returns them unsorted), then the newest: vitamin D3 50,000 IU daily. */
function record() {
  const subject = { reference: `Patient/${PATIENT}` };
  const old = Array.from({ length: 1_035 }, (_, i) => ({
    resourceType: "MedicationRequest",
    id: `syn-mr-${i}`,
    status: "completed",
    intent: "order",
    medicationCodeableConcept: {
      coding: [{ system: "http://www.nlm.nih.gov/research/umls/rxnorm", code: "308182", display: "Amoxicillin 250 MG Oral Capsule" }],
    },
    subject,
    authoredOn: iso(3_000 - i),
  }));
  return [
    { resourceType: "Patient", id: PATIENT, gender: "female", birthDate: "1960-01-01" },
    {
      resourceType: "Observation",
      id: "syn-ca",
      status: "final",
      code: { coding: [{ system: "http://loinc.org", code: "49765-1" }] },
      subject,
      effectiveDateTime: iso(5),
      valueQuantity: { value: 12.6, unit: "mg/dL", system: "http://unitsofmeasure.org", code: "mg/dL" },
    },
    ...old,
    {
      resourceType: "MedicationRequest",
      id: "syn-mr-vitd",
      status: "active",
      intent: "order",
      medicationCodeableConcept: {
        coding: [{ system: "http://www.nlm.nih.gov/research/umls/rxnorm", code: "2418", display: "cholecalciferol" }],
        text: "Vitamin D3 50,000 unit capsule",
      },
      subject,
      authoredOn: iso(200),
      dosageInstruction: [
        {
          timing: { repeat: { frequency: 1, period: 1, periodUnit: "d" } },
          doseAndRate: [{ doseQuantity: { value: 50_000, unit: "[iU]", system: "http://unitsofmeasure.org", code: "[iU]" } }],
        },
      ],
    },
  ];
}

const hook = (fhirServer: string) => ({
  hook: "patient-view",
  hookInstance: "0b4b9e0e-7f1d-4a43-9d1e-2f0d8f6f3c11",
  fhirServer,
  context: { userId: "Practitioner/example", patientId: PATIENT },
});

it("1,036 orders, 10 pages of 100: the newest order (vitamin D3 50,000 IU daily) is read, the critical card says the data is incomplete, and /metrics counts it", async () => {
  const server = await serveRecord(record());
  try {
    const app = buildTestApp({ clock: () => NOW, config: { fhirAllowlist: [new URL(server.base).origin], fhirMaxPages: 10 } });
    const res = await request(app).post("/cds-services/vitd-patient-view").send(hook(server.base));
    expect(res.status).toBe(200);
    const cards = res.body.cards as Array<{ indicator: string; source: { topic: { code: string } }; detail: string }>;
    expect(cards.map((c) => [c.source.topic.code, c.indicator])).toEqual([["vitamin-d-toxicity", "critical"]]);
    expect(cards[0]!.detail).toContain("Data may be incomplete: the medicationRequests search had more than 10 pages");
    expect(server.urls.filter((u) => u.startsWith("/fhir/MedicationRequest"))).toHaveLength(10);
    expect(server.urls.find((u) => u.startsWith("/fhir/MedicationRequest"))).toContain("_sort=-authoredon");
    const metrics = await request(app).get("/metrics");
    expect(metrics.text).toMatch(/vitd_fhir_searches_truncated_total\{query="medicationRequests"\} 1/);
  } finally {
    await server.close();
  }
});

it("the unread-pages note is absent when every page fits", async () => {
  const server = await serveRecord(record());
  try {
    const app = buildTestApp({ clock: () => NOW, config: { fhirAllowlist: [new URL(server.base).origin], fhirMaxPages: 20 } });
    const res = await request(app).post("/cds-services/vitd-patient-view").send(hook(server.base));
    expect(res.body.cards).toHaveLength(1);
    expect(res.body.cards[0].detail).not.toContain("Data may be incomplete");
  } finally {
    await server.close();
  }
});
