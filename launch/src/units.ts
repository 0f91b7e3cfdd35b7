/**
 * Display units for the charts and tables: the canonical unit of each quantity (as in Facts)
 * and its conventional / SI presentation. Factors from clinical-spec.md §2:
 * 25(OH)D ng/mL × 2.496 = nmol/L; Ca mg/dL ÷ 4.008 = mmol/L; Mg mg/dL ÷ 2.431 = mmol/L;
 * vitamin D intake 1 mcg = 40 IU.
 */
import { IU_PER_MCG } from "../../src/fhir/normalize/amounts";

export type UnitSystem = "conventional" | "si";
export type Quantity = "vitamin-d" | "calcium" | "calcium-ionized" | "magnesium" | "dose";

interface Presentation {
  unit: string;
  /** display value = canonical value × factor */
  factor: number;
  decimals: number;
}

interface QuantityUnits {
  canonical: string;
  conventional: Presentation;
  si: Presentation;
}

export const QUANTITY_UNITS: Record<Quantity, QuantityUnits> = {
  "vitamin-d": {
    canonical: "ng/mL",
    conventional: { unit: "ng/mL", factor: 1, decimals: 1 },
    si: { unit: "nmol/L", factor: 2.496, decimals: 0 },
  },
  calcium: {
    canonical: "mg/dL",
    conventional: { unit: "mg/dL", factor: 1, decimals: 1 },
    si: { unit: "mmol/L", factor: 1 / 4.008, decimals: 2 },
  },
  "calcium-ionized": {
    canonical: "mmol/L",
    conventional: { unit: "mg/dL", factor: 4.008, decimals: 2 },
    si: { unit: "mmol/L", factor: 1, decimals: 2 },
  },
  magnesium: {
    canonical: "mg/dL",
    conventional: { unit: "mg/dL", factor: 1, decimals: 2 },
    si: { unit: "mmol/L", factor: 1 / 2.431, decimals: 2 },
  },
  dose: {
    canonical: "IU/day",
    conventional: { unit: "IU/day", factor: 1, decimals: 0 },
    si: { unit: "mcg/day", factor: 1 / IU_PER_MCG, decimals: 1 },
  },
};

export function displayUnit(q: Quantity, system: UnitSystem): string {
  return QUANTITY_UNITS[q][system].unit;
}

/** Converts a canonical value for display; rounded to 4 decimals (exact enough for checks, no float noise). */
export function toDisplay(q: Quantity, system: UnitSystem, canonicalValue: number): number {
  return Math.round(canonicalValue * QUANTITY_UNITS[q][system].factor * 10_000) / 10_000;
}

/** Human formatting with the usual clinical precision, e.g. "29.9", "75", "2.72", "50,000". */
export function formatValue(q: Quantity, system: UnitSystem, displayValue: number): string {
  const decimals = QUANTITY_UNITS[q][system].decimals;
  return displayValue.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** A limit as written in guidelines: no trailing zeros ("20 ng/mL", "1.7 mg/dL", "2.62 mmol/L"). */
export function formatLimit(q: Quantity, system: UnitSystem, displayValue: number): string {
  return displayValue.toLocaleString("en-US", { maximumFractionDigits: QUANTITY_UNITS[q][system].decimals });
}
