/**
 * Small builder of Facts for rule tests: labs in canonical units (the original value/unit can
 * be given to mimic what the normalizer converted), vitamin D products, related medications,
 * conditions. Times are relative to NOW.
 */
import type {
  Comparator,
  ConditionFact,
  ConditionKind,
  Facts,
  LabKind,
  LabResult,
  MedicationClass,
  PatientFacts,
  RelatedMedication,
  VitaminDIngredient,
  VitaminDProduct,
} from "../../src/fhir/facts";

export const NOW = new Date("2025-06-15T12:00:00Z");
const DAY = 86_400_000;
export const ago = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();
/** Birth date for an age in years (and extra months) at NOW. */
export const bornYearsAgo = (years: number, months = 0) => {
  const d = new Date(NOW);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  d.setUTCMonth(d.getUTCMonth() - months);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
};

const LAB: Record<LabKind, { code: string; unit: string }> = {
  "vitd-total": { code: "62292-8", unit: "ng/mL" },
  "vitd-d3": { code: "1989-3", unit: "ng/mL" },
  "vitd-d2-or-unspecified": { code: "49054-0", unit: "ng/mL" },
  "vitd-metabolites": { code: "35365-6", unit: "ng/mL" },
  "calcium-total": { code: "17861-6", unit: "mg/dL" },
  "calcium-ionized": { code: "1994-3", unit: "mmol/L" },
  "calcium-corrected": { code: "29265-6", unit: "mg/dL" },
  magnesium: { code: "19123-9", unit: "mg/dL" },
  albumin: { code: "1751-7", unit: "g/dL" },
  creatinine: { code: "2160-0", unit: "mg/dL" },
  egfr: { code: "98979-8", unit: "mL/min/1.73m2" },
  pth: { code: "2731-8", unit: "pg/mL" },
  phosphate: { code: "2777-1", unit: "mg/dL" },
  potassium: { code: "2823-3", unit: "mmol/L" },
};

let seq = 0;
const nextId = (prefix: string) => `${prefix}/${++seq}`;

export interface LabOptions {
  comparator?: Comparator;
  original?: { value: string; unit: string };
  referenceRange?: { low?: number; high?: number };
  /** Lab-supplied interpretation code, e.g. "N", "L". */
  interpretation?: string;
  id?: string;
}

export function lab(kind: LabKind, value: number, daysAgo: number, o: LabOptions = {}): LabResult {
  const { code, unit } = LAB[kind];
  const result: LabResult = {
    id: o.id ?? nextId("Observation"),
    kind,
    code: { system: "http://loinc.org", code },
    date: ago(daysAgo),
    value,
    unit,
    original: o.original ?? { value: `${o.comparator ?? ""}${value}`, unit },
  };
  if (o.comparator) result.comparator = o.comparator;
  if (o.referenceRange) result.referenceRange = o.referenceRange;
  if (o.interpretation) result.interpretation = o.interpretation;
  return result;
}

export const mg = (v: number, d: number, o?: LabOptions) => lab("magnesium", v, d, o);
export const ca = (v: number, d: number, o?: LabOptions) => lab("calcium-total", v, d, o);
export const ionCa = (v: number, d: number, o?: LabOptions) => lab("calcium-ionized", v, d, o);
export const corrCa = (v: number, d: number, o?: LabOptions) => lab("calcium-corrected", v, d, o);
export const alb = (v: number, d: number) => lab("albumin", v, d);
export const vitd = (v: number, d: number, o?: LabOptions) => lab("vitd-total", v, d, o);
export const d3lab = (v: number, d: number, o?: LabOptions) => lab("vitd-d3", v, d, o);
export const d2lab = (v: number, d: number, o?: LabOptions) => lab("vitd-d2-or-unspecified", v, d, o);
export const egfr = (v: number, d: number, o?: LabOptions) => lab("egfr", v, d, o);
export const creat = (v: number, d: number, o?: LabOptions) => lab("creatinine", v, d, o);

export interface ProductOptions {
  ingredient?: VitaminDIngredient;
  dailyIU?: number | null;
  weeklyIU?: number;
  dailyMcg?: number;
  bolusIU?: number;
  /** Days ago it started; undefined = unknown (drafts: starts now). */
  startAgo?: number;
  stoppedAgo?: number;
  source?: VitaminDProduct["source"];
  doseUnknown?: boolean;
  /** The dose was written in mcg/mg (a unit error is possible). */
  doseWrittenInMcg?: true;
  id?: string;
}

const CLASS_OF: Record<VitaminDIngredient, VitaminDProduct["productClass"]> = {
  cholecalciferol: "nutritional",
  ergocalciferol: "nutritional",
  "vitamin-d-unspecified": "nutritional",
  calcifediol: "calcifediol",
  calcitriol: "active",
  alfacalcidol: "active",
  paricalcitol: "active",
  doxercalciferol: "active",
  dihydrotachysterol: "active",
};

export function product(o: ProductOptions): VitaminDProduct {
  const ingredient = o.ingredient ?? "cholecalciferol";
  const productClass = CLASS_OF[ingredient];
  const source = o.source ?? "statement";
  const daily = o.weeklyIU !== undefined ? o.weeklyIU / 7 : (o.dailyIU ?? null);
  const doseUnknown = o.doseUnknown ?? false;
  const p: VitaminDProduct = {
    id: o.id ?? nextId(source === "statement" ? "MedicationStatement" : "MedicationRequest"),
    source,
    ingredient,
    productClass,
    name: `${ingredient} product`,
    status: o.stoppedAgo !== undefined ? "stopped" : "active",
    dailyIU: productClass === "nutritional" && !doseUnknown && o.bolusIU === undefined ? daily : null,
    dailyMcg: productClass !== "nutritional" && !doseUnknown ? (o.dailyMcg ?? null) : null,
    doseText: doseUnknown ? "dose unknown" : o.bolusIU !== undefined ? `${o.bolusIU} IU once` : `${daily ?? o.dailyMcg} per day`,
    doseUnknown,
  };
  if (o.bolusIU !== undefined) p.bolusIU = o.bolusIU;
  if (o.doseWrittenInMcg) p.doseWrittenInMcg = true;
  if (o.startAgo !== undefined) p.start = ago(o.startAgo);
  if (o.stoppedAgo !== undefined) p.end = ago(o.stoppedAgo);
  return p;
}

/** A draft order of the hook (order-select/order-sign); starts now. */
export const draft = (o: ProductOptions) => product({ ...o, source: "draft-order", id: o.id ?? nextId("MedicationRequest") });

/** A related medication; `startAgo` = days since it started (undefined = start unknown). */
export function med(
  classes: MedicationClass[],
  name: string,
  status: RelatedMedication["status"] = "active",
  startAgo?: number,
): RelatedMedication {
  const m: RelatedMedication = { id: nextId("MedicationStatement"), name, classes, status };
  if (startAgo !== undefined) m.start = ago(startAgo);
  return m;
}

export function condition(kind: ConditionKind, daysAgo?: number, display: string = kind): ConditionFact {
  const c: ConditionFact = { id: nextId("Condition"), kind, code: { system: "http://snomed.info/sct", code: "0" }, display };
  if (daysAgo !== undefined) c.date = ago(daysAgo);
  return c;
}

export interface FactsInput {
  labs?: LabResult[];
  vitaminD?: VitaminDProduct[];
  meds?: RelatedMedication[];
  conditions?: ConditionFact[];
  birthDate?: string | null;
  /** Patient.gender; undefined = not recorded. */
  gender?: PatientFacts["gender"];
  ignored?: Facts["ignoredObservations"];
  patientId?: string;
}

export function facts(i: FactsInput = {}): Facts {
  const birthDate = i.birthDate === undefined ? "1970-03-01" : i.birthDate;
  return {
    patient: { id: i.patientId ?? "p1", ...(birthDate ? { birthDate } : {}), ...(i.gender ? { gender: i.gender } : {}) },
    labs: [...(i.labs ?? [])].sort((a, b) => Date.parse(b.date) - Date.parse(a.date)),
    ignoredObservations: i.ignored ?? [],
    notUsed: [],
    truncated: [],
    vitaminD: i.vitaminD ?? [],
    otherMedications: i.meds ?? [],
    conditions: i.conditions ?? [],
  };
}
