/**
 * Calcium status (docs/clinical-logic.md §4): ionized Ca if it is the most recent
 * calcium result; otherwise albumin-corrected Ca (lab-reported, or computed as
 * Ca + factor × (reference − albumin) with an albumin within N days either side); otherwise
 * the plain total. Ionized ≥ the moderate threshold counts as "≥ 12 mg/dL".
 */
import type { ClinicalConfig } from "../config/clinical-config";
import type { LabKind } from "../fhir/facts";
import { isAbove, isAtLeast, isAtMost, isBelow, shift, type Interval } from "./interval";
import { evidenceRow, type DatedLab } from "./labs";
import { dayKey, daysBetween } from "./time";
import type { EvidenceRow } from "./types";

export const CALCIUM_KINDS: readonly LabKind[] = ["calcium-ionized", "calcium-corrected", "calcium-total"];

export type CalciumStatusKind = "ionized" | "corrected-lab" | "corrected-computed" | "total";

export interface CalciumStatus {
  kind: CalciumStatusKind;
  iv: Interval;
  ms: number;
  date: string;
  unit: string;
  high: boolean;
  /** ≥ 12 mg/dL, or ionized ≥ 1.50 mmol/L. */
  moderate: boolean;
  severe: boolean;
  low: boolean;
  /** Corrected Ca is high but the measured total is not. */
  highOnlyAfterCorrection: boolean;
  /** The calcium result that decided (ionized, lab-corrected or total). */
  decider: DatedLab;
  total?: DatedLab;
  albumin?: DatedLab;
  corrected?: { value: number; iv: Interval };
}

type Cfg = ClinicalConfig["calcium"];

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Default thresholds only: the lab's own range lowers a row one level instead (`labs.respectLabReferenceRange`, clinical-logic §10). */
function classify(
  status: Omit<CalciumStatus, "high" | "moderate" | "severe" | "low" | "highOnlyAfterCorrection">,
  cfg: Cfg,
): CalciumStatus {
  const ionized = status.kind === "ionized";
  const highAbove = ionized ? cfg.ionizedHighAboveMmolL : cfg.highAboveMgDl;
  const high = isAbove(status.iv, highAbove);
  const totalNotHigh = status.total !== undefined && isAtMost(status.total.iv, cfg.highAboveMgDl);
  return {
    ...status,
    high,
    moderate: isAtLeast(status.iv, ionized ? cfg.ionizedModerateAtLeastMmolL : cfg.moderateAtLeastMgDl),
    severe: !ionized && isAtLeast(status.iv, cfg.severeAtLeastMgDl),
    low: isBelow(status.iv, ionized ? cfg.ionizedLowBelowMmolL : cfg.lowBelowMgDl),
    highOnlyAfterCorrection: high && status.kind !== "ionized" && status.kind !== "total" && totalNotHigh,
  };
}

/**
 * @param calcium candidate calcium results (already filtered by the caller's window), newest first
 * @param albumins all albumin results
 */
export function selectCalciumStatus(calcium: DatedLab[], albumins: DatedLab[], config: ClinicalConfig): CalciumStatus | undefined {
  const cfg = config.calcium;
  const newest = calcium[0];
  if (!newest) return undefined;
  const base = { ms: newest.ms, date: newest.lab.date, decider: newest, unit: newest.lab.unit };
  if (newest.lab.kind === "calcium-ionized") return classify({ ...base, kind: "ionized", iv: newest.iv }, cfg);
  const sameDay = (kind: LabKind) => calcium.find((d) => d.lab.kind === kind && dayKey(d.lab.date) === dayKey(newest.lab.date));
  if (newest.lab.kind === "calcium-corrected") {
    const total = sameDay("calcium-total");
    return classify({ ...base, kind: "corrected-lab", iv: newest.iv, ...(total ? { total } : {}) }, cfg);
  }
  const labCorrected = sameDay("calcium-corrected");
  if (labCorrected) return classify({ ...base, kind: "corrected-lab", iv: labCorrected.iv, decider: labCorrected, total: newest }, cfg);
  const albumin = closestAlbumin(newest, albumins, cfg.correction.albuminWithinDays);
  if (albumin) {
    const delta = cfg.correction.factor * (cfg.correction.referenceAlbuminGdl - albumin.lab.value);
    const shifted = shift(newest.iv, delta);
    const iv = { ...shifted, lo: round2(shifted.lo), hi: shifted.hi === Infinity ? Infinity : round2(shifted.hi) };
    const corrected = { value: round2(newest.lab.value + delta), iv };
    return classify({ ...base, kind: "corrected-computed", iv, total: newest, albumin, corrected }, cfg);
  }
  return classify({ ...base, kind: "total", iv: newest.iv }, cfg);
}

function closestAlbumin(calcium: DatedLab, albumins: DatedLab[], withinDays: number): DatedLab | undefined {
  let best: DatedLab | undefined;
  for (const a of albumins) {
    if (a.lab.comparator) continue;
    const gap = Math.abs(daysBetween(a.ms, calcium.ms));
    if (gap > withinDays) continue;
    if (!best || gap < Math.abs(daysBetween(best.ms, calcium.ms))) best = a;
  }
  return best;
}

/** Evidence rows for a calcium status: the deciding value first, then what it was derived from. */
export function calciumEvidence(status: CalciumStatus, trigger: boolean, config: ClinicalConfig): EvidenceRow[] {
  switch (status.kind) {
    case "ionized":
      return [evidenceRow("calcium-ionized", status.decider, trigger)];
    case "total":
      return [evidenceRow("calcium-total", status.decider, trigger)];
    case "corrected-lab":
      return [
        evidenceRow("calcium-corrected", status.decider, trigger),
        ...(status.total ? [evidenceRow("calcium-total", status.total, false)] : []),
      ];
    case "corrected-computed": {
      const total = status.total ?? status.decider;
      const albumin = status.albumin;
      const value = status.corrected?.value ?? total.lab.value;
      const rows: EvidenceRow[] = [
        {
          role: "calcium-corrected",
          id: [total.lab.id, albumin?.lab.id].filter(Boolean).join("+"),
          date: total.lab.date,
          original: total.lab.original,
          converted: total.lab.comparator
            ? { value, unit: total.lab.unit, comparator: total.lab.comparator }
            : { value, unit: total.lab.unit },
          trigger,
          derivation: {
            kind: "corrected-calcium",
            calcium: total.lab.value,
            albumin: albumin?.lab.value ?? config.calcium.correction.referenceAlbuminGdl,
            factor: config.calcium.correction.factor,
            referenceAlbumin: config.calcium.correction.referenceAlbuminGdl,
          },
        },
        evidenceRow("calcium-total", total, false),
      ];
      if (albumin) rows.push(evidenceRow("albumin", albumin, false));
      return rows;
    }
  }
}
