/**
 * eGFR computed from creatinine when no eGFR is current (docs/clinical-logic.md §10): the race-free
 * CKD-EPI 2021 creatinine equation (Inker et al., NEJM 2021;385:1737–49; recommended by KDIGO 2024):
 *
 *   eGFR = 142 × min(Scr/κ, 1)^α × max(Scr/κ, 1)^−1.200 × 0.9938^age × 1.012 [if female]
 *   κ = 0.7 (female) / 0.9 (male), α = −0.241 (female) / −0.302 (male); Scr in mg/dL, eGFR in mL/min/1.73 m².
 *
 * The coefficients belong to the published equation, not to the site: they are constants here, while
 * whether to compute at all and from which age are configuration (`renal.*`).
 */
import type { ClinicalConfig } from "../config/clinical-config";
import type { Comparator, Facts } from "../fhir/facts";
import { intervalOf, type Interval } from "./interval";
import { newestCurrent, type DatedLab } from "./labs";
import { ageInMonths, dayKey } from "./time";
import type { EvidenceRow } from "./types";

export type EgfrSex = "female" | "male";

/** The unit computed values are reported in (the display unit of the eGFR lab kind). */
export const EGFR_UNIT = "mL/min/1.73m2";

const CKD_EPI_2021 = {
  scale: 142,
  kappa: { female: 0.7, male: 0.9 },
  alpha: { female: -0.241, male: -0.302 },
  aboveKappaExponent: -1.2,
  agePerYear: 0.9938,
  female: 1.012,
} as const;

/** CKD-EPI 2021 eGFR (mL/min/1.73 m², unrounded) from serum creatinine (mg/dL), age (years) and sex. */
export function ckdEpi2021(creatinineMgDl: number, ageYears: number, sex: EgfrSex): number {
  const c = CKD_EPI_2021;
  const ratio = creatinineMgDl / c.kappa[sex];
  return (
    c.scale *
    Math.min(ratio, 1) ** c.alpha[sex] *
    Math.max(ratio, 1) ** c.aboveKappaExponent *
    c.agePerYear ** ageYears *
    (sex === "female" ? c.female : 1)
  );
}

export interface ComputedEgfr {
  status: "computed";
  /** Whole mL/min/1.73 m², as labs report eGFR (a bound is rounded outwards so it stays true). */
  value: number;
  comparator?: Comparator;
  iv: Interval;
  ageYears: number;
  sex: EgfrSex;
  creatinine: DatedLab;
}

/** A current creatinine, but the equation does not apply (no adult age at the draw, or sex not male/female). */
export interface EgfrNotComputed {
  status: "not-computed";
  creatinine: DatedLab;
}

/** eGFR falls as creatinine rises: a creatinine bound is an eGFR bound the other way. */
const FLIPPED: Record<Comparator, Comparator> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=" };

function rounded(value: number, comparator: Comparator | undefined): number {
  if (comparator === ">" || comparator === ">=") return Math.floor(value);
  if (comparator === "<" || comparator === "<=") return Math.ceil(value);
  return Math.round(value);
}

/**
 * From the newest creatinine within `windows.labCurrentDays`; age in completed years at the draw.
 * Undefined when computing is switched off or no creatinine is current.
 */
export function computeEgfr(
  facts: Facts,
  creatinine: DatedLab[],
  config: ClinicalConfig,
  nowMs: number,
): ComputedEgfr | EgfrNotComputed | undefined {
  if (!config.renal.computeEgfrFromCreatinine) return undefined;
  const latest = newestCurrent(creatinine, nowMs, config.windows.labCurrentDays);
  if (!latest || !(latest.lab.value > 0)) return undefined;
  const months = ageInMonths(facts.patient.birthDate, latest.ms);
  const sex = facts.patient.gender;
  if (months === undefined || months < config.renal.computedEgfrMinAgeYears * 12 || (sex !== "female" && sex !== "male")) {
    return { status: "not-computed", creatinine: latest };
  }
  const ageYears = Math.floor(months / 12);
  const comparator = latest.lab.comparator ? FLIPPED[latest.lab.comparator] : undefined;
  const value = rounded(ckdEpi2021(latest.lab.value, ageYears, sex), comparator);
  return {
    status: "computed",
    value,
    ...(comparator ? { comparator } : {}),
    iv: intervalOf(value, comparator),
    ageYears,
    sex,
    creatinine: latest,
  };
}

/** The evidence row: "eGFR computed (CKD-EPI 2021) from creatinine" — the creatinine as reported, its date, the eGFR. */
export function computedEgfrRow(e: ComputedEgfr, patientId: string, trigger: boolean): EvidenceRow {
  const cr = e.creatinine.lab;
  return {
    role: "egfr-computed",
    id: `${cr.id}+Patient/${patientId}`,
    date: cr.date,
    original: cr.original,
    converted: e.comparator ? { value: e.value, unit: EGFR_UNIT, comparator: e.comparator } : { value: e.value, unit: EGFR_UNIT },
    trigger,
    derivation: {
      kind: "ckd-epi-2021",
      creatinine: cr.value,
      ...(cr.comparator ? { creatinineComparator: cr.comparator } : {}),
      ageYears: e.ageYears,
      sex: e.sex,
    },
  };
}

/** Parameters of the "egfr-not-computed" missing note. */
export function notComputedParams(n: EgfrNotComputed): Record<string, string> {
  const cr = n.creatinine.lab;
  return { creatinine: `${cr.original.value} ${cr.original.unit}`, date: dayKey(cr.date) };
}
