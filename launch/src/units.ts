/**
 * Display units for the charts and tables: the canonical unit of each quantity (as in Facts)
 * and its conventional / SI presentation. The SI factors come from the same molecular weights the
 * service converts lab results with (src/fhir/code-sets/lab-kinds.json), so the app and the cards
 * can never disagree: ng/mL → nmol/L = × 1000 / MW (25(OH)D3 400.64 g/mol: × 2.496);
 * mg/dL → mmol/L = × 10 / MW (Ca 40.078: ÷ 4.008; Mg 24.305: ÷ 2.4305); intake 1 mcg = 40 IU.
 */
import { defaultCodeSets } from "../../src/fhir/code-sets";
import type { LabKind } from "../../src/fhir/facts";
import { IU_PER_MCG } from "../../src/fhir/normalize/amounts";

function molecularWeight(kind: LabKind): number {
  const mw = defaultCodeSets.labKinds[kind].molecularWeight;
  if (mw === undefined) throw new Error(`lab kind ${kind} has no molecular weight`);
  return mw;
}

/** ng/mL (= µg/L) → nmol/L. */
export const NG_PER_ML_TO_NMOL_PER_L = 1000 / molecularWeight("vitd-total");
/** mg/dL (= 10 mg/L) → mmol/L, calcium. */
export const CALCIUM_MG_PER_DL_TO_MMOL_PER_L = 10 / molecularWeight("calcium-total");
/** mg/dL → mmol/L, magnesium. */
export const MAGNESIUM_MG_PER_DL_TO_MMOL_PER_L = 10 / molecularWeight("magnesium");

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
    si: { unit: "nmol/L", factor: NG_PER_ML_TO_NMOL_PER_L, decimals: 0 },
  },
  calcium: {
    canonical: "mg/dL",
    conventional: { unit: "mg/dL", factor: 1, decimals: 1 },
    si: { unit: "mmol/L", factor: CALCIUM_MG_PER_DL_TO_MMOL_PER_L, decimals: 2 },
  },
  "calcium-ionized": {
    canonical: "mmol/L",
    conventional: { unit: "mg/dL", factor: 1 / CALCIUM_MG_PER_DL_TO_MMOL_PER_L, decimals: 2 },
    si: { unit: "mmol/L", factor: 1, decimals: 2 },
  },
  magnesium: {
    canonical: "mg/dL",
    conventional: { unit: "mg/dL", factor: 1, decimals: 2 },
    si: { unit: "mmol/L", factor: MAGNESIUM_MG_PER_DL_TO_MMOL_PER_L, decimals: 2 },
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
