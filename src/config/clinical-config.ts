/**
 * Clinical configuration: every threshold, window, pediatric band, factor and order code the
 * rules use (docs/clinical-logic.md). Defaults live in `clinical-defaults.json`; an operator
 * overrides any subset through `CDS_THRESHOLDS` (see mergeClinicalConfig). Sources of each
 * default: docs/clinical-logic.md.
 */
import { z } from "zod";
import type { ConditionKind, MedicationClass } from "../fhir/facts";
import defaultsJson from "./clinical-defaults.json";

const MEDICATION_CLASSES = [
  "proton-pump-inhibitor",
  "loop-diuretic",
  "thiazide",
  "aminoglycoside",
  "amphotericin-b",
  "cisplatin",
  "calcineurin-inhibitor",
  "egfr-antibody",
  "pentamidine",
  "foscarnet",
  "calcium-supplement",
  "lithium",
  "pth-analog",
  "digoxin",
  "magnesium-supplement",
] as const satisfies readonly MedicationClass[];

const CONDITION_KINDS = [
  "cramps",
  "hypomagnesemia",
  "hypercalcemia",
  "alcohol-use-disorder",
  "malabsorption",
  "bariatric-surgery",
  "granulomatous-disease",
  "primary-hyperparathyroidism",
  "ckd-stage-4-5",
] as const satisfies readonly ConditionKind[];

const positive = z.number().finite().positive();
const days = z.number().int().nonnegative();
const medClasses = z.array(z.enum(MEDICATION_CLASSES));
const conditionKinds = z.array(z.enum(CONDITION_KINDS));
const coding = z.strictObject({ system: z.string().min(1), code: z.string().min(1), display: z.string().min(1) });

const pediatricBand = z.strictObject({
  label: z.string().min(1),
  /** The band covers ages below this many months (and at or above the previous band's limit). */
  belowAgeMonths: z.number().int().positive(),
  /** "High-dose" for the repletion pattern: above the age's tolerable upper intake level. */
  highDoseAboveIuPerDay: positive,
  /** Toxic daily intake, with the comparator the rule applies: exactly one of the two. */
  toxicAtLeastIuPerDay: positive.exactOptional(),
  toxicAboveIuPerDay: positive.exactOptional(),
  /** A one-time dose above this is a toxicity warning (replaces the adult bolus rows); absent: the adult rows apply. */
  singleDoseAboveIu: positive.exactOptional(),
});

const schemaObject = z.strictObject({
  vitaminD: z.strictObject({
    deficientBelowNgMl: positive,
    severeDeficientBelowNgMl: positive,
    highAboveNgMl: positive,
    toxicAboveNgMl: positive,
  }),
  calcium: z.strictObject({
    highAboveMgDl: positive,
    moderateAtLeastMgDl: positive,
    severeAtLeastMgDl: positive,
    lowBelowMgDl: positive,
    ionizedHighAboveMmolL: positive,
    ionizedModerateAtLeastMmolL: positive,
    ionizedLowBelowMmolL: positive,
    albuminLowBelowGdl: positive,
    correction: z.strictObject({ factor: positive, referenceAlbuminGdl: positive, albuminWithinDays: days }),
  }),
  magnesium: z.strictObject({
    lowBelowMgDl: positive,
    severeBelowMgDl: positive,
    baselineWithinDaysBeforeStart: days,
  }),
  renal: z.strictObject({
    egfrSevereBelow: positive,
    /** No current eGFR: compute CKD-EPI 2021 from the latest current creatinine, age and sex (docs/clinical-logic.md §10). */
    computeEgfrFromCreatinine: z.boolean(),
    /** CKD-EPI 2021 is an adult equation: no computed eGFR below this age (at the creatinine draw). */
    computedEgfrMinAgeYears: positive,
  }),
  dose: z.strictObject({
    highDoseAboveIuPerDay: positive,
    toxicAtLeastIuPerDay: positive,
    calcifediolHighDoseAtLeastMcgPerDay: positive,
    bolusInfoAboveIu: positive,
    bolusWarningAtLeastIu: positive,
    /** A daily equivalent at or above this (1 mg/day) is implausible: at least a warning, "check the unit" when written in mcg/mg. */
    implausibleAtLeastIuPerDay: positive,
    /** Known primary hyperparathyroidism: Ca high (< moderate) on at most this intake is info, not warning (repletion with monitoring is supported). */
    phptRepletionMaxIuPerDay: positive,
    sameDoseToleranceIuPerDay: z.number().finite().nonnegative(),
  }),
  windows: z.strictObject({
    labCurrentDays: days,
    vitaminDCurrentDays: days,
    deficiencyLookbackDays: days,
    contemporaneousCalciumDays: days,
    recentStartDays: days,
    prolongedDays: days,
    continuationMinDays: days,
    stoppedWithinDays: days,
    crampsRecentDays: days,
    bolusRecentDays: days,
  }),
  pediatric: z.strictObject({ adultAgeYears: positive, bands: z.array(pediatricBand) }),
  modifiers: z.strictObject({
    digoxinRaisesLevel: z.boolean(),
    /** A PPI is a Mg-loss risk only after this many days of use (or with an unknown start); FDA 2011: usually after > 1 year. */
    ppiMinDays: days,
    mgLossMedicationClasses: medClasses,
    mgLossConditions: conditionKinds,
    calciumRaisingMedicationClasses: medClasses,
    stoppableCoFactorClasses: medClasses,
    calciumRaisingConditions: conditionKinds,
    hypercalcemiaCauseConditions: conditionKinds,
  }),
  /** A Mg or Ca value abnormal by the default threshold but normal by the lab's own range (or N flag): its row one level lower (critical stays). */
  labs: z.strictObject({ respectLabReferenceRange: z.boolean() }),
  /** Retired (superseded by labs.respectLabReferenceRange): refused with a message naming the replacement. */
  labReferenceRanges: z
    .undefined({ error: "retired: replaced by labs.respectLabReferenceRange (docs/clinical-logic.md §10); remove labReferenceRanges" })
    .optional(),
  orders: z.strictObject({
    magnesium: coding,
    calcium: coding,
    calciumIonized: coding,
    vitaminD: coding,
    pth: coding,
    calcitriol: coding,
    creatinine: coding,
    phosphate: coding,
    potassium: coding,
    albumin: coding,
  }),
  magnesiumSupplement: z.strictObject({
    text: z.string().min(1),
    dosageText: z.string().min(1),
    coding: coding.exactOptional(),
  }),
});

type Shape = z.output<typeof schemaObject>;

/** Relations between fields that a single field's type cannot express. */
function checkOrdering(c: Shape, ctx: z.RefinementCtx): void {
  const rules: [boolean, (string | number)[], string][] = [
    [
      c.vitaminD.severeDeficientBelowNgMl < c.vitaminD.deficientBelowNgMl,
      ["vitaminD", "severeDeficientBelowNgMl"],
      "must be below deficientBelowNgMl",
    ],
    [c.vitaminD.highAboveNgMl < c.vitaminD.toxicAboveNgMl, ["vitaminD", "highAboveNgMl"], "must be below toxicAboveNgMl"],
    [c.calcium.highAboveMgDl < c.calcium.moderateAtLeastMgDl, ["calcium", "highAboveMgDl"], "must be below moderateAtLeastMgDl"],
    [c.calcium.moderateAtLeastMgDl <= c.calcium.severeAtLeastMgDl, ["calcium", "moderateAtLeastMgDl"], "must not exceed severeAtLeastMgDl"],
    [c.calcium.lowBelowMgDl < c.calcium.highAboveMgDl, ["calcium", "lowBelowMgDl"], "must be below highAboveMgDl"],
    [
      c.calcium.ionizedLowBelowMmolL < c.calcium.ionizedHighAboveMmolL,
      ["calcium", "ionizedLowBelowMmolL"],
      "must be below ionizedHighAboveMmolL",
    ],
    [
      c.calcium.ionizedHighAboveMmolL < c.calcium.ionizedModerateAtLeastMmolL,
      ["calcium", "ionizedHighAboveMmolL"],
      "must be below ionizedModerateAtLeastMmolL",
    ],
    [c.magnesium.severeBelowMgDl < c.magnesium.lowBelowMgDl, ["magnesium", "severeBelowMgDl"], "must be below lowBelowMgDl"],
    [c.dose.highDoseAboveIuPerDay < c.dose.toxicAtLeastIuPerDay, ["dose", "highDoseAboveIuPerDay"], "must be below toxicAtLeastIuPerDay"],
    [c.dose.bolusInfoAboveIu < c.dose.bolusWarningAtLeastIu, ["dose", "bolusInfoAboveIu"], "must be below bolusWarningAtLeastIu"],
  ];
  for (const [ok, path, message] of rules) if (!ok) ctx.addIssue({ code: "custom", path, message });
  c.pediatric.bands.forEach((band, i) => {
    const prev = c.pediatric.bands[i - 1];
    if (prev && band.belowAgeMonths <= prev.belowAgeMonths)
      ctx.addIssue({ code: "custom", path: ["pediatric", "bands", i, "belowAgeMonths"], message: "bands must be in ascending age order" });
    const toxic = band.toxicAtLeastIuPerDay ?? band.toxicAboveIuPerDay;
    if ((band.toxicAtLeastIuPerDay === undefined) === (band.toxicAboveIuPerDay === undefined))
      ctx.addIssue({
        code: "custom",
        path: ["pediatric", "bands", i],
        message: "give exactly one of toxicAtLeastIuPerDay and toxicAboveIuPerDay",
      });
    else if (toxic !== undefined && band.highDoseAboveIuPerDay >= toxic)
      ctx.addIssue({ code: "custom", path: ["pediatric", "bands", i, "highDoseAboveIuPerDay"], message: "must be below the toxic intake" });
  });
}

const refined = schemaObject.superRefine(checkOrdering);

export type ClinicalConfig = Shape;
export const clinicalConfigSchema: z.ZodType<ClinicalConfig> = refined;

function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join(".") || "(root)";
      const keys = issue.code === "unrecognized_keys" ? ` (${issue.keys.join(", ")})` : "";
      return `${path}: ${issue.message}${keys}`;
    })
    .join("; ");
}

function parseOrThrow(value: unknown, what: string): ClinicalConfig {
  const result = refined.safeParse(value);
  if (!result.success) throw new Error(`Invalid clinical configuration (${what}): ${formatIssues(result.error)}`);
  return result.data;
}

export const defaultClinicalConfig: ClinicalConfig = parseOrThrow(defaultsJson, "clinical-defaults.json");

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Objects merge key by key; arrays and scalars in the override replace the default. */
function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) out[key] = key in base ? deepMerge(base[key], value) : value;
  return out;
}

/**
 * Deep-merges a partial override (e.g. the parsed CDS_THRESHOLDS JSON) over the defaults and
 * validates the result. Throws an Error naming every bad field (unknown keys included).
 */
export function mergeClinicalConfig(override: unknown): ClinicalConfig {
  if (override === undefined || override === null) return defaultClinicalConfig;
  if (!isPlainObject(override)) throw new Error("Invalid clinical configuration (CDS_THRESHOLDS): (root): expected a JSON object");
  return parseOrThrow(deepMerge(defaultClinicalConfig, override), "CDS_THRESHOLDS");
}
