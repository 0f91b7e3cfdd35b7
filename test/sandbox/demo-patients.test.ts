/**
 * The demo patients and their expectation table: complete coverage of both decision tables of
 * docs/clinical-logic.md §2–§3, well-formed transaction Bundles with relative dates, real code systems,
 * and a load into the sandbox FHIR server.
 */
import { Operator } from "@medplum/core";
import type { Bundle, FhirResource, Observation, Reference } from "fhir/r4";
import { createFhirServer } from "../../sandbox/fhir-server";
import {
  listPatientIds,
  loadAllPatientBundles,
  loadDraftOrders,
  loadPatientBundle,
  materialize,
  readDemoPatients,
  readPatientTemplate,
} from "../../sandbox/load-patients";

const NOW = new Date("2026-06-01T12:00:00Z");
const DAY = 86_400_000;

/** Every row of both tables in docs/clinical-logic.md §2–§3 (row 1–4 and 8 of toxicity split by indicator), written from the documented rules. */
const SPEC_ROWS = [
  "repletion-cramp:mg-below-1.2",
  "repletion-cramp:mg-below-1.7",
  "repletion-cramp:low-calcium",
  "repletion-cramp:no-reassuring-mg-cramps-or-risk",
  "repletion-cramp:no-reassuring-mg-deficiency",
  "repletion-cramp:no-reassuring-mg-no-deficiency",
  "repletion-cramp:reassuring-mg-cramps",
  "repletion-cramp:reassuring-mg-no-cramps",
  "vitamin-d-toxicity:ca-high-with-toxic-intake-critical",
  "vitamin-d-toxicity:ca-high-with-toxic-intake-warning",
  "vitamin-d-toxicity:ca-high-other-vitamin-d-critical",
  "vitamin-d-toxicity:ca-high-other-vitamin-d-warning",
  "vitamin-d-toxicity:25ohd-above-150-critical",
  "vitamin-d-toxicity:25ohd-above-150-warning",
  "vitamin-d-toxicity:25ohd-above-100-warning",
  "vitamin-d-toxicity:25ohd-above-100-info",
  "vitamin-d-toxicity:prolonged-toxic-intake-no-calcium",
  "vitamin-d-toxicity:documented-hypercalcemia-no-calcium",
  "vitamin-d-toxicity:toxic-dose-ordered-no-history",
  "vitamin-d-toxicity:bolus-300000",
  "vitamin-d-toxicity:bolus-100000",
];

/** LOINC codes of docs/clinical-logic.md §13 (serum/plasma labs the service reads). */
const SPEC_LOINC = new Set([
  "62292-8",
  "68438-1",
  "1989-3",
  "14635-7",
  "49054-0",
  "35365-6",
  "17861-6",
  "2000-8",
  "1994-3",
  "1995-0",
  "12180-6",
  "17864-0",
  "29265-6",
  "46099-8",
  "19123-9",
  "2601-3",
  "1751-7",
  "61151-7",
  "61152-5",
  "2160-0",
  "98979-8",
  "62238-1",
  "33914-3",
  "2731-8",
  "2777-1",
  "2823-3",
]);

const table = readDemoPatients();
const ids = listPatientIds();
const resourcesOf = (bundle: Bundle): FhirResource[] =>
  (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource as FhirResource] : []));

describe("materialize", () => {
  it("resolves relative days, hours, a time of day and date-only forms against now", () => {
    const template = {
      a: "{{now}}",
      b: "{{now-21d@08:30}}",
      c: "{{now+2h}}",
      d: "{{now-365d|date}}",
      e: "drawn {{now-1d|date}} (fasting)",
    };
    expect(materialize(template, NOW)).toEqual({
      a: "2026-06-01T12:00:00Z",
      b: "2026-05-11T08:30:00Z",
      c: "2026-06-01T14:00:00Z",
      d: "2025-06-01",
      e: "drawn 2026-05-31 (fasting)",
    });
  });
  it("is pure: the template is not modified and the same now gives the same bundle", () => {
    const template = readPatientTemplate("vitd-demo-01");
    const before = JSON.stringify(template);
    expect(materialize(template, NOW)).toEqual(materialize(template, NOW));
    expect(JSON.stringify(template)).toBe(before);
  });
});

describe("expectation table (sandbox/expected.json)", () => {
  it("lists at least 14 patients, exactly the stored bundles", () => {
    expect(ids.length).toBeGreaterThanOrEqual(14);
    expect(table.map((p) => p.id).sort()).toEqual(ids);
  });
  it("covers every row of both decision tables and at least two normal patients without cards", () => {
    const covered = new Set(table.flatMap((p) => p.covers));
    expect(SPEC_ROWS.filter((row) => !covered.has(row))).toEqual([]);
    const normal = table.filter((p) => p.covers.includes("normal"));
    expect(normal.length).toBeGreaterThanOrEqual(2);
    for (const p of normal) expect(p.expected).toEqual({});
  });
  it("gives order-sign patients (and only them) a draft vitamin D MedicationRequest for this patient", () => {
    for (const p of table) {
      const drafts = loadDraftOrders(p.id, NOW);
      if (p.hook === "patient-view") {
        expect(drafts).toBeUndefined();
        continue;
      }
      const orders = resourcesOf(drafts!);
      expect(orders.length).toBeGreaterThan(0);
      for (const order of orders) {
        expect(order.resourceType).toBe("MedicationRequest");
        if (order.resourceType !== "MedicationRequest") continue;
        expect(order.status).toBe("draft");
        expect(order.subject.reference).toBe(`Patient/${p.id}`);
      }
    }
  });
});

describe.each(ids)("bundle %s", (id) => {
  const bundle = loadPatientBundle(id, NOW);
  const resources = resourcesOf(bundle);
  const keys = new Set(resources.map((r) => `${r.resourceType}/${r.id ?? ""}`));

  it("is a transaction of PUTs with stable ids, one Patient with the file's id", () => {
    expect(bundle.type).toBe("transaction");
    for (const entry of bundle.entry ?? []) {
      expect(entry.request?.method).toBe("PUT");
      expect(entry.request?.url).toBe(`${entry.resource?.resourceType}/${entry.resource?.id}`);
    }
    expect(resources.filter((r) => r.resourceType === "Patient").map((r) => r.id)).toEqual([id]);
    for (const r of resources.filter((x) => x.resourceType !== "Practitioner")) expect(r.id?.startsWith(id)).toBe(true);
  });

  it("has every placeholder resolved, valid dates, none in the future", () => {
    const text = JSON.stringify(bundle);
    expect(text).not.toContain("{{");
    const dates = [...text.matchAll(/"(\d{4}-\d{2}-\d{2}(T[^"]+)?)"/g)].map((m) => m[1] ?? "");
    expect(dates.length).toBeGreaterThan(3);
    for (const d of dates) {
      expect(Number.isNaN(Date.parse(d))).toBe(false);
      expect(Date.parse(d)).toBeLessThanOrEqual(NOW.getTime());
    }
  });

  it("references only resources in the bundle (or contained ones)", () => {
    const refs: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === "object") {
        const ref = (v as Reference).reference;
        if (typeof ref === "string") refs.push(ref);
        Object.values(v).forEach(walk);
      }
    };
    walk(resources);
    for (const ref of refs) {
      if (ref.startsWith("#")) continue;
      expect(keys.has(ref)).toBe(true);
    }
  });

  it("uses LOINC codes of the spec for its labs, with a value and a unit, matched by system", () => {
    const labs = resources.filter((r): r is Observation => r.resourceType === "Observation");
    expect(labs.length).toBeGreaterThan(0);
    for (const lab of labs) {
      const loinc = lab.code.coding?.filter((c) => c.system === "http://loinc.org") ?? [];
      expect(loinc).toHaveLength(1);
      expect(SPEC_LOINC.has(loinc[0]?.code ?? "")).toBe(true);
      expect(typeof lab.valueQuantity?.value).toBe("number");
      expect(lab.valueQuantity?.unit).toBeTruthy();
    }
  });
});

describe("realism across the set", () => {
  const bundles = loadAllPatientBundles(NOW);
  const all = bundles.flatMap(resourcesOf);
  it("uses the unit variety labs send (ng/mL, nmol/L, mg/dL, mmol/L, mEq/L, g/L)", () => {
    const units = new Set(all.flatMap((r) => (r.resourceType === "Observation" && r.valueQuantity?.unit ? [r.valueQuantity.unit] : [])));
    for (const unit of ["ng/mL", "nmol/L", "mg/dL", "mmol/L", "mEq/L", "g/L"]) expect(units.has(unit)).toBe(true);
  });
  it("gives most patients a lab history spanning months, and every patient a practitioner", () => {
    const spans = bundles.map((b) => {
      const times = resourcesOf(b).flatMap((r) =>
        r.resourceType === "Observation" && r.effectiveDateTime ? [Date.parse(r.effectiveDateTime)] : [],
      );
      return (Math.max(...times) - Math.min(...times)) / DAY;
    });
    expect(spans.filter((days) => days >= 90).length).toBeGreaterThanOrEqual(Math.ceil(bundles.length * 0.75));
    for (const b of bundles) expect(resourcesOf(b).some((r) => r.resourceType === "Practitioner")).toBe(true);
  });
  it("codes medications with RxNorm and conditions with ICD-10-CM or SNOMED CT", () => {
    const systems = new Set(JSON.stringify(all).match(/"system":\s*"[^"]+"/g));
    expect(systems).toContain('"system":"http://www.nlm.nih.gov/research/umls/rxnorm"');
    expect(systems).toContain('"system":"http://hl7.org/fhir/sid/icd-10-cm"');
    expect(systems).toContain('"system":"http://snomed.info/sct"');
  });
  it("loads every bundle into the sandbox FHIR server, each patient's Observations findable by patient id", async () => {
    const fhir = createFhirServer();
    for (const b of bundles) await fhir.loadBundle(b);
    for (const b of bundles) {
      const patientId = resourcesOf(b).find((r) => r.resourceType === "Patient")?.id ?? "";
      const stored = await fhir.repo.searchResources({
        resourceType: "Observation",
        filters: [{ code: "patient", operator: Operator.EQUALS, value: `Patient/${patientId}` }],
      });
      expect(stored.length).toBe(resourcesOf(b).filter((r) => r.resourceType === "Observation").length);
    }
  });
});
