/**
 * Timing → how often per day. Period units in days: h = 1/24, d = 1, wk = 7, mo = 30.4375
 * (the mean Gregorian month, 365.25 / 12, as UCUM's "mo"), a = 365.25.
 */
import type { Timing } from "fhir/r4";
import type { PeriodUnit, TimingCodeEntry } from "../code-sets";
import type { Compiled } from "./compile";

export const DAYS_PER_UNIT: Record<PeriodUnit, number> = {
  s: 1 / 86400,
  min: 1 / 1440,
  h: 1 / 24,
  d: 1,
  wk: 7,
  mo: 30.4375,
  a: 365.25,
};

export interface Frequency {
  frequency: number;
  period: number;
  periodUnit: PeriodUnit;
}

/** "single" = one administration only (a bolus); null = no usable timing. */
export type TimingResult = Frequency | "single" | null;

export const perDay = (f: Frequency): number => f.frequency / (f.period * DAYS_PER_UNIT[f.periodUnit]);

const isPeriodUnit = (u: string | undefined): u is PeriodUnit => u !== undefined && Object.hasOwn(DAYS_PER_UNIT, u);

function fromCode(timing: Timing, c: Compiled): TimingCodeEntry | undefined {
  const code = timing.code;
  if (!code) return undefined;
  for (const cd of code.coding ?? []) {
    if (!cd.code || (cd.system !== undefined && !c.timingSystems.has(cd.system))) continue;
    const hit = c.timingCodes.get(cd.code.toUpperCase());
    if (hit) return hit;
  }
  return code.text ? c.timingCodes.get(code.text.trim().toUpperCase()) : undefined;
}

/**
 * repeat.count = 1 → single dose. repeat.frequency (frequencyMax when given: ranges use the
 * maximum, the safe side for an intake alert) per period periodUnit; without a period,
 * dayOfWeek (× timeOfDay) per week or timeOfDay/when per day; else Timing.code.
 */
export function readTiming(timing: Timing | undefined, c: Compiled): TimingResult {
  if (!timing) return null;
  const r = timing.repeat;
  if (r) {
    if (r.count === 1 && (r.countMax === undefined || r.countMax === 1)) return "single";
    const times = Math.max(r.timeOfDay?.length ?? 0, r.when?.length ?? 0);
    const frequency = r.frequencyMax ?? r.frequency;
    if (typeof r.period === "number" && r.period > 0 && isPeriodUnit(r.periodUnit)) {
      return { frequency: frequency ?? 1, period: r.period, periodUnit: r.periodUnit };
    }
    if (r.dayOfWeek && r.dayOfWeek.length > 0) {
      return { frequency: r.dayOfWeek.length * Math.max(times, 1), period: 1, periodUnit: "wk" };
    }
    if (times > 0) return { frequency: times, period: 1, periodUnit: "d" };
  }
  const coded = fromCode(timing, c);
  return coded ? { ...coded } : null;
}
