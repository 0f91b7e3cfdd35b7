/**
 * The SMART app's SI factors are the service's: the same molecular weights (src/fhir/code-sets/lab-kinds.json)
 * through the same UCUM conversion the service normalizes lab results with (src/fhir/units/ucum.ts).
 * A literal in the app (2.496, 4.008, 2.431) would drift from the cards; this fails on any such drift.
 */
import { QUANTITY_UNITS, toDisplay } from "../../launch/src/units";
import { defaultCodeSets } from "../../src/fhir/code-sets";
import { conversionFactor } from "../../src/fhir/units/ucum";

const server = (from: string, to: string, kind: keyof typeof defaultCodeSets.labKinds) => {
  const spec = defaultCodeSets.labKinds[kind];
  return conversionFactor(from, to, {
    ...(spec.molecularWeight !== undefined ? { molecularWeight: spec.molecularWeight } : {}),
    ...(spec.charge !== undefined ? { charge: spec.charge } : {}),
  });
};

it.each([
  ["vitamin-d", "ng/mL", "nmol/L", "vitd-total"],
  ["calcium", "mg/dL", "mmol/L", "calcium-total"],
  ["magnesium", "mg/dL", "mmol/L", "magnesium"],
] as const)("%s: the SI factor equals the service's UCUM conversion %s → %s", (quantity, from, to, kind) => {
  expect(QUANTITY_UNITS[quantity].si.factor).toBeCloseTo(server(from, to, kind)!, 9);
});

it("ionized calcium (canonical mmol/L) shows in mg/dL with the inverse of the service's factor", () => {
  expect(QUANTITY_UNITS["calcium-ionized"].conventional.factor).toBeCloseTo(server("mmol/L", "mg/dL", "calcium-ionized")!, 9);
});

it("converts for display with those factors (rounded to 4 decimals)", () => {
  expect(toDisplay("vitamin-d", "si", 30)).toBe(74.8802); // 30 × 1000 / 400.64
  expect(toDisplay("magnesium", "si", 1.7)).toBe(0.6994); // 1.7 × 10 / 24.305
});
