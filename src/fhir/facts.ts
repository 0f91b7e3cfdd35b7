/**
 * Facts: the typed, unit-normalized view of a patient that the rules consume.
 * Built once, in `src/fhir/normalize/`, from FHIR R4 resources. Nothing outside
 * `src/fhir/` knows FHIR resource shapes; the rules and the renderer see only these types.
 */

export interface CodeRef {
  system: string;
  code: string;
  display?: string;
}

/** Which clinical quantity a lab result measures (code sets map LOINC → kind). */
export type LabKind =
  | "vitd-total" // 62292-8, 68438-1
  | "vitd-d3" // 1989-3, 14635-7
  | "vitd-d2-or-unspecified" // 49054-0
  | "vitd-metabolites" // 35365-6 (last fallback)
  | "calcium-total"
  | "calcium-ionized"
  | "calcium-corrected" // lab-reported albumin-corrected calcium
  | "magnesium"
  | "albumin"
  | "creatinine"
  | "egfr"
  | "pth" // evidence only
  | "phosphate" // evidence only
  | "potassium"; // evidence only

export type Comparator = "<" | "<=" | ">" | ">=";

export interface LabResult {
  /** Relative reference, e.g. "Observation/123". */
  id: string;
  kind: LabKind;
  code: CodeRef;
  /** ISO 8601 date-time of effective[x] (or issued). */
  date: string;
  /** Value in the canonical unit of its kind. */
  value: number;
  comparator?: Comparator;
  /** Canonical unit: ng/mL (25(OH)D), mg/dL (total/corrected Ca, Mg, creatinine), mmol/L (ionized Ca), g/dL (albumin), mL/min/1.73m2 (eGFR); evidence-only kinds keep the reported unit. */
  unit: string;
  /** As reported, for the evidence table, e.g. { value: "<5", unit: "ng/mL" }. */
  original: { value: string; unit: string };
  /** Lab-supplied reference range, converted to the canonical unit where possible. */
  referenceRange?: { low?: number; high?: number; text?: string };
  /** Lab-supplied abnormal flag code, e.g. "H", "L", "HH". */
  interpretation?: string;
}

/** An observation of a relevant code that could not be used, and why (shown in card evidence). */
export interface IgnoredObservation {
  id: string;
  kind: LabKind;
  code: CodeRef;
  date?: string;
  /** e.g. "unknown unit 'IU/mL'", "no value". Status-filtered results (preliminary, entered-in-error) are dropped silently. */
  reason: string;
}

/** A search whose `next` pages went beyond the page limit: only `pages` pages were read. */
export interface TruncatedSearch {
  /** The prefetch/query key, e.g. "medicationRequests". */
  query: string;
  pages: number;
}

/** A resource that could not be read (wrong field types) and was left out; listed under "Data not used". */
export interface NotUsedResource {
  /** "Condition/c1", or the type alone when it has no usable id. */
  ref: string;
  resourceType: string;
  reason: "malformed";
  /** The first bad field and what was wrong with it, e.g. "clinicalStatus: expected object, received number" (never values). */
  detail: string;
}

export type VitaminDIngredient =
  | "cholecalciferol"
  | "ergocalciferol"
  | "calcifediol"
  | "calcitriol"
  | "alfacalcidol"
  | "paricalcitol"
  | "doxercalciferol"
  | "dihydrotachysterol"
  | "vitamin-d-unspecified";

/** nutritional = D3/D2 (IU equivalent exists); calcifediol = mcg only; active = no IU equivalent, hypercalcemia risk at any dose. */
export type VitaminDClass = "nutritional" | "calcifediol" | "active";

export interface VitaminDProduct {
  /** Relative reference, e.g. "MedicationStatement/7" or "MedicationRequest/draft-1". */
  id: string;
  source: "statement" | "request" | "draft-order";
  ingredient: VitaminDIngredient;
  productClass: VitaminDClass;
  /** Display name of the product, e.g. "cholecalciferol 1.25 MG Oral Capsule". */
  name: string;
  /** active = taking / ordered (active, intended, on-hold, draft); stopped = completed or stopped. Not-taken and entered-in-error are dropped. */
  status: "active" | "stopped";
  /** Nutritional vitamin D: daily-equivalent IU of a repeating regimen. null = unknown, not applicable (calcifediol/active) or a one-time bolus. */
  dailyIU: number | null;
  /** Calcifediol and active vitamin D: mcg per day. null otherwise or unknown. */
  dailyMcg: number | null;
  /** One-time dose (no repeat), in IU; never spread into dailyIU. */
  bolusIU?: number;
  /** Human-readable dose as understood, e.g. "50,000 IU once weekly (7,143 IU/day)"; "dose unknown" when unparseable. */
  doseText: string;
  /** True when the dose could not be determined (the card must say "dose unknown"). */
  doseUnknown: boolean;
  /** Nutritional vitamin D whose amount was written in mcg or mg: an implausible dose may be a unit error (mcg vs IU). */
  doseWrittenInMcg?: true;
  /** ISO date or date-time the product started (draft orders: undefined = starts now). */
  start?: string;
  /**
   * Only when `start` is unknown: the statement was recorded (MedicationStatement.dateAsserted) on
   * this date, so the product has been taken since at least then. Not a start: it never makes a
   * start "recent"; the card shows "taking since at least DATE".
   */
  takingSinceAtLeast?: string;
  /** ISO date or date-time it stopped (stopped/completed only). */
  end?: string;
  /** order-select: true if this draft is one of context.selections. */
  selected?: boolean;
}

/** Non-vitamin-D medication classes that modify the patterns (docs/clinical-logic.md §13). */
export type MedicationClass =
  | "proton-pump-inhibitor"
  | "loop-diuretic"
  | "thiazide"
  | "aminoglycoside"
  | "amphotericin-b"
  | "cisplatin"
  | "calcineurin-inhibitor"
  | "egfr-antibody"
  | "pentamidine"
  | "foscarnet"
  | "calcium-supplement"
  | "lithium"
  | "pth-analog" // teriparatide, abaloparatide
  | "digoxin"
  | "magnesium-supplement";

export interface RelatedMedication {
  id: string;
  name: string;
  classes: MedicationClass[];
  status: "active" | "stopped";
  start?: string;
  end?: string;
}

export type ConditionKind =
  | "cramps"
  | "hypomagnesemia"
  | "hypercalcemia"
  | "alcohol-use-disorder"
  | "malabsorption"
  | "bariatric-surgery"
  | "granulomatous-disease"
  | "primary-hyperparathyroidism"
  | "ckd-stage-4-5";

export interface ConditionFact {
  id: string;
  kind: ConditionKind;
  code: CodeRef;
  display: string;
  /** onset[x] or recordedDate, ISO. */
  date?: string;
}

export interface PatientFacts {
  id: string;
  /** ISO date (YYYY-MM-DD) when known; the rules compute age from it and `now`. */
  birthDate?: string;
  /** Administrative sex (Patient.gender) when recorded; the CKD-EPI 2021 eGFR needs male or female. */
  gender?: "male" | "female" | "other" | "unknown";
  name?: string;
}

export interface Facts {
  patient: PatientFacts;
  /** Valid results (final/amended/corrected, known unit), newest first. */
  labs: LabResult[];
  ignoredObservations: IgnoredObservation[];
  /** Resources left out because they could not be read. */
  notUsed: NotUsedResource[];
  /** Searches cut short by the page limit (data may be missing): the query key and the pages read. */
  truncated: TruncatedSearch[];
  vitaminD: VitaminDProduct[];
  otherMedications: RelatedMedication[];
  conditions: ConditionFact[];
}
