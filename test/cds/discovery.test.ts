import request from "supertest";
import { defaultCodeSets } from "../../src/fhir/code-sets";
import { labQueryGroups } from "../../src/fhir/lab-query-codes";
import { buildTestApp } from "../helpers/test-app";

describe("GET /cds-services (discovery)", () => {
  const app = buildTestApp();

  it("lists the three services with the CDS Hooks 2.0 required fields", async () => {
    const res = await request(app).get("/cds-services").expect(200).expect("content-type", /json/);
    const services = res.body.services as Array<Record<string, unknown>>;
    expect(services.map((s) => [s.id, s.hook])).toEqual([
      ["vitd-patient-view", "patient-view"],
      ["vitd-order-select", "order-select"],
      ["vitd-order-sign", "order-sign"],
    ]);
    for (const s of services) {
      expect(typeof s.title).toBe("string");
      expect((s.description as string).length).toBeGreaterThan(20);
      expect(typeof s.usageRequirements).toBe("string");
      // CDS Hooks: no null, "", [] or {} values
      for (const value of Object.values(s))
        expect(value === null || value === "" || (typeof value === "object" && Object.keys(value).length === 0)).toBe(false);
    }
  });

  it("uses only {{context.patientId}} tokens and bounds every Observation search by _sort=-date and _count", async () => {
    const res = await request(app).get("/cds-services").expect(200);
    const prefetch = res.body.services[0].prefetch as Record<string, string>;
    for (const template of Object.values(prefetch)) {
      const tokens = template.match(/\{\{[^}]*\}\}/g) ?? [];
      expect(tokens.every((t) => t === "{{context.patientId}}")).toBe(true);
      if (template.startsWith("Observation?")) {
        expect(template).toContain("_sort=-date");
        expect(template).toMatch(/_count=\d+/);
      }
    }
    expect(prefetch.patient).toBe("Patient/{{context.patientId}}");
    expect(prefetch.medicationStatements).toMatch(/^MedicationStatement\?patient=\{\{context\.patientId\}\}/);
    expect(prefetch.medicationRequests).toMatch(/^MedicationRequest\?patient=/);
    // No clinical-status filter: a Condition without clinicalStatus counts as active and must be fetched.
    expect(prefetch.conditions).toBe("Condition?patient={{context.patientId}}&_sort=-recorded-date&_count=100");
    expect(prefetch.medicationRequests).toContain("_sort=-authoredon");
    expect(prefetch.medicationStatements).toContain("_sort=-effective");
  });

  it("fetches 25(OH)D, calcium (total, ionized, corrected), albumin and magnesium by system|code", async () => {
    const res = await request(app).get("/cds-services").expect(200);
    const all = Object.values(res.body.services[0].prefetch as Record<string, string>).join("&");
    for (const code of ["62292-8", "1989-3", "17861-6", "1994-3", "29265-6", "1751-7", "19123-9", "2601-3"]) {
      expect(all).toContain(`http://loinc.org|${code}`);
    }
    // 1990-1 and 2236-8 are vitamin D3/D2 themselves, not 25(OH)D (docs/clinical-logic.md §13)
    expect(all).not.toContain("1990-1");
    expect(all).not.toContain("2236-8");
  });

  it("fetches every lab code the normalizer knows, each in exactly one query group", () => {
    const fetched = Object.values(labQueryGroups).flat();
    expect(new Set(fetched).size).toBe(fetched.length);
    expect(new Set(fetched)).toEqual(new Set(defaultCodeSets.labs.map((l) => `${l.system}|${l.code}`)));
  });

  it("is public: no Authorization needed", async () => {
    await request(app).get("/cds-services").expect(200);
  });
});
