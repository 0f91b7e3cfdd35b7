/** Resolution (docs/clinical-logic.md §1): within a pattern the most severe matching row wins; ties go to the earlier row. */
import type { Indicator } from "./types";

export interface Row<C, Id extends string = string> {
  /** Stable row id, e.g. "repletion.mg-low" (docs/clinical-logic.md lists every row). */
  id: Id;
  /** The row's card level when it matches, or null. */
  match: (c: C) => Indicator | null;
}

const RANK: Record<Indicator, number> = { info: 0, warning: 1, critical: 2 };
const LEVELS: readonly Indicator[] = ["info", "warning", "critical"];

export interface Resolution<Id extends string = string> {
  rule: Id;
  indicator: Indicator;
  /** Every matching row, winner first, then in table order. */
  matched: Id[];
}

export function resolveRows<C, Id extends string>(rows: readonly Row<C, Id>[], c: C): Resolution<Id> | undefined {
  const hits: { id: Id; indicator: Indicator }[] = [];
  for (const row of rows) {
    const indicator = row.match(c);
    if (indicator) hits.push({ id: row.id, indicator });
  }
  const winner = hits.reduce<(typeof hits)[number] | undefined>(
    (best, h) => (!best || RANK[h.indicator] > RANK[best.indicator] ? h : best),
    undefined,
  );
  if (!winner) return undefined;
  return { rule: winner.id, indicator: winner.indicator, matched: [winner.id, ...hits.filter((h) => h !== winner).map((h) => h.id)] };
}

export function raiseOneLevel(i: Indicator): Indicator {
  return LEVELS[Math.min(RANK[i] + 1, LEVELS.length - 1)] ?? i;
}

export function capAt(i: Indicator, max: Indicator): Indicator {
  return RANK[i] > RANK[max] ? max : i;
}
