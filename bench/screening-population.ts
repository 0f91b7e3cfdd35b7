/**
 * A synthetic population for the screening benchmark, written as a Bulk Data export (one NDJSON file
 * per type, ~71 resources per patient: the Patient, ~58 Observations, 7 MedicationStatements, 1–2
 * MedicationRequests referencing a shared Medication catalog, 3 Conditions). Deterministic for a
 * given seed; dates relative to `now`. The mix is a population's, not a clinic's: most patients take no
 * vitamin D; 15 % a maintenance dose; 8 % a recent high-dose repletion (25(OH)D low, Mg anywhere from
 * low to normal); 5 % ≥ 10,000 IU/day for months (25(OH)D high); 2 % hypercalcemia on vitamin D.
 */
import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { join } from "node:path";
import { prng } from "./fixtures/patient-generator";

const DAY = 86_400_000;
const LOINC = "http://loinc.org";
const RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
const UCUM = "http://unitsofmeasure.org";

const LABS = [
  { loinc: "1989-3", unit: "ng/mL", low: 15, high: 55, kind: "vitd" },
  { loinc: "17861-6", unit: "mg/dL", low: 8.6, high: 10.2, kind: "ca" },
  { loinc: "19123-9", unit: "mg/dL", low: 1.8, high: 2.4, kind: "mg" },
  { loinc: "1751-7", unit: "g/dL", low: 3.6, high: 4.8, kind: "alb" },
  { loinc: "2160-0", unit: "mg/dL", low: 0.6, high: 1.2, kind: "other" },
  { loinc: "2345-7", unit: "mg/dL", low: 70, high: 140, kind: "other" },
  { loinc: "718-7", unit: "g/dL", low: 11.5, high: 16.5, kind: "other" },
  { loinc: "2951-2", unit: "mmol/L", low: 135, high: 145, kind: "other" },
  { loinc: "2823-3", unit: "mmol/L", low: 3.5, high: 5.1, kind: "other" },
  { loinc: "2093-3", unit: "mg/dL", low: 140, high: 260, kind: "other" },
  { loinc: "4548-4", unit: "%", low: 5, high: 8.5, kind: "other" },
] as const;

const OTHER_MEDS = [
  { rxnorm: "7646", text: "omeprazole 20 MG Delayed Release Oral Capsule", dose: 20, unit: "mg" },
  { rxnorm: "29046", text: "lisinopril 10 MG Oral Tablet", dose: 10, unit: "mg" },
  { rxnorm: "6809", text: "metformin hydrochloride 500 MG Oral Tablet", dose: 500, unit: "mg" },
  { rxnorm: "83367", text: "atorvastatin calcium 20 MG Oral Tablet", dose: 20, unit: "mg" },
  { rxnorm: "10582", text: "levothyroxine sodium 0.05 MG Oral Tablet", dose: 50, unit: "ug" },
  { rxnorm: "4603", text: "furosemide 40 MG Oral Tablet", dose: 40, unit: "mg" },
  { rxnorm: "5487", text: "hydrochlorothiazide 25 MG Oral Tablet", dose: 25, unit: "mg" },
  { rxnorm: "1191", text: "aspirin 81 MG Oral Tablet", dose: 81, unit: "mg" },
] as const;

const CONDITIONS = [
  { code: "38341003", display: "Hypertensive disorder" },
  { code: "44054006", display: "Diabetes mellitus type 2" },
  { code: "55822004", display: "Hyperlipidemia" },
  { code: "55300003", display: "Cramp" },
] as const;

type Profile = "none" | "maintenance" | "repletion" | "high-intake" | "hypercalcemia";

function profileOf(r: number): Profile {
  if (r < 0.7) return "none";
  if (r < 0.85) return "maintenance";
  if (r < 0.93) return "repletion";
  if (r < 0.98) return "high-intake";
  return "hypercalcemia";
}

export interface PopulationStats {
  patients: number;
  resources: number;
  bytes: number;
}

async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await new Promise<void>((r) => stream.once("drain", () => r()));
}

export async function writePopulation(dir: string, patients: number, now: Date, seed = 1): Promise<PopulationStats> {
  mkdirSync(dir, { recursive: true });
  const types = ["Patient", "Observation", "MedicationStatement", "MedicationRequest", "Medication", "Condition"] as const;
  const streams = Object.fromEntries(types.map((t) => [t, createWriteStream(join(dir, `${t}.ndjson`))])) as Record<
    (typeof types)[number],
    WriteStream
  >;
  const stats: PopulationStats = { patients, resources: 0, bytes: 0 };
  const emit = async (type: (typeof types)[number], resource: object) => {
    const line = `${JSON.stringify(resource)}\n`;
    stats.resources += 1;
    stats.bytes += line.length;
    await write(streams[type], line);
  };
  const iso = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY).toISOString();
  for (const m of OTHER_MEDS)
    await emit("Medication", {
      resourceType: "Medication",
      id: `med-${m.rxnorm}`,
      code: { coding: [{ system: RXNORM, code: m.rxnorm }], text: m.text },
    });
  await emit("Medication", {
    resourceType: "Medication",
    id: "med-d3-50k",
    code: { coding: [{ system: RXNORM, code: "2418", display: "cholecalciferol" }], text: "Vitamin D3 50,000 IU capsule" },
  });

  const rand = prng(seed);
  for (let i = 0; i < patients; i++) {
    const id = `pop-${String(i).padStart(7, "0")}`;
    const subject = { reference: `Patient/${id}` };
    const profile = profileOf(rand());
    await emit("Patient", {
      resourceType: "Patient",
      id,
      gender: rand() < 0.5 ? "female" : "male",
      birthDate: `${1930 + Math.floor(rand() * 75)}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}`,
      name: [{ family: `Family${i % 997}`, given: [`Given${i % 503}`] }],
    });
    const observations = 52 + Math.floor(rand() * 13);
    for (let k = 0; k < observations; k++) {
      const lab = LABS[k % LABS.length]!;
      let value = lab.low + rand() * (lab.high - lab.low);
      const daysAgo = Math.floor(((k + rand()) / observations) * 720);
      if (lab.kind === "vitd" && profile === "repletion") value = 8 + rand() * 10;
      if (lab.kind === "vitd" && profile === "high-intake") value = 90 + rand() * 80;
      if (lab.kind === "mg" && profile === "repletion" && daysAgo < 30) value = 1.0 + rand() * 1.2;
      if (lab.kind === "ca" && profile === "hypercalcemia" && daysAgo < 60) value = 10.9 + rand() * 1.2;
      await emit("Observation", {
        resourceType: "Observation",
        id: `${id}-o${k}`,
        status: "final",
        category: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/observation-category", code: "laboratory" }] }],
        code: { coding: [{ system: LOINC, code: lab.loinc }] },
        subject,
        effectiveDateTime: iso(daysAgo + rand()),
        valueQuantity: { value: Number(value.toPrecision(3)), unit: lab.unit, system: UCUM, code: lab.unit },
      });
    }
    const statements: object[] = [];
    for (let k = 0; k < 6; k++) {
      const m = OTHER_MEDS[(i + k * 3) % OTHER_MEDS.length]!;
      statements.push({
        medicationCodeableConcept: { coding: [{ system: RXNORM, code: m.rxnorm }], text: m.text },
        dose: m.dose,
        unit: m.unit,
        per: "d",
        start: 100 + ((i * 7 + k * 131) % 1500),
      });
    }
    if (profile === "maintenance")
      statements.push({
        medicationCodeableConcept: { coding: [{ system: RXNORM, code: "2418" }], text: "cholecalciferol 0.025 MG Oral Tablet" },
        dose: 1000,
        unit: "[iU]",
        per: "d",
        start: 400,
      });
    else if (profile === "high-intake")
      statements.push({
        medicationCodeableConcept: { coding: [{ system: RXNORM, code: "2418" }], text: "Vitamin D3 10,000 IU softgel" },
        dose: 10000 + 5000 * Math.floor(rand() * 2),
        unit: "[iU]",
        per: "d",
        start: 150 + Math.floor(rand() * 200),
      });
    else if (profile === "hypercalcemia")
      statements.push({
        medicationCodeableConcept: { coding: [{ system: RXNORM, code: "2418" }], text: "cholecalciferol 0.05 MG Oral Tablet" },
        dose: 2000,
        unit: "[iU]",
        per: "d",
        start: 300,
      });
    else statements.push({ medicationCodeableConcept: { text: "multivitamin tablet" }, dose: 1, unit: "{tbl}", per: "d", start: 600 });
    for (const [k, s] of statements.entries()) {
      const st = s as { medicationCodeableConcept: object; dose: number; unit: string; per: string; start: number };
      await emit("MedicationStatement", {
        resourceType: "MedicationStatement",
        id: `${id}-ms${k}`,
        status: "active",
        medicationCodeableConcept: st.medicationCodeableConcept,
        subject,
        effectivePeriod: { start: iso(st.start).slice(0, 10) },
        dosage: [
          {
            timing: { repeat: { frequency: 1, period: 1, periodUnit: st.per } },
            doseAndRate: [{ doseQuantity: { value: st.dose, unit: st.unit, system: UCUM, code: st.unit } }],
          },
        ],
      });
    }
    const requests =
      profile === "repletion" ? [{ med: "med-d3-50k", dose: 50000, unit: "[iU]", period: "wk", days: 20 + Math.floor(rand() * 40) }] : [];
    requests.push({
      med: `med-${OTHER_MEDS[i % OTHER_MEDS.length]!.rxnorm}`,
      dose: OTHER_MEDS[i % OTHER_MEDS.length]!.dose,
      unit: "mg",
      period: "d",
      days: 200,
    });
    for (const [k, r] of requests.entries()) {
      await emit("MedicationRequest", {
        resourceType: "MedicationRequest",
        id: `${id}-mr${k}`,
        status: "active",
        intent: "order",
        medicationReference: { reference: `Medication/${r.med}` },
        subject,
        authoredOn: iso(r.days),
        dosageInstruction: [
          {
            timing: { repeat: { frequency: 1, period: 1, periodUnit: r.period } },
            doseAndRate: [{ doseQuantity: { value: r.dose, unit: r.unit, system: UCUM, code: r.unit } }],
          },
        ],
      });
    }
    for (let k = 0; k < 3; k++) {
      const c = CONDITIONS[(i + k) % CONDITIONS.length]!;
      await emit("Condition", {
        resourceType: "Condition",
        id: `${id}-c${k}`,
        clinicalStatus: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-clinical", code: "active" }] },
        code: { coding: [{ system: "http://snomed.info/sct", code: c.code, display: c.display }] },
        subject,
        recordedDate: iso(30 + ((i * 13 + k * 97) % 3000)).slice(0, 10),
      });
    }
  }
  await Promise.all(Object.values(streams).map((s) => new Promise<void>((r) => s.end(() => r()))));
  return stats;
}
