/**
 * Modifiers (docs/clinical-logic.md §2, §3, §10, §12): documented cramps, Mg-loss risks, calcium-raising co-factors,
 * renal impairment, digoxin and the age-specific dose limits. Which medication classes and
 * conditions belong to which group is configuration (`modifiers.*`), not code.
 */
import type { ClinicalConfig } from "../config/clinical-config";
import type { ConditionFact, ConditionKind, Facts, MedicationClass, RelatedMedication } from "../fhir/facts";
import { computedEgfrRow, computeEgfr, type ComputedEgfr, type EgfrNotComputed } from "./egfr";
import { datedLabs, evidenceRow, newestCurrent, type DatedLab } from "./labs";
import { isBelow } from "./interval";
import { ageInMonths, daysBetween, toMs, withinDays } from "./time";
import type { DoseThreshold, EvidenceRow, Modifier, ModifierKind, PediatricLimits } from "./types";

export interface DoseLimits {
  /** Repletion "high-dose": daily intake above this (the age's upper intake level). */
  highDoseAboveIu: number;
  /** Toxic daily intake, with its comparator (≥ 10,000 for adults; > the treatment maximum below 13 years). */
  toxic: DoseThreshold;
  /** Children's single-dose maximum: a one-time dose above it is a warning, instead of the adult bolus rows. */
  singleDoseAboveIu?: number;
  pediatric?: PediatricLimits;
  ageUnknown: boolean;
}

/** Whether a daily intake reaches the threshold, with the threshold's own comparator. */
export const meetsThreshold = (iu: number, t: DoseThreshold): boolean => (t.inclusive ? iu >= t.iu : iu > t.iu);

export function doseLimits(facts: Facts, config: ClinicalConfig, nowMs: number): DoseLimits {
  const adult = { highDoseAboveIu: config.dose.highDoseAboveIuPerDay, toxic: { iu: config.dose.toxicAtLeastIuPerDay, inclusive: true } };
  const months = ageInMonths(facts.patient.birthDate, nowMs);
  if (months === undefined) return { ...adult, ageUnknown: true };
  if (months >= config.pediatric.adultAgeYears * 12) return { ...adult, ageUnknown: false };
  const band = config.pediatric.bands.find((b) => months < b.belowAgeMonths);
  if (!band) return { ...adult, ageUnknown: false };
  // The schema guarantees exactly one of the two toxic fields.
  const toxic: DoseThreshold =
    band.toxicAboveIuPerDay !== undefined
      ? { iu: band.toxicAboveIuPerDay, inclusive: false }
      : { iu: band.toxicAtLeastIuPerDay ?? adult.toxic.iu, inclusive: true };
  const single = band.singleDoseAboveIu !== undefined ? { singleDoseAboveIu: band.singleDoseAboveIu } : {};
  return {
    highDoseAboveIu: band.highDoseAboveIuPerDay,
    toxic,
    ...single,
    pediatric: {
      band: band.label,
      highDoseAboveIuPerDay: band.highDoseAboveIuPerDay,
      toxicIuPerDay: toxic.iu,
      toxicInclusive: toxic.inclusive,
      ...single,
    },
    ageUnknown: false,
  };
}

export function activeMeds(facts: Facts, classes: readonly MedicationClass[]): RelatedMedication[] {
  return facts.otherMedications.filter((m) => m.status === "active" && m.classes.some((c) => classes.includes(c)));
}

export function conditionsOf(facts: Facts, kinds: readonly ConditionKind[]): ConditionFact[] {
  return facts.conditions.filter((c) => kinds.includes(c.kind));
}

export function medModifier(kind: ModifierKind, m: RelatedMedication, classes: readonly MedicationClass[]): Modifier {
  return { kind, label: m.name, id: m.id, classes: m.classes.filter((c) => classes.includes(c)) };
}

export function conditionModifier(kind: ModifierKind, c: ConditionFact): Modifier {
  return c.date
    ? { kind, label: c.display, id: c.id, date: c.date, classes: [c.kind] }
    : { kind, label: c.display, id: c.id, classes: [c.kind] };
}

/** Cramps count as a trigger when recorded within the window or on/after the regimen start; older entries are evidence only. */
export function splitCramps(
  facts: Facts,
  config: ClinicalConfig,
  nowMs: number,
  regimenStartMs: number | undefined,
): { recent: ConditionFact[]; old: ConditionFact[] } {
  const recent: ConditionFact[] = [];
  const old: ConditionFact[] = [];
  for (const c of conditionsOf(facts, ["cramps"])) {
    const ms = toMs(c.date);
    const counts =
      ms !== undefined &&
      (withinDays(ms, nowMs, config.windows.crampsRecentDays) || (regimenStartMs !== undefined && ms >= regimenStartMs));
    (counts ? recent : old).push(c);
  }
  return { recent, old };
}

export interface RenalStatus {
  /** eGFR < `renal.egfrSevereBelow` (reported, or computed when none is current), CKD 4–5, kidney failure or dialysis. */
  severe: boolean;
  /** The latest current reported eGFR. */
  egfr?: DatedLab;
  /** CKD-EPI 2021 from the latest current creatinine, when no eGFR is current (§10). */
  computed?: ComputedEgfr;
  /** A current creatinine but no eGFR, and the equation could not be applied (child, no birth date, sex not male/female). */
  notComputed?: EgfrNotComputed;
  modifiers: Modifier[];
}

/**
 * eGFR below the threshold (latest current reported eGFR, else CKD-EPI 2021 computed from the latest current
 * creatinine) or a `ckd-stage-4-5` condition (CKD 4–5, kidney failure, dialysis: they count as eGFR < 15).
 */
export function renalStatus(facts: Facts, config: ClinicalConfig, nowMs: number): RenalStatus {
  const egfr = newestCurrent(datedLabs(facts, ["egfr"]), nowMs, config.windows.labCurrentDays);
  const estimate = egfr ? undefined : computeEgfr(facts, datedLabs(facts, ["creatinine"]), config, nowMs);
  const computed = estimate?.status === "computed" ? estimate : undefined;
  const lowEgfr = egfr !== undefined && isBelow(egfr.iv, config.renal.egfrSevereBelow);
  const lowComputed = computed !== undefined && isBelow(computed.iv, config.renal.egfrSevereBelow);
  const ckd = conditionsOf(facts, ["ckd-stage-4-5"]);
  const modifiers: Modifier[] = ckd.map((c) => conditionModifier("renal-impairment", c));
  if (egfr && lowEgfr)
    modifiers.unshift({
      kind: "renal-impairment",
      label: `eGFR ${egfr.lab.original.value} ${egfr.lab.original.unit}`,
      id: egfr.lab.id,
      date: egfr.lab.date,
    });
  if (computed && lowComputed) {
    const cr = computed.creatinine.lab;
    modifiers.unshift({ kind: "renal-impairment-computed", label: `${cr.original.value} ${cr.original.unit}`, id: cr.id, date: cr.date });
  }
  return {
    severe: lowEgfr || lowComputed || ckd.length > 0,
    ...(egfr ? { egfr } : {}),
    ...(computed ? { computed } : {}),
    ...(estimate?.status === "not-computed" ? { notComputed: estimate } : {}),
    modifiers,
  };
}

/** Evidence rows of the renal status: the reported or computed eGFR; `trigger` when a renal row fired on it. */
export function renalEvidence(renal: RenalStatus, patientId: string, config: ClinicalConfig, trigger: boolean): EvidenceRow[] {
  const below = (iv: DatedLab["iv"]) => trigger && isBelow(iv, config.renal.egfrSevereBelow);
  if (renal.egfr) return [evidenceRow("egfr", renal.egfr, below(renal.egfr.iv))];
  if (renal.computed) return [computedEgfrRow(renal.computed, patientId, below(renal.computed.iv))];
  return [];
}

export interface MgLossMedications {
  /** Active medications that count as a Mg-loss risk now. */
  risk: RelatedMedication[];
  /** Active PPIs not yet taken for `modifiers.ppiMinDays` (shown, not counted), with the start of PPI use. */
  shortTermPpis: { med: RelatedMedication; since: string }[];
}

/**
 * Active medications of `modifiers.mgLossMedicationClasses`. A PPI counts only after `modifiers.ppiMinDays` of
 * use (FDA 2011: PPI hypomagnesemia usually after more than a year) or when an active PPI's start is unknown.
 * PPI use is counted from the earliest start of any PPI record (active or stopped), so a renewal or a switch
 * to another PPI does not restart it. Other classes count from their start (unchanged).
 */
export function mgLossMedications(facts: Facts, config: ClinicalConfig, nowMs: number): MgLossMedications {
  const classes = config.modifiers.mgLossMedicationClasses;
  const active = activeMeds(facts, classes);
  const isPpi = (m: RelatedMedication) => m.classes.includes("proton-pump-inhibitor");
  const ppiRecords = facts.otherMedications.filter(isPpi);
  const unknownStart = ppiRecords.some((m) => m.status === "active" && toMs(m.start) === undefined);
  const starts = ppiRecords.map((m) => toMs(m.start)).filter((ms): ms is number => ms !== undefined);
  const sinceMs = starts.length > 0 ? Math.min(...starts) : undefined;
  const longTerm = unknownStart || (sinceMs !== undefined && daysBetween(sinceMs, nowMs) >= config.modifiers.ppiMinDays);
  const risk: RelatedMedication[] = [];
  const shortTermPpis: MgLossMedications["shortTermPpis"] = [];
  for (const m of active) {
    const otherRisk = m.classes.some((c) => c !== "proton-pump-inhibitor" && classes.includes(c));
    if (!isPpi(m) || otherRisk || longTerm) risk.push(m);
    else shortTermPpis.push({ med: m, since: new Date(sinceMs ?? nowMs).toISOString() });
  }
  return { risk, shortTermPpis };
}

export function digoxin(facts: Facts): RelatedMedication | undefined {
  return activeMeds(facts, ["digoxin"])[0];
}
