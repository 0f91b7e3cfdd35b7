/**
 * Shorthands for building a clinical situation from realistic FHIR R4 resources, with every date
 * relative to TEST_NOW (2026-06-01T12:00Z). Labs: `lab.mg(1.4, 3)` = Mg 1.4 mg/dL drawn 3 days ago.
 * Medications: `takes(D3, iu(50000, "week"), { startDays: 21 })` = a MedicationStatement started 3 weeks ago.
 */
import type { Condition, Dosage, MedicationRequest, MedicationStatement, Observation, Patient, Timing } from "fhir/r4";
import {
  condition,
  draftOrder,
  medicationRequest,
  medicationStatement,
  observation,
  patient,
  SYSTEM,
  type ObservationSpec,
} from "../../fixtures/fhir/builders";
import { TEST_NOW } from "../../helpers/test-app";

const DAY_MS = 86_400_000;
/** ISO date-time `days` before TEST_NOW (lab draw times). */
export const ago = (days: number): string => new Date(TEST_NOW.getTime() - days * DAY_MS).toISOString();
/** ISO date `days` before TEST_NOW (medication periods, condition onsets). */
export const dateAgo = (days: number): string => ago(days).slice(0, 10);

type LabOptions = Omit<Partial<ObservationSpec>, "loinc" | "value" | "date">;
const labOf =
  (loinc: string, unit: string) =>
  (value: number, days: number, o: LabOptions = {}): Observation =>
    observation({ loinc, value, unit, date: ago(days), ...o });

/** Labs in their usual US units (LOINC system + code, UCUM units). */
export const lab = {
  vitD: labOf("62292-8", "ng/mL"),
  vitDNmol: labOf("68438-1", "nmol/L"),
  vitD3: labOf("1989-3", "ng/mL"),
  vitD3Nmol: labOf("14635-7", "nmol/L"),
  ca: labOf("17861-6", "mg/dL"),
  caMmol: labOf("2000-8", "mmol/L"),
  ionized: labOf("1994-3", "mmol/L"),
  albumin: labOf("1751-7", "g/dL"),
  mg: labOf("19123-9", "mg/dL"),
  mgMoles: labOf("2601-3", "mmol/L"),
  egfr: labOf("98979-8", "mL/min/{1.73_m2}"),
  /** eGFR by CKD-EPI 2009, race-specific code (non-black): still an eGFR (HL7 CPG CKD eGFR value set). */
  egfrCkdEpi2009: labOf("88294-4", "mL/min/{1.73_m2}"),
  /** eGFR by CKD-EPI 2009, race-specific code (black). */
  egfrCkdEpi2009Black: labOf("88293-6", "mL/min/{1.73_m2}"),
  creatinine: labOf("2160-0", "mg/dL"),
  creatinineUmol: labOf("2160-0", "umol/L"),
  /** Non-UCUM "mEq/L" as many lab systems send it (no UCUM code). */
  caMeq: (value: number, days: number) => observation({ loinc: "2000-8", value, unit: "mEq/L", ucum: null, date: ago(days) }),
  mgMeq: (value: number, days: number) => observation({ loinc: "2601-3", value, unit: "mEq/L", ucum: null, date: ago(days) }),
};

export interface Product {
  name: string;
  rxnorm?: string;
}

/** Vitamin D and modifier products: RxNorm ingredient codes where verified, RxNorm-style names otherwise. */
export const PRODUCT = {
  d3: { name: "cholecalciferol", rxnorm: "2418" },
  d3Capsule50k: { name: "cholecalciferol 1.25 MG Oral Capsule" },
  d3Text: { name: "Vitamin D3" },
  d2: { name: "ergocalciferol", rxnorm: "4018" },
  drisdol: { name: "ergocalciferol 1.25 MG Oral Capsule [Drisdol]" },
  calcitriol: { name: "calcitriol 0.25 MCG Oral Capsule [Rocaltrol]" },
  calcifediol: { name: "calcifediol 0.03 MG Extended Release Oral Capsule [Rayaldee]" },
  calcifediolPlain: { name: "calcifediol" },
  omeprazole: { name: "omeprazole 20 MG Delayed Release Oral Capsule", rxnorm: "7646" },
  furosemide: { name: "furosemide 40 MG Oral Tablet", rxnorm: "4603" },
  digoxin: { name: "digoxin 0.125 MG Oral Tablet", rxnorm: "3407" },
  tums: { name: "Tums (calcium carbonate 500 MG Chewable Tablet)" },
  atorvastatin: { name: "atorvastatin calcium 20 MG Oral Tablet" },
} as const satisfies Record<string, Product>;

const UCUM: Record<string, string> = { IU: "[iU]", mcg: "ug", mg: "mg", capsule: "{capsule}", tablet: "{tablet}" };
const REPEAT: Record<string, Timing["repeat"]> = {
  day: { frequency: 1, period: 1, periodUnit: "d" },
  week: { frequency: 1, period: 1, periodUnit: "wk" },
  "twice-weekly": { frequency: 2, period: 1, periodUnit: "wk" },
  once: { count: 1 },
};

/** A structured dosage: amount + unit, repeated per `every` (or a GTS timing code such as "WK"). */
export function dose(
  amount: number,
  unit: "IU" | "mcg" | "mg" | "capsule" | "tablet",
  every: keyof typeof REPEAT | { code: string },
  text?: string,
): Dosage {
  const timing: Timing =
    typeof every === "string"
      ? { repeat: REPEAT[every]! }
      : { code: { coding: [{ system: SYSTEM.gts, code: every.code }], text: every.code } };
  return {
    ...(text ? { text } : {}),
    timing,
    route: { coding: [{ system: SYSTEM.snomed, code: "26643006", display: "Oral route" }] },
    doseAndRate: [{ doseQuantity: { value: amount, unit, system: SYSTEM.ucum, code: UCUM[unit]! } }],
  };
}
export const iu = (amount: number, every: keyof typeof REPEAT, text?: string): Dosage => dose(amount, "IU", every, text);
/** Free-text dosage only, as patient-reported medication lists often carry. */
export const textDose = (text: string): Dosage => ({ text });

export interface MedOptions {
  id?: string;
  startDays?: number;
  /** Days ago the product was stopped/completed (effectivePeriod.end / validityPeriod.end). */
  endDays?: number;
}

/** A patient-reported MedicationStatement (status active unless given). */
export function takes(
  product: Product,
  dosage: Dosage,
  o: MedOptions & { status?: MedicationStatement["status"] } = {},
): MedicationStatement {
  return medicationStatement({
    ...product,
    dosages: [dosage],
    ...(o.id ? { id: o.id } : {}),
    ...(o.status ? { status: o.status } : {}),
    ...(o.startDays !== undefined ? { start: dateAgo(o.startDays), dateAsserted: ago(o.startDays) } : {}),
    ...(o.endDays !== undefined ? { end: dateAgo(o.endDays) } : {}),
  });
}

/** An existing MedicationRequest (status active unless given), authored at its start. */
export function ordered(
  product: Product,
  dosage: Dosage,
  o: MedOptions & { status?: MedicationRequest["status"] } = {},
): MedicationRequest {
  return medicationRequest({
    ...product,
    dosages: [dosage],
    ...(o.id ? { id: o.id } : {}),
    ...(o.status ? { status: o.status } : {}),
    ...(o.startDays !== undefined ? { start: dateAgo(o.startDays), authoredOn: ago(o.startDays) } : {}),
    ...(o.endDays !== undefined ? { end: dateAgo(o.endDays) } : {}),
  });
}

/** The order being selected/signed (status draft) with a fixed id so suggestions can point at it. */
export const draft = (id: string, product: Product, dosage: Dosage): MedicationRequest => draftOrder({ id, ...product, dosages: [dosage] });

const snomed =
  (code: string, display: string) =>
  (onsetDays: number, clinicalStatus = "active"): Condition =>
    condition({ code, display, onset: dateAgo(onsetDays), recorded: dateAgo(onsetDays), clinicalStatus });
const icd =
  (code: string, display: string) =>
  (onsetDays: number, clinicalStatus = "active"): Condition =>
    condition({ system: "icd10cm", code, display, onset: dateAgo(onsetDays), recorded: dateAgo(onsetDays), clinicalStatus });

/** Problem-list conditions (docs/clinical-logic.md §13), onset/recorded `onsetDays` ago. */
export const cond = {
  cramp: snomed("55300003", "Cramp"),
  sleepLegCramps: icd("G47.62", "Sleep related leg cramps"),
  calfSpasm: icd("M62.831", "Muscle spasm of calf"),
  hypercalcemia: snomed("66931009", "Hypercalcemia"),
  hypercalcemiaIcd: icd("E83.52", "Hypercalcemia"),
  bariatric: icd("Z98.84", "Bariatric surgery status"),
  ckd4: icd("N18.4", "Chronic kidney disease, stage 4 (severe)"),
  dialysisZ99: icd("Z99.2", "Dependence on renal dialysis"),
  dialysisEncounter: icd("Z49.31", "Encounter for adequacy testing for hemodialysis"),
  dialysisDependence: snomed("105502003", "Dependence on renal dialysis"),
  esrdOnDialysis: snomed("236435004", "End stage renal failure on dialysis"),
  ckd5OnDialysis: snomed("714152005", "Chronic kidney disease stage 5 on dialysis"),
};

/** Grace Okafor, 58 years old at TEST_NOW. */
export const ADULT: Patient = patient();
/** An adult of `years` completed years at TEST_NOW (born a month earlier, so the age at a recent draw is the same). */
export function adult(years: number, gender: NonNullable<Patient["gender"]>, given = "Ruth"): Patient {
  const birth = new Date(TEST_NOW);
  birth.setUTCFullYear(birth.getUTCFullYear() - years);
  birth.setUTCMonth(birth.getUTCMonth() - 1);
  return { ...patient({ birthDate: birth.toISOString().slice(0, 10), given }), gender };
}
/** A child born `months` months before TEST_NOW (a few days more, so the age in completed months is exact). */
export function child(months: number, given = "Ada"): Patient {
  const birth = new Date(TEST_NOW);
  birth.setUTCMonth(birth.getUTCMonth() - months);
  birth.setUTCDate(birth.getUTCDate() - 5);
  return patient({ birthDate: birth.toISOString().slice(0, 10), given });
}
