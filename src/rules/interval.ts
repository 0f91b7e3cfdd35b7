/**
 * A lab value as the set of values it may stand for: "<5" is [0, 5), ">150" is (150, ∞).
 * Threshold tests succeed only when the whole interval satisfies them, so a comparator is
 * respected and never read as the bare number (docs/clinical-logic.md §4).
 */
import type { Comparator } from "../fhir/facts";

export interface Interval {
  lo: number;
  loOpen: boolean;
  hi: number;
  hiOpen: boolean;
}

/** Concentrations are non-negative, so "<x" starts at 0. */
export function intervalOf(value: number, comparator?: Comparator): Interval {
  switch (comparator) {
    case "<":
      return { lo: 0, loOpen: false, hi: value, hiOpen: true };
    case "<=":
      return { lo: 0, loOpen: false, hi: value, hiOpen: false };
    case ">":
      return { lo: value, loOpen: true, hi: Infinity, hiOpen: true };
    case ">=":
      return { lo: value, loOpen: false, hi: Infinity, hiOpen: true };
    case undefined:
      return { lo: value, loOpen: false, hi: value, hiOpen: false };
  }
}

export function add(a: Interval, b: Interval): Interval {
  return { lo: a.lo + b.lo, loOpen: a.loOpen || b.loOpen, hi: a.hi + b.hi, hiOpen: a.hiOpen || b.hiOpen };
}

export function shift(a: Interval, by: number): Interval {
  return { ...a, lo: a.lo + by, hi: a.hi + by };
}

/** Every possible value is < t. */
export function isBelow(iv: Interval, t: number): boolean {
  return iv.hi < t || (iv.hi === t && iv.hiOpen);
}

/** Every possible value is > t. */
export function isAbove(iv: Interval, t: number): boolean {
  return iv.lo > t || (iv.lo === t && iv.loOpen);
}

/** Every possible value is ≥ t. */
export function isAtLeast(iv: Interval, t: number): boolean {
  return iv.lo >= t;
}

/** Every possible value is ≤ t. */
export function isAtMost(iv: Interval, t: number): boolean {
  return iv.hi <= t;
}

/**
 * The number and comparator to show for an interval: a point has no comparator; a bounded
 * range with a positive lower bound (e.g. D3 30 + D2 "<4") shows its lower bound as "≥".
 */
export function displayOf(iv: Interval): { value: number; comparator?: Comparator } {
  if (iv.lo === iv.hi) return { value: iv.lo };
  if (iv.hi === Infinity || iv.lo > 0) return { value: iv.lo, comparator: iv.loOpen ? ">" : ">=" };
  return { value: iv.hi, comparator: iv.hiOpen ? "<" : "<=" };
}
