/**
 * Modifiers (clinical-spec §2): documented cramps, Mg-loss risks, calcium-raising co-factors,
 * renal impairment, digoxin and the age-specific dose limits. Which medication classes and
 * conditions belong to which group is configuration (`modifiers.*`), not code.
 */
import type { ClinicalConfig } from "../config/clinical-config";
import type { ConditionFact, ConditionKind, Facts, MedicationClass, RelatedMedication } from "../fhir/facts";
import { datedLabs, newestCurrent, type DatedLab } from "./labs";
import { isBelow } from "./interval";
import { ageInMonths, toMs, withinDays } from "./time";
import type { Modifier, ModifierKind } from "./types";

export interface DoseLimits {
  highDoseAboveIu: number;
  toxicAtLeastIu: number;
  pediatric?: { band: string; highDoseAboveIuPerDay: number; toxicAtLeastIuPerDay: number };
  ageUnknown: boolean;
}

export function doseLimits(facts: Facts, config: ClinicalConfig, nowMs: number): DoseLimits {
  const adult = { highDoseAboveIu: config.dose.highDoseAboveIuPerDay, toxicAtLeastIu: config.dose.toxicAtLeastIuPerDay };
  const months = ageInMonths(facts.patient.birthDate, nowMs);
  if (months === undefined) return { ...adult, ageUnknown: true };
  if (months >= config.pediatric.adultAgeYears * 12) return { ...adult, ageUnknown: false };
  const band = config.pediatric.bands.find((b) => months < b.belowAgeMonths);
  if (!band) return { ...adult, ageUnknown: false };
  return {
    highDoseAboveIu: band.highDoseAboveIuPerDay,
    toxicAtLeastIu: band.toxicAtLeastIuPerDay,
    pediatric: { band: band.label, highDoseAboveIuPerDay: band.highDoseAboveIuPerDay, toxicAtLeastIuPerDay: band.toxicAtLeastIuPerDay },
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
  return c.date ? { kind, label: c.display, id: c.id, date: c.date, classes: [c.kind] } : { kind, label: c.display, id: c.id, classes: [c.kind] };
}

/** Cramps count as a trigger when recorded within the window or on/after the regimen start; older entries are evidence only. */
export function splitCramps(facts: Facts, config: ClinicalConfig, nowMs: number, regimenStartMs: number | undefined): { recent: ConditionFact[]; old: ConditionFact[] } {
  const recent: ConditionFact[] = [];
  const old: ConditionFact[] = [];
  for (const c of conditionsOf(facts, ["cramps"])) {
    const ms = toMs(c.date);
    const counts = ms !== undefined && (withinDays(ms, nowMs, config.windows.crampsRecentDays) || (regimenStartMs !== undefined && ms >= regimenStartMs));
    (counts ? recent : old).push(c);
  }
  return { recent, old };
}

export interface RenalStatus {
  severe: boolean;
  egfr?: DatedLab;
  modifiers: Modifier[];
}

/** eGFR below the threshold (latest current) or a CKD stage 4–5 condition. */
export function renalStatus(facts: Facts, config: ClinicalConfig, nowMs: number): RenalStatus {
  const egfr = newestCurrent(datedLabs(facts, ["egfr"]), nowMs, config.windows.labCurrentDays);
  const lowEgfr = egfr !== undefined && isBelow(egfr.iv, config.renal.egfrSevereBelow);
  const ckd = conditionsOf(facts, ["ckd-stage-4-5"]);
  const modifiers: Modifier[] = ckd.map((c) => conditionModifier("renal-impairment", c));
  if (egfr && lowEgfr) modifiers.unshift({ kind: "renal-impairment", label: `eGFR ${egfr.lab.original.value} ${egfr.lab.original.unit}`, id: egfr.lab.id, date: egfr.lab.date });
  return { severe: lowEgfr || ckd.length > 0, ...(egfr ? { egfr } : {}), modifiers };
}

export function digoxin(facts: Facts): RelatedMedication | undefined {
  return activeMeds(facts, ["digoxin"])[0];
}
