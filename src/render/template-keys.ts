/**
 * The keys and placeholders cards/common.json must provide. The `Exhaustive` checks make the
 * compiler fail when a rule type gains a member (an evidence role, a missing-data code…) that
 * has no wording yet.
 */
import type { VitaminDIngredient } from "../fhir/facts";
import type { EvidenceRole, MissingCode, ModifierKind, NoteCode, OrderableLab } from "../rules";

type Exhaustive<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : never;

export const ROLE_KEYS = [
  "magnesium", "calcium-total", "calcium-ionized", "calcium-corrected", "albumin", "vitamin-d", "vitamin-d-deficiency",
  "egfr", "egfr-computed", "creatinine", "pth", "phosphate", "potassium",
] as const satisfies readonly EvidenceRole[];
export const INGREDIENT_KEYS = [
  "cholecalciferol", "ergocalciferol", "calcifediol", "calcitriol", "alfacalcidol", "paricalcitol", "doxercalciferol",
  "dihydrotachysterol", "vitamin-d-unspecified",
] as const satisfies readonly VitaminDIngredient[];
export const LAB_KEYS = [
  "magnesium", "calcium", "calciumIonized", "vitaminD", "pth", "calcitriol", "creatinine", "phosphate", "potassium", "albumin",
] as const satisfies readonly OrderableLab[];
export const MISSING_KEYS = [
  "no-current-magnesium", "magnesium-not-reassuring", "no-current-calcium", "no-current-vitamin-d", "calcium-not-corrected",
  "dose-unknown", "start-unknown", "stop-date-unknown", "birthdate-unknown", "egfr-not-computed", "ignored-observation", "resource-not-used",
  "resources-not-used-more", "data-truncated",
] as const satisfies readonly MissingCode[];
export const NOTE_KEYS = [
  "d2-not-measured", "correct-magnesium-first", "high-only-after-correction",
  "renal-corrected-calcium-unreliable", "contemporaneous-calcium-normal", "stopped-or-reduced", "deficiency-documented",
  "renal-active-vitamin-d",
] as const satisfies readonly NoteCode[];
export const MODIFIER_KEYS = [
  "cramps", "cramps-old", "mg-loss-medication", "mg-loss-condition", "calcium-raising-medication", "calcium-raising-condition",
  "hypercalcemia-cause", "active-vitamin-d", "renal-impairment", "digoxin", "magnesium-supplement",
  "renal-impairment-computed", "ppi-short-term", "magnesium-within-lab-range", "calcium-within-lab-range",
] as const satisfies readonly ModifierKind[];

const exhaustive: [
  Exhaustive<EvidenceRole, (typeof ROLE_KEYS)[number]>,
  Exhaustive<VitaminDIngredient, (typeof INGREDIENT_KEYS)[number]>,
  Exhaustive<OrderableLab, (typeof LAB_KEYS)[number]>,
  Exhaustive<MissingCode, (typeof MISSING_KEYS)[number]>,
  Exhaustive<NoteCode, (typeof NOTE_KEYS)[number]>,
  Exhaustive<ModifierKind, (typeof MODIFIER_KEYS)[number]>,
] = [true, true, true, true, true, true];
void exhaustive; // a compile-time check only

const none: readonly string[] = [];
const n = ["n"] as const;

/** Allowed placeholders per key of each common section (the key set is the section's required keys). */
export const COMMON_PLACEHOLDERS = {
  phrases: {
    keyNumber: ["label", "value", "unit", "date"], whenAfterStart: ["duration"], whenBeforeStart: none, whenOrdering: none, whenOn: none,
    whenAfterStop: ["duration"], startedOrdering: none, startedRecent: ["duration"], startedOngoing: none, startedStopped: ["duration"], startedGiven: ["duration"],
    since: ["duration"], sinceUnknown: none, durationDays: n, durationDay: none, durationWeeks: n, durationMonths: n,
    dosePerDay: n, dosePerWeek: n, dosePerTwoWeeks: n, dosePerMonth: n, doseMcgPerDay: n, doseBolus: n, doseUnknown: none,
    drugDoseUnknown: ["name"], reasonCramps: none, reasonRisk: ["names"], reasonBoth: none, ordered: none,
    atLeast: n, above: n, atLeastWords: n, aboveWords: n,
  },
  detail: {
    evidenceHeading: none, tableHeader: none, ruleContext: none, correctedFormula: ["calcium", "factor", "reference", "albumin"],
    sumFormula: ["parts"], referenceRange: ["range"], productName: ["name", "status"], noDate: none, takingSinceAtLeast: ["date"],
    statusActive: none, statusDraft: none, statusStopped: ["duration"], statusStoppedUnknown: none, statusReplaced: none, startedLine: ["duration"],
    modifiersHeading: none, missingHeading: none, suggestedHeading: none, whyHeading: none, ruleTrigger: none,
  },
  missing: {
    "no-current-magnesium": ["days"], "magnesium-not-reassuring": ["days"], "no-current-calcium": ["days"], "no-current-vitamin-d": ["days"],
    "calcium-not-corrected": ["days"], "dose-unknown": ["product"], "start-unknown": ["product"], "stop-date-unknown": ["product"],
    "birthdate-unknown": none, "egfr-not-computed": ["creatinine", "date"], "ignored-observation": ["display", "code", "id", "reason"], "resource-not-used": ["ref", "detail"],
    "resources-not-used-more": n, "data-truncated": ["query", "pages"],
  } satisfies Record<MissingCode, readonly string[]>,
  flags: {
    pediatric: ["band", "highDose", "toxic", "singleDose"], pediatricSingleDose: n, doseUnknown: none, stopped: ["duration"], digoxinRaised: none, cappedAtWarning: none,
    continuation: none, renalSevere: none,
  },
  suggestions: {
    orderLabs: ["labs"], orderLab: ["display"], magnesiumSupplement: ["text"], magnesiumSupplementAction: ["text", "dosage"],
    deleteDraft: ["name"], deleteDraftAction: ["id"], updateDraft: ["name", "dose"], updateDraftAction: ["id", "dose"], reducedDosage: ["dose"],
  },
  textActions: {
    stopStatement: ["name"], stopOrder: ["name"], reduceOrder: ["name", "dose"], stopCoFactor: ["name"], othersExceedLimit: ["limit", "others"], magnesiumRenalCaution: none,
    continueVitaminD: none,
  },
} as const;
