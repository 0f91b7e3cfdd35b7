/**
 * What the rules hand to the renderer: one Finding per pattern, carrying the numbers, the
 * evidence and the suggestion intents. No wording here — only codes and values; the card
 * text comes from cards/*.json.
 */
import type { RepletionRule } from "./repletion-cramp";
import type { ToxicityRule } from "./vitamin-d-toxicity";
import type { CodeRef, Comparator, ConditionKind, MedicationClass, VitaminDProduct } from "../fhir/facts";

export type Pattern = "repletion-cramp" | "vitamin-d-toxicity";
export type Indicator = "info" | "warning" | "critical";

export type EvidenceRole =
  | "magnesium"
  | "calcium-total"
  | "calcium-ionized"
  | "calcium-corrected"
  | "albumin"
  | "vitamin-d"
  | "vitamin-d-deficiency"
  | "egfr"
  /** eGFR computed (CKD-EPI 2021) from creatinine, age and sex when no eGFR is current; reported = the creatinine. */
  | "egfr-computed"
  | "creatinine"
  | "pth"
  | "phosphate"
  | "potassium";

/** How a derived value was computed (shown in the evidence table). */
export type Derivation =
  | { kind: "corrected-calcium"; calcium: number; albumin: number; factor: number; referenceAlbumin: number }
  | { kind: "vitamin-d-sum"; parts: { code: string; value: number; comparator?: Comparator }[] }
  | { kind: "ckd-epi-2021"; creatinine: number; creatinineComparator?: Comparator; ageYears: number; sex: "female" | "male" };

export interface EvidenceRow {
  role: EvidenceRole;
  /** Relative reference(s); derived rows join their sources with "+". */
  id: string;
  code?: CodeRef;
  date: string;
  original: { value: string; unit: string };
  converted: { value: number; unit: string; comparator?: Comparator };
  /** True when this value made the winning row fire. */
  trigger: boolean;
  derivation?: Derivation;
  referenceRange?: { low?: number; high?: number; text?: string };
  interpretation?: string;
}

/** The headline number of the summary. */
export interface KeyNumber {
  role: EvidenceRole;
  value: number;
  comparator?: Comparator;
  unit: string;
  date: string;
  /** Whole days from the regimen start to the draw (negative = drawn before the start). */
  daysAfterStart?: number;
  /** Whole days from the most recent stop to the draw, when vitamin D was stopped. */
  daysAfterStop?: number;
}

/** A vitamin D product as the finding reports it: the fact plus where it stands relative to now. */
export interface ProductSummary extends Omit<VitaminDProduct, "selected"> {
  startDaysAgo?: number;
  stoppedDaysAgo?: number;
  /** This product is in the current regimen (taking now or being ordered). */
  current: boolean;
}

export type RegimenPhase = "ordering" | "recent-start" | "ongoing" | "continuation" | "stopped" | "none";

export interface RegimenSummary {
  phase: RegimenPhase;
  products: ProductSummary[];
  /** Summed daily IU of the current nutritional products with a known dose (0 when none). */
  dailyIU: number;
  /** Summed mcg/day of calcifediol / active vitamin D in the current regimen. */
  dailyMcg: number;
  /** Days since the high-dose regimen started (0 = being ordered now). */
  startDaysAgo?: number;
  /** Days the intake has been at or above the toxic threshold. */
  toxicDays?: number;
  /** Days since the most recent stop, when the intake that matters was stopped. */
  stoppedDaysAgo?: number;
  /** Largest one-time bolus considered (IU). */
  bolusIU?: number;
}

export type MissingCode =
  | "no-current-magnesium"
  | "magnesium-not-reassuring"
  | "no-current-calcium"
  | "no-current-vitamin-d"
  | "calcium-not-corrected"
  | "dose-unknown"
  | "start-unknown"
  | "stop-date-unknown"
  | "birthdate-unknown"
  | "egfr-not-computed"
  | "ignored-observation"
  | "resource-not-used"
  | "resources-not-used-more"
  | "data-truncated";

export interface MissingNote {
  code: MissingCode;
  params?: Record<string, string | number>;
}

export type ModifierKind =
  | "cramps"
  | "cramps-old"
  | "mg-loss-medication"
  | "mg-loss-condition"
  | "calcium-raising-medication"
  | "calcium-raising-condition"
  | "hypercalcemia-cause"
  | "active-vitamin-d"
  | "renal-impairment"
  | "renal-impairment-computed"
  | "ppi-short-term"
  | "magnesium-within-lab-range"
  | "calcium-within-lab-range"
  | "digoxin"
  | "magnesium-supplement";

export interface Modifier {
  kind: ModifierKind;
  /** Display name from the record, e.g. "omeprazole 20 MG" or "Sarcoidosis". */
  label: string;
  id: string;
  date?: string;
  classes?: (MedicationClass | ConditionKind)[];
}

export type OrderableLab =
  "magnesium" | "calcium" | "calciumIonized" | "vitaminD" | "pth" | "calcitriol" | "creatinine" | "phosphate" | "potassium" | "albumin";

export type SuggestionIntent =
  | { kind: "order-labs"; labs: { key: OrderableLab; code: CodeRef }[] }
  | { kind: "magnesium-supplement"; text: string; dosageText: string; coding?: CodeRef }
  | { kind: "magnesium-renal-caution" }
  | { kind: "stop-vitamin-d"; productIds: string[] }
  | { kind: "reduce-vitamin-d"; productIds: string[]; targetDailyIU: number }
  /** Other vitamin D products alone reach the limit: reducing the draft would not bring the total down to it. */
  | { kind: "others-exceed-limit"; limitIU: number; othersIU: number }
  | { kind: "stop-co-factor"; medications: { id: string; name: string }[] }
  | { kind: "continue-vitamin-d" };

export type NoteCode =
  | "d2-not-measured"
  | "correct-magnesium-first"
  | "high-only-after-correction"
  | "renal-corrected-calcium-unreliable"
  | "contemporaneous-calcium-normal"
  | "stopped-or-reduced"
  | "deficiency-documented"
  | "renal-active-vitamin-d";

/** A daily-intake threshold with the comparator the rule applies: inclusive = "≥", else ">". */
export interface DoseThreshold {
  iu: number;
  inclusive: boolean;
}

/** The age band's limits, shown on the card when they replaced the adult ones. */
export interface PediatricLimits {
  band: string;
  highDoseAboveIuPerDay: number;
  toxicIuPerDay: number;
  toxicInclusive: boolean;
  singleDoseAboveIu?: number;
}

export interface FindingFlags {
  pediatric?: PediatricLimits;
  doseUnknown: boolean;
  stoppedDaysAgo?: number;
  digoxinRaised: boolean;
  cappedAtWarning: boolean;
  continuation: boolean;
  renalSevere: boolean;
  /** A calcium-containing product active when a high-calcium row fired (named in the summary, stopped or reduced first). */
  calciumProduct?: string;
}

/** Every rule id of both decision tables. */
export type RuleId = RepletionRule | ToxicityRule;

export interface Finding {
  pattern: Pattern;
  indicator: Indicator;
  /** Stable row id of the winning row, e.g. "toxicity.ca-high-with-high-intake". */
  rule: RuleId;
  /** Every row that matched, winner first. */
  matchedRules: RuleId[];
  patientId: string;
  key?: KeyNumber;
  regimen: RegimenSummary;
  /** The dose limits applied (age-specific for children). */
  limits: { highDoseAboveIuPerDay: number; toxicIuPerDay: number; toxicInclusive: boolean; implausibleAtLeastIuPerDay?: number };
  evidence: EvidenceRow[];
  missing: MissingNote[];
  modifiers: Modifier[];
  notes: NoteCode[];
  suggestions: SuggestionIntent[];
  flags: FindingFlags;
}
