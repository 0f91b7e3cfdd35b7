/**
 * Test patients for the SMART app e2e tests, as FHIR R4 transaction Bundles with dates relative
 * to now (the app evaluates with the browser's clock). Expected cards are derived by hand from
 * docs/clinical-logic.md §2–§3 (see each patient's comment), not from the engine's output.
 */
import type { Bundle, FhirResource, MedicationRequest, MedicationStatement, Observation } from "fhir/r4";

const DAY_MS = 86_400_000;
export const daysAgo = (days: number, now = Date.now()) => new Date(now - days * DAY_MS).toISOString();

const LOINC = {
  vitd: ["62292-8", "25-Hydroxyvitamin D2+D3 [Mass/volume] in Serum or Plasma", "ng/mL"],
  calcium: ["17861-6", "Calcium [Mass/volume] in Serum or Plasma", "mg/dL"],
  magnesium: ["19123-9", "Magnesium [Mass/volume] in Serum or Plasma", "mg/dL"],
  albumin: ["1751-7", "Albumin [Mass/volume] in Serum or Plasma", "g/dL"],
} as const;

function obs(patient: string, id: string, kind: keyof typeof LOINC, value: number, date: string): Observation {
  const [code, display, unit] = LOINC[kind];
  return {
    resourceType: "Observation",
    id: `${patient}-${id}`,
    status: "final",
    category: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/observation-category", code: "laboratory" }] }],
    code: { coding: [{ system: "http://loinc.org", code, display }], text: display },
    subject: { reference: `Patient/${patient}` },
    effectiveDateTime: date,
    valueQuantity: { value, unit, system: "http://unitsofmeasure.org", code: unit },
  };
}

function cholecalciferol(
  patient: string,
  id: string,
  iu: number,
  periodUnit: "d" | "wk",
  start: string,
  viaMedication = false,
): FhirResource[] {
  const text = "cholecalciferol 1.25 MG Oral Capsule";
  const concept = { coding: [{ system: "http://www.nlm.nih.gov/research/umls/rxnorm", code: "2418", display: "cholecalciferol" }], text };
  const statement: MedicationStatement = {
    resourceType: "MedicationStatement",
    id: `${patient}-${id}`,
    status: "active",
    subject: { reference: `Patient/${patient}` },
    effectivePeriod: { start },
    dateAsserted: start,
    ...(viaMedication ? { medicationReference: { reference: `Medication/${patient}-${id}-med` } } : { medicationCodeableConcept: concept }),
    dosage: [
      {
        text: `${iu.toLocaleString("en-US")} IU once ${periodUnit === "d" ? "daily" : "weekly"}`,
        timing: { repeat: { frequency: 1, period: 1, periodUnit } },
        doseAndRate: [{ doseQuantity: { value: iu, unit: "IU", system: "http://unitsofmeasure.org", code: "[iU]" } }],
      },
    ],
  };
  return viaMedication ? [{ resourceType: "Medication", id: `${patient}-${id}-med`, code: concept }, statement] : [statement];
}

/** An active order of cholecalciferol (IU daily), as the prescriber's record of the same intake a patient may also report. */
function cholecalciferolOrder(patient: string, id: string, iu: number, authored: string): MedicationRequest {
  return {
    resourceType: "MedicationRequest",
    id: `${patient}-${id}`,
    status: "active",
    intent: "order",
    subject: { reference: `Patient/${patient}` },
    authoredOn: authored,
    medicationCodeableConcept: {
      coding: [{ system: "http://www.nlm.nih.gov/research/umls/rxnorm", code: "2418", display: "cholecalciferol" }],
      text: "cholecalciferol 75 MCG Oral Tablet",
    },
    dosageInstruction: [
      {
        text: `${iu.toLocaleString("en-US")} IU once daily`,
        timing: { repeat: { frequency: 1, period: 1, periodUnit: "d" } },
        doseAndRate: [{ doseQuantity: { value: iu, unit: "IU", system: "http://unitsofmeasure.org", code: "[iU]" } }],
      },
    ],
  };
}

function bundle(patient: string, name: [string, string], resources: FhirResource[]): Bundle {
  const all: FhirResource[] = [
    {
      resourceType: "Patient",
      id: patient,
      name: [{ use: "official", given: [name[0]], family: name[1] }],
      gender: "female",
      birthDate: "1961-04-12",
    },
    ...resources,
  ];
  return {
    resourceType: "Bundle",
    type: "transaction",
    entry: all.map((resource) => ({ resource, request: { method: "PUT", url: `${resource.resourceType}/${resource.id ?? ""}` } })),
  };
}

export interface TestPatient {
  id: string;
  bundle: Bundle;
  /** topic code → indicator, from docs/clinical-logic.md by hand. */
  expected: Record<string, string>;
}

export function testPatients(now = Date.now()): Record<"cramp" | "toxic" | "normal" | "both" | "twice", TestPatient> {
  const d = (days: number) => daysAgo(days, now);
  return {
    // 50,000 IU weekly (7,143 IU/day > 4,000: high dose) started 21 days ago; Mg 1.4 mg/dL drawn after the start
    // (< 1.7, ≥ 1.2) → repletion-cramp warning. Ca 9.2 with albumin 4.0 and 25(OH)D 14: no toxicity row.
    cramp: {
      id: "smart-cramp",
      expected: { "repletion-cramp": "warning" },
      bundle: bundle(
        "smart-cramp",
        ["Ada", "Cramp"],
        [
          obs("smart-cramp", "vitd-1", "vitd", 14, d(60)),
          obs("smart-cramp", "mg-1", "magnesium", 1.9, d(100)),
          obs("smart-cramp", "mg-2", "magnesium", 1.4, d(3)),
          obs("smart-cramp", "ca-1", "calcium", 9.2, d(3)),
          obs("smart-cramp", "alb-1", "albumin", 4.0, d(3)),
          ...cholecalciferol("smart-cramp", "vd", 50000, "wk", d(21)),
        ],
      ),
    },
    // 50,000 IU daily for 200 days (≥ 10,000 IU/day), 25(OH)D 180 ng/mL and Ca 12.6 mg/dL 5 days ago:
    // Ca high with toxic intake / 25(OH)D > 100, Ca ≥ 12 → vitamin-d-toxicity critical. Started long ago: no repletion card.
    toxic: {
      id: "smart-toxic",
      expected: { "vitamin-d-toxicity": "critical" },
      bundle: bundle(
        "smart-toxic",
        ["Tom", "Toxic"],
        [
          obs("smart-toxic", "vitd-1", "vitd", 95, d(120)),
          obs("smart-toxic", "vitd-2", "vitd", 180, d(5)),
          obs("smart-toxic", "ca-1", "calcium", 10.1, d(120)),
          obs("smart-toxic", "ca-2", "calcium", 12.6, d(5)),
          obs("smart-toxic", "mg-1", "magnesium", 2.0, d(5)),
          ...cholecalciferol("smart-toxic", "vd", 50000, "d", d(200)),
        ],
      ),
    },
    // 1,000 IU daily for 300 days, weekly 25(OH)D 30–39 ng/mL (24 results: more than one page of the
    // service's `_count=20` query), Ca 9.5, Mg 2.0 → no card.
    normal: {
      id: "smart-normal",
      expected: {},
      bundle: bundle(
        "smart-normal",
        ["Nora", "Normal"],
        [
          ...Array.from({ length: 24 }, (_, i) => obs("smart-normal", `vitd-${i}`, "vitd", 30 + (i % 10), d(2 + 7 * i))),
          obs("smart-normal", "ca-1", "calcium", 9.5, d(10)),
          obs("smart-normal", "mg-1", "magnesium", 2.0, d(10)),
          ...cholecalciferol("smart-normal", "vd", 1000, "d", d(300)),
        ],
      ),
    },
    // 3,000 IU daily reported by the patient (since 120 days) and ordered by the doctor (90 days ago): one intake of
    // 3,000 IU/day (same ingredient and dose count once), below the 4,000 IU/day high-dose line; 25(OH)D 32, Ca 9.4,
    // Mg 2.0 → no card. Adding the two would chart 6,000 IU/day, above the "High dose" line.
    twice: {
      id: "smart-twice",
      expected: {},
      bundle: bundle(
        "smart-twice",
        ["Tess", "Twice"],
        [
          obs("smart-twice", "vitd-1", "vitd", 32, d(10)),
          obs("smart-twice", "ca-1", "calcium", 9.4, d(10)),
          obs("smart-twice", "mg-1", "magnesium", 2.0, d(10)),
          ...cholecalciferol("smart-twice", "self", 3000, "d", d(120)),
          cholecalciferolOrder("smart-twice", "rx", 3000, d(90)),
        ],
      ),
    },
    // 50,000 IU weekly started 30 days ago (product in a referenced Medication); Mg 1.5 → repletion-cramp warning;
    // 25(OH)D 120 ng/mL (> 100) with a contemporaneous normal Ca 9.6 and the dose not stopped → vitamin-d-toxicity warning.
    both: {
      id: "smart-both",
      expected: { "repletion-cramp": "warning", "vitamin-d-toxicity": "warning" },
      bundle: bundle(
        "smart-both",
        ["Bea", "Both"],
        [
          obs("smart-both", "vitd-1", "vitd", 120, d(3)),
          obs("smart-both", "ca-1", "calcium", 9.6, d(3)),
          obs("smart-both", "mg-1", "magnesium", 1.5, d(3)),
          ...cholecalciferol("smart-both", "vd", 50000, "wk", d(30), true),
        ],
      ),
    },
  };
}
