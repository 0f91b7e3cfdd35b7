/**
 * 25(OH)D status (docs/clinical-logic.md §4): per day, a total (62292-8, 68438-1) wins; else a D3 and a
 * same-day 49054-0 result are added; else any single 25(OH)D result stands for the total;
 * 35365-6 only when nothing else exists. "Latest current" = the newest such day-status within
 * the window, metabolites-only days used only when no other day is current.
 */
import type { Facts, LabKind } from "../fhir/facts";
import { add, displayOf, isBelow, type Interval } from "./interval";
import { datedLabs, evidenceRow, type DatedLab } from "./labs";
import { dayKey, withinDays } from "./time";
import type { EvidenceRole, EvidenceRow } from "./types";

export const VITD_KINDS: readonly LabKind[] = ["vitd-total", "vitd-d3", "vitd-d2-or-unspecified", "vitd-metabolites"];

export type VitdSource = "total" | "d3+d2" | "single" | "metabolites";

export interface VitdStatus {
  iv: Interval;
  ms: number;
  date: string;
  source: VitdSource;
  labs: DatedLab[];
  /** A D3-only result (no D2 fraction measured that day). */
  d3Only: boolean;
}

function single(d: DatedLab, source: VitdSource): VitdStatus {
  return { iv: d.iv, ms: d.ms, date: d.lab.date, source, labs: [d], d3Only: d.lab.kind === "vitd-d3" };
}

function statusOfDay(labs: DatedLab[]): VitdStatus | undefined {
  const first = (kind: LabKind) => labs.find((d) => d.lab.kind === kind);
  const total = first("vitd-total");
  if (total) return single(total, "total");
  const d3 = first("vitd-d3");
  const d2 = first("vitd-d2-or-unspecified");
  if (d3 && d2) {
    const newest = d3.ms >= d2.ms ? d3 : d2;
    return { iv: add(d3.iv, d2.iv), ms: newest.ms, date: newest.lab.date, source: "d3+d2", labs: [d3, d2], d3Only: false };
  }
  const any = d3 ?? d2;
  if (any) return single(any, "single");
  const metabolites = first("vitd-metabolites");
  return metabolites ? single(metabolites, "metabolites") : undefined;
}

/** One status per calendar day, newest day first. */
export function vitdDayStatuses(facts: Facts): VitdStatus[] {
  const byDay = new Map<string, DatedLab[]>();
  for (const d of datedLabs(facts, VITD_KINDS)) {
    const key = dayKey(d.lab.date);
    const day = byDay.get(key);
    if (day) day.push(d);
    else byDay.set(key, [d]);
  }
  const out: VitdStatus[] = [];
  for (const labs of byDay.values()) {
    const status = statusOfDay(labs);
    if (status) out.push(status);
  }
  return out.sort((a, b) => b.ms - a.ms);
}

export function latestCurrentVitd(statuses: VitdStatus[], nowMs: number, windowDays: number): VitdStatus | undefined {
  const current = statuses.filter((s) => withinDays(s.ms, nowMs, windowDays));
  return current.find((s) => s.source !== "metabolites") ?? current[0];
}

/** The most recent 25(OH)D below the deficiency threshold within the look-back (a pre-treatment value counts). */
export function documentedDeficiency(
  statuses: VitdStatus[],
  nowMs: number,
  lookbackDays: number,
  belowNgMl: number,
): VitdStatus | undefined {
  return statuses.find((s) => withinDays(s.ms, nowMs, lookbackDays) && isBelow(s.iv, belowNgMl));
}

export function vitdEvidence(status: VitdStatus, role: EvidenceRole, trigger: boolean): EvidenceRow {
  const [a, b] = status.labs;
  if (!a) throw new Error("25(OH)D status without a result");
  if (!b) return evidenceRow(role, a, trigger);
  const shown = displayOf(status.iv);
  return {
    role,
    id: status.labs.map((d) => d.lab.id).join("+"),
    date: status.date,
    original: { value: `${a.lab.original.value} + ${b.lab.original.value}`, unit: a.lab.original.unit },
    converted: { ...shown, unit: a.lab.unit },
    trigger,
    derivation: {
      kind: "vitamin-d-sum",
      parts: status.labs.map((d) =>
        d.lab.comparator
          ? { code: d.lab.code.code, value: d.lab.value, comparator: d.lab.comparator }
          : { code: d.lab.code.code, value: d.lab.value },
      ),
    },
  };
}
