/**
 * Timing → how often per day. Period units in days: h = 1/24, d = 1, wk = 7, mo = 30.4375
 * (the mean Gregorian month, 365.25 / 12, as UCUM's "mo"), a = 365.25.
 */
import type { Dosage, Quantity, Timing } from "fhir/r4";
import type { PeriodUnit, TimingCodeEntry } from "../code-sets";
import { doseWords } from "../code-sets";
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

/** Time-unit spellings of Durations and rate denominators (dose-words.json `periodUnits`) → PeriodUnit. */
const PERIOD_UNITS = new Map<string, PeriodUnit>();
for (const [unit, words] of Object.entries(doseWords.periodUnits) as [PeriodUnit, string[]][])
  for (const w of words) PERIOD_UNITS.set(w, unit);

/** A time unit as a UCUM code ("d", "wk", "mo", "a", "h", "min", "s") or display unit ("days", "weeks"). */
export function periodUnitOf(raw: string | undefined): PeriodUnit | undefined {
  if (raw === undefined || raw.length > 64) return undefined;
  const key = raw.trim().toLowerCase();
  return PERIOD_UNITS.get(key) ?? (isPeriodUnit(key) ? key : undefined);
}

/** A time Quantity (boundsDuration, a rate's denominator) as a period: value (default 1) × unit; null if not a positive time. */
export function quantityPeriod(q: Quantity | undefined): { period: number; periodUnit: PeriodUnit } | null {
  if (!q) return null;
  const periodUnit = periodUnitOf(q.code) ?? periodUnitOf(q.unit);
  const period = q.value ?? 1;
  return periodUnit && typeof period === "number" && period > 0 && Number.isFinite(period) ? { period, periodUnit } : null;
}

const DAY_MS = 86_400_000;
const msOf = (iso: string | undefined): number | undefined => {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
};

/** `iso` + `days`, as a date when `iso` is a date and the sum is a whole day, else a date-time. */
function addDays(iso: string, ms: number, days: number): string {
  const out = new Date(ms + days * DAY_MS).toISOString();
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) && out.endsWith("T00:00:00.000Z") ? out.slice(0, 10) : out;
}

/** The earlier of two dates (either may be absent or unparseable: the other one is kept). */
export function earlierDate(a: string | undefined, b: string | undefined): string | undefined {
  const am = msOf(a);
  const bm = msOf(b);
  if (am === undefined) return bm === undefined ? (a ?? b) : b;
  return bm !== undefined && bm < am ? b : a;
}

export interface DosageBounds {
  /** Earliest `timing.repeat.boundsPeriod.start` of the entries. */
  start?: string;
  /**
   * The end of the course when every entry is bounded: its boundsPeriod.end, or its start +
   * boundsDuration. Entries with the same (or no) `sequence` run concurrently from the course
   * start; a later sequence starts when the previous one ends ("8 weeks, then 12 weeks").
   */
  end(courseStart: string | undefined): string | undefined;
}

/** timing.repeat.bounds[x] of a resource's dosage entries (FHIR R4 Timing.repeat.bounds[x]). */
export function dosageBounds(dosages: readonly Dosage[]): DosageBounds {
  let start: string | undefined;
  for (const d of dosages) {
    const s = d.timing?.repeat?.boundsPeriod?.start;
    const ms = msOf(s);
    if (ms !== undefined && (start === undefined || ms < msOf(start)!)) start = s;
  }
  return {
    ...(start !== undefined ? { start } : {}),
    end(courseStart: string | undefined): string | undefined {
      if (dosages.length === 0) return undefined;
      const groups = new Map<number | undefined, Dosage[]>();
      for (const d of dosages) {
        const g = groups.get(d.sequence);
        if (g) g.push(d);
        else groups.set(d.sequence, [d]);
      }
      const order = [...groups.keys()].sort((a, b) => (a ?? -Infinity) - (b ?? -Infinity));
      let from = courseStart;
      let end: string | undefined;
      for (const key of order) {
        let groupEnd: string | undefined;
        for (const d of groups.get(key)!) {
          const bp = d.timing?.repeat?.boundsPeriod;
          let e: string | undefined = msOf(bp?.end) !== undefined ? bp!.end : undefined;
          if (e === undefined) {
            const bd = d.timing?.repeat?.boundsDuration;
            const duration = typeof bd?.value === "number" ? quantityPeriod(bd) : null;
            const base = msOf(bp?.start) !== undefined ? bp!.start! : from;
            const baseMs = msOf(base);
            if (!duration || base === undefined || baseMs === undefined) return undefined;
            e = addDays(base, baseMs, duration.period * DAYS_PER_UNIT[duration.periodUnit]);
          }
          if (groupEnd === undefined || msOf(e)! > msOf(groupEnd)!) groupEnd = e;
        }
        from = groupEnd;
        if (end === undefined || msOf(groupEnd)! > msOf(end)!) end = groupEnd;
      }
      return end;
    },
  };
}
