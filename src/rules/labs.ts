/** Lab selection helpers: dated, sorted results and their evidence rows. */
import type { Facts, LabKind, LabResult } from "../fhir/facts";
import { intervalOf, isAbove, isAtLeast, isAtMost, isBelow, type Interval } from "./interval";
import { toMs, withinDays } from "./time";
import type { EvidenceRole, EvidenceRow } from "./types";

export interface DatedLab {
  lab: LabResult;
  ms: number;
  iv: Interval;
}

/** Results of the given kinds with a usable date, newest first; on the same instant the earlier-listed kind comes first. */
export function datedLabs(facts: Facts, kinds: readonly LabKind[]): DatedLab[] {
  const byKind = datedByKind(facts);
  const out: DatedLab[] = [];
  for (const kind of kinds) for (const d of byKind.get(kind) ?? []) out.push(d);
  // The sort is stable: on one instant the order above stays (kinds as asked, one kind as in facts.labs).
  return out.sort((a, b) => b.ms - a.ms);
}

/**
 * Every lab with a usable date, by kind, its date parsed once per Facts: the rules ask for a few kinds of the
 * same labs many times, and a scan of every lab per question made a long history cost labs × questions.
 */
const datedByFacts = new WeakMap<Facts, ReadonlyMap<LabKind, readonly DatedLab[]>>();
function datedByKind(facts: Facts): ReadonlyMap<LabKind, readonly DatedLab[]> {
  const hit = datedByFacts.get(facts);
  if (hit) return hit;
  const byKind = new Map<LabKind, DatedLab[]>();
  for (const lab of facts.labs) {
    const ms = toMs(lab.date);
    if (ms === undefined || !Number.isFinite(lab.value)) continue;
    const d = Object.freeze({ lab, ms, iv: intervalOf(lab.value, lab.comparator) });
    const same = byKind.get(lab.kind);
    if (same) same.push(d);
    else byKind.set(lab.kind, [d]);
  }
  datedByFacts.set(facts, byKind);
  return byKind;
}

export function currentOnly(labs: DatedLab[], nowMs: number, windowDays: number): DatedLab[] {
  return labs.filter((d) => withinDays(d.ms, nowMs, windowDays));
}

/** The newest result within the currency window ("latest current"). */
export function newestCurrent(labs: DatedLab[], nowMs: number, windowDays: number): DatedLab | undefined {
  return currentOnly(labs, nowMs, windowDays)[0];
}

export function evidenceRow(role: EvidenceRole, d: DatedLab, trigger: boolean): EvidenceRow {
  const { lab } = d;
  const row: EvidenceRow = {
    role,
    id: lab.id,
    code: lab.code,
    date: lab.date,
    original: lab.original,
    converted: lab.comparator ? { value: lab.value, unit: lab.unit, comparator: lab.comparator } : { value: lab.value, unit: lab.unit },
    trigger,
  };
  if (lab.referenceRange) row.referenceRange = lab.referenceRange;
  if (lab.interpretation) row.interpretation = lab.interpretation;
  return row;
}

const ROLE_OF_KIND: Partial<Record<LabKind, EvidenceRole>> = {
  magnesium: "magnesium",
  "calcium-total": "calcium-total",
  "calcium-ionized": "calcium-ionized",
  "calcium-corrected": "calcium-corrected",
  albumin: "albumin",
  egfr: "egfr",
  creatinine: "creatinine",
  pth: "pth",
  phosphate: "phosphate",
  potassium: "potassium",
};

/** Evidence-only context rows (newest current result of each kind). */
export function contextRows(facts: Facts, kinds: readonly LabKind[], nowMs: number, windowDays: number): EvidenceRow[] {
  const rows: EvidenceRow[] = [];
  for (const kind of kinds) {
    const d = newestCurrent(datedLabs(facts, [kind]), nowMs, windowDays);
    const role = ROLE_OF_KIND[kind];
    if (d && role) rows.push(evidenceRow(role, d, false));
  }
  return rows;
}

/** Why the lab itself calls a value normal: within its reference range (the limits it gives), or flagged N. */
export interface LabCallsNormal {
  /** "1.6–2.6 mg/dL" (the range in the value's unit), "≥ 1.6 mg/dL" with only a low limit, or the flag ("N") without numbers. */
  label: string;
}

const NORMAL_FLAGS = new Set(["N", "NORMAL"]);

/**
 * The lab's own verdict on a value (docs/clinical-logic.md §10): normal when the whole value lies within the
 * limits its reference range gives, or it is flagged N — and neither the range nor the flag says otherwise
 * (a value outside the range, or any other flag such as L, H, A, is not called normal). Undefined when the lab
 * does not call it normal or says nothing.
 */
export function labCallsNormal(iv: Interval, lab: LabResult): LabCallsNormal | undefined {
  const { low, high } = lab.referenceRange ?? {};
  const hasLimits = low !== undefined || high !== undefined;
  const within = hasLimits && (low === undefined || isAtLeast(iv, low)) && (high === undefined || isAtMost(iv, high));
  const outside = (low !== undefined && isBelow(iv, low)) || (high !== undefined && isAbove(iv, high));
  const flag = lab.interpretation?.trim().toUpperCase();
  const flaggedNormal = flag !== undefined && NORMAL_FLAGS.has(flag);
  const flaggedOther = flag !== undefined && flag !== "" && !flaggedNormal;
  if (outside || flaggedOther || !(within || flaggedNormal)) return undefined;
  if (!within) return { label: lab.interpretation?.trim() ?? "N" };
  const label =
    low !== undefined && high !== undefined
      ? `${low}–${high} ${lab.unit}`
      : low !== undefined
        ? `≥ ${low} ${lab.unit}`
        : `≤ ${high} ${lab.unit}`;
  return { label };
}
