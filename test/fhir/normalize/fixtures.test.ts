/** The shared JSON fixtures in test/fixtures/fhir, normalized: each file's expected facts (hand-computed). */
import type { Condition, MedicationRequest, MedicationStatement, Observation } from "fhir/r4";
import { normalizeFacts } from "../../../src/fhir/normalize";
import { clinicalResources } from "../../fixtures/fhir/builders";
import {
  allFixtures,
  conditionFixture,
  draftOrderFixture,
  fixtureNames,
  medicationFixture,
  obsFixture,
  patientFixture,
  requestFixture,
  statementFixture,
} from "../../fixtures/fhir";

describe("observation fixtures", () => {
  const labs: [string, string, number, string, string?][] = [
    ["vitd-total-11-ng-ml", "vitd-total", 11, "ng/mL"],
    ["vitd-total-30-nmol-l-canadian", "vitd-total", 30 / 2.496, "ng/mL"],
    ["vitd-total-below-5-string", "vitd-total", 5, "ng/mL", "<"],
    ["vitd-total-400-nmol-l-toxic", "vitd-total", 400 / 2.496, "ng/mL"],
    ["vitd-total-above-150-comparator", "vitd-total", 150, "ng/mL", ">"],
    ["vitd-d3-18-ng-ml", "vitd-d3", 18, "ng/mL"],
    ["vitd-d3-45-nmol-l", "vitd-d3", 45 / 2.496, "ng/mL"],
    ["vitd-d2-4-ng-ml", "vitd-d2-or-unspecified", 4, "ng/mL"],
    ["vitd-metabolites-22-ng-ml", "vitd-metabolites", 22, "ng/mL"],
    ["vitd-issued-only", "vitd-total", 24, "ng/mL"],
    ["calcium-total-10.9-mg-dl-high", "calcium-total", 10.9, "mg/dL"],
    ["calcium-total-2.6-mmol-l", "calcium-total", 2.6 * 4.008, "mg/dL"],
    ["calcium-total-5.2-meq-l", "calcium-total", 5.2 * 2.004, "mg/dL"],
    ["calcium-ionized-1.38-blood", "calcium-ionized", 1.38, "mmol/L"],
    ["calcium-ionized-1.25-serum", "calcium-ionized", 1.25, "mmol/L"],
    ["calcium-ionized-1.10-ise", "calcium-ionized", 1.1, "mmol/L"],
    ["calcium-ionized-4.6-mg-dl", "calcium-ionized", 4.6 / 4.008, "mmol/L"],
    ["calcium-corrected-2.70-mmol-l", "calcium-corrected", 2.7 * 4.008, "mg/dL"],
    ["calcium-corrected-10.8-mg-dl", "calcium-corrected", 10.8, "mg/dL"],
    ["magnesium-1.4-mg-dl-low", "magnesium", 1.4, "mg/dL"],
    ["magnesium-0.55-mmol-l", "magnesium", 0.55 * 2.431, "mg/dL"],
    ["magnesium-1.2-meq-l", "magnesium", 1.2 * 1.215, "mg/dL"],
    ["albumin-32-g-l", "albumin", 3.2, "g/dL"],
    ["albumin-3.1-g-dl-bcg", "albumin", 3.1, "g/dL"],
    ["albumin-3.4-g-dl-bcp", "albumin", 3.4, "g/dL"],
    ["creatinine-150-umol-l", "creatinine", 150 / 88.4, "mg/dL"],
    ["creatinine-1.1-mg-dl", "creatinine", 1.1, "mg/dL"],
    ["egfr-24-ckd-epi-2021", "egfr", 24, "mL/min/1.73m2"],
    ["egfr-55-ckd-epi", "egfr", 55, "mL/min/1.73m2"],
    ["egfr-28-mdrd", "egfr", 28, "mL/min/1.73m2"],
    ["pth-intact-88-pg-ml", "pth", 88, "pg/mL"],
    ["phosphate-3.1-mg-dl", "phosphate", 3.1, "mg/dL"],
    ["potassium-3.3-mmol-l", "potassium", 3.3, "mmol/L"],
  ];
  const rows = labs.map(([file, kind, value, unit, comparator]) => [file, kind, value, unit, comparator ?? null] as const);
  test.each(rows)("%s → %s %d %s", (file, kind, value, unit, comparator) => {
    const f = normalizeFacts(clinicalResources({ observations: [obsFixture(file)] }));
    expect(f.labs).toEqual([expect.objectContaining({ kind, unit, value: expect.closeTo(value, 2) })]);
    expect(f.labs[0]?.comparator ?? null).toBe(comparator);
  });

  test.each([
    ["vitd-entered-in-error", null],
    ["vitd-preliminary", null],
    ["vitd-unknown-unit", "unknown unit 'IU/mL'"],
  ])("%s → not a lab (%s)", (file, reason) => {
    const f = normalizeFacts(clinicalResources({ observations: [obsFixture(file)] }));
    expect(f.labs).toEqual([]);
    expect(f.ignoredObservations.map((i) => i.reason)).toEqual(reason ? [reason] : []);
  });

  test("every observation fixture is covered above", () => {
    expect(fixtureNames("observations")).toHaveLength(labs.length + 3);
  });

  test("the Canadian reference range 75–250 nmol/L is shown as 30.0–100.2 ng/mL", () => {
    const f = normalizeFacts(clinicalResources({ observations: [obsFixture("vitd-total-30-nmol-l-canadian")] }));
    expect(f.labs[0]?.referenceRange).toEqual({ low: expect.closeTo(75 / 2.496, 2), high: expect.closeTo(250 / 2.496, 2) });
    expect(f.labs[0]?.interpretation).toBe("L");
  });
});

describe("medication fixtures", () => {
  const statements = (...names: string[]) => names.map(statementFixture);
  const requests = (...names: string[]) => names.map(requestFixture);

  test("the vitamin D products of the chart, with daily equivalents", () => {
    const f = normalizeFacts(
      clinicalResources({
        medications: [medicationFixture("medication-cholecalciferol-1.25-mg")],
        medicationStatements: statements(
          "statement-d3-50000-weekly",
          "statement-d3-2000-text-only",
          "statement-calcium-d3-combination",
          "statement-d3-10000-stopped",
          "statement-d3-not-taken",
          "statement-d3-entered-in-error",
          "statement-referenced-medication",
          "statement-d3-note-only",
          "statement-d3-unparseable",
        ),
        medicationRequests: requests(
          "request-ergocalciferol-drisdol-weekly",
          "request-calcitriol-0.25-mcg-daily",
          "request-calcifediol-30-mcg",
          "request-d3-50000-completed",
          "request-contained-d3-every-2-weeks",
        ),
      }),
    );
    const summary = Object.fromEntries(f.vitaminD.map((p) => [p.id, [p.ingredient, p.status, p.dailyIU, p.dailyMcg, p.start, p.end]]));
    expect(summary).toEqual({
      "MedicationStatement/ms-d3-50000-weekly": ["cholecalciferol", "active", expect.closeTo(50000 / 7, 6), null, "2026-05-07", undefined],
      "MedicationStatement/ms-d3-2000-text": ["cholecalciferol", "active", 2000, null, "2025-11-01", undefined],
      "MedicationStatement/ms-ca-d3": ["cholecalciferol", "active", 800, null, "2025-06-01", undefined],
      "MedicationStatement/ms-d3-stopped": ["cholecalciferol", "stopped", 10000, null, "2025-01-10", "2026-03-15"],
      "MedicationStatement/ms-ref-med": ["cholecalciferol", "active", expect.closeTo(50000 / 7, 6), null, "2026-05-01", undefined],
      "MedicationStatement/ms-d3-note": ["ergocalciferol", "active", expect.closeTo(50000 / 7, 6), null, "2026-04-15", undefined],
      "MedicationStatement/ms-d3-unparseable": ["cholecalciferol", "active", null, null, undefined, undefined],
      "MedicationRequest/mr-ergo-drisdol": ["ergocalciferol", "active", expect.closeTo(50000 / 7, 6), null, "2026-04-28", undefined],
      "MedicationRequest/mr-calcitriol": ["calcitriol", "active", null, 0.25, "2026-03-02T11:00:00Z", undefined],
      "MedicationRequest/mr-calcifediol": ["calcifediol", "active", null, 30, "2026-02-10T11:00:00Z", undefined],
      "MedicationRequest/mr-d3-completed": ["cholecalciferol", "stopped", expect.closeTo(50000 / 7, 6), null, "2025-10-01", "2025-11-26"],
      "MedicationRequest/mr-contained-d3": [
        "cholecalciferol",
        "active",
        expect.closeTo(50000 / 14, 6),
        null,
        "2026-05-15T10:00:00Z",
        undefined,
      ],
    });
    expect(f.vitaminD.find((p) => p.id === "MedicationStatement/ms-d3-unparseable")).toEqual(
      expect.objectContaining({ doseUnknown: true, doseText: "dose unknown" }),
    );
    expect(f.otherMedications.map((m) => [m.id, m.classes])).toEqual([["MedicationStatement/ms-ca-d3", ["calcium-supplement"]]]);
  });

  test("modifier drugs of the chart", () => {
    const names = [
      "statement-omeprazole",
      "statement-hydrochlorothiazide",
      "statement-furosemide",
      "statement-digoxin",
      "statement-tums",
      "statement-tacrolimus",
      "statement-lithium",
      "statement-magnesium-oxide",
      "statement-atorvastatin-calcium",
    ];
    const f = normalizeFacts(
      clinicalResources({ medicationStatements: statements(...names), medicationRequests: requests("request-teriparatide") }),
    );
    expect(f.vitaminD).toEqual([]);
    expect(f.otherMedications.map((m) => m.classes[0])).toEqual([
      "proton-pump-inhibitor",
      "thiazide",
      "loop-diuretic",
      "digoxin",
      "calcium-supplement",
      "calcineurin-inhibitor",
      "lithium",
      "magnesium-supplement",
      "pth-analog",
    ]);
  });

  test("draft orders: a 50,000 IU weekly draft, a 300,000 IU single-dose draft, a PPI draft (order-select selects the first)", () => {
    const drafts = fixtureNames("draft-orders").map(draftOrderFixture);
    const f = normalizeFacts(clinicalResources({ draftOrders: drafts, selections: ["MedicationRequest/draft-d3-50000"] }));
    expect(f.vitaminD.map((p) => [p.id, p.source, p.dailyIU, p.bolusIU, p.selected, p.start])).toEqual([
      ["MedicationRequest/draft-d3-bolus", "draft-order", null, 300000, false, undefined],
      ["MedicationRequest/draft-d3-50000", "draft-order", expect.closeTo(50000 / 7, 6), undefined, true, undefined],
    ]);
    expect(f.otherMedications).toEqual([
      {
        id: "MedicationRequest/draft-omeprazole",
        name: "omeprazole 20 MG Delayed Release Oral Capsule",
        classes: ["proton-pump-inhibitor"],
        status: "active",
      },
    ]);
  });

  test("every medication fixture file is a valid resource of its type", () => {
    for (const r of allFixtures<MedicationStatement | MedicationRequest>("medications")) {
      expect(["MedicationStatement", "MedicationRequest", "Medication"]).toContain(r.resourceType);
      expect(r.id).toEqual(expect.any(String));
    }
  });
});

describe("condition fixtures", () => {
  test("the problem list of the chart", () => {
    const f = normalizeFacts(clinicalResources({ conditions: allFixtures<Condition>("conditions") }));
    expect(f.conditions.map((c) => [c.id, c.kind]).sort()).toEqual(
      [
        ["Condition/cond-alcohol", "alcohol-use-disorder"],
        ["Condition/cond-bariatric", "bariatric-surgery"],
        ["Condition/cond-calf-spasm", "cramps"],
        ["Condition/cond-celiac", "malabsorption"],
        ["Condition/cond-ckd4", "ckd-stage-4-5"],
        ["Condition/cond-cramp", "cramps"],
        ["Condition/cond-crohn", "malabsorption"],
        ["Condition/cond-esrd", "ckd-stage-4-5"],
        ["Condition/cond-hyperca", "hypercalcemia"],
        ["Condition/cond-hypomg", "hypomagnesemia"],
        ["Condition/cond-hypomg-icd", "hypomagnesemia"],
        ["Condition/cond-phpt", "primary-hyperparathyroidism"],
        ["Condition/cond-sarcoid", "granulomatous-disease"],
        ["Condition/cond-sleep-cramps", "cramps"],
      ].sort(),
    );
    expect(f.conditions.find((c) => c.id === "Condition/cond-cramp")).toEqual(
      expect.objectContaining({
        date: "2026-05-25",
        display: "Cramp",
        code: { system: "http://snomed.info/sct", code: "55300003", display: "Cramp" },
      }),
    );
    expect(conditionFixture("cramp-and-spasm-icd10-resolved").clinicalStatus?.coding?.[0]?.code).toBe("resolved");
  });
});

describe("a whole chart", () => {
  test("patient facts come from the Patient resource, labs are newest first", () => {
    const observations = allFixtures<Observation>("observations");
    const f = normalizeFacts(clinicalResources({ patient: patientFixture(), observations }));
    expect(f.patient).toEqual({ id: "pat-1", birthDate: "1968-03-14", gender: "female", name: "Grace Adaeze Okafor" });
    const times = f.labs.map((l) => Date.parse(l.date));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(f.labs).toHaveLength(observations.length - 3);
    expect(f.ignoredObservations).toHaveLength(1);
  });

  test("no Patient resource: only the id from context", () => {
    expect(normalizeFacts(clinicalResources({ patientId: "abc" })).patient).toEqual({ id: "abc" });
  });
});
