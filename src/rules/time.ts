/** Date arithmetic for the rules. `now` is always passed in; nothing here reads the clock. */
import { memoizeText } from "../text-memo";

const DAY_MS = 86_400_000;

/** Milliseconds since the epoch, or undefined for a missing/unparseable date. Date-only = UTC midnight. */
export function toMs(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Fractional days from `fromMs` to `toMsValue` (positive when `from` is earlier). */
export function daysBetween(fromMs: number, toMsValue: number): number {
  return (toMsValue - fromMs) / DAY_MS;
}

/** Whole days (floored) — used only for display numbers carried to the card. */
export function wholeDays(fromMs: number, toMsValue: number): number {
  return Math.floor(daysBetween(fromMs, toMsValue));
}

/** True when `atMs` lies within the last `windowDays` days before `nowMs` (a draw up to one day in the future is accepted). */
export function withinDays(atMs: number, nowMs: number, windowDays: number): boolean {
  const age = daysBetween(atMs, nowMs);
  return age >= -1 && age <= windowDays;
}

/** Calendar day (UTC) of an ISO timestamp, for "same day" comparisons (memoized per timestamp). */
export const dayKey: (iso: string) => string = memoizeText(
  (iso: string) => {
    const ms = toMs(iso);
    return ms === undefined ? iso.slice(0, 10) : new Date(ms).toISOString().slice(0, 10);
  },
  { maxEntries: 8192, maxKeyLength: 64 },
);

/** Age in completed months at `nowMs`, or undefined without a usable birth date. */
export function ageInMonths(birthDate: string | undefined, nowMs: number): number | undefined {
  const birthMs = toMs(birthDate);
  if (birthMs === undefined) return undefined;
  const birth = new Date(birthMs);
  const now = new Date(nowMs);
  let months = (now.getUTCFullYear() - birth.getUTCFullYear()) * 12 + (now.getUTCMonth() - birth.getUTCMonth());
  if (now.getUTCDate() < birth.getUTCDate()) months -= 1;
  return months;
}
