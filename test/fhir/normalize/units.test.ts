/** The UCUM library's conversions, checked against the factors written in docs/clinical-logic.md §13. */
import { UcumLhcUtils } from "@lhncbc/ucum-lhc";
import { normalizeFacts } from "../../../src/fhir/normalize";
import { compileAliases, conversionFactor, defaultUnitAliases, toUcum, unitKey } from "../../../src/fhir/units/ucum";
import { clinicalResources, observation } from "../../fixtures/fhir/builders";

const VITD = { molecularWeight: 400.64 };
const CA = { molecularWeight: 40.078, charge: 2 };
const MG = { molecularWeight: 24.305, charge: 2 };

describe("UCUM factors agree with the spec's factors", () => {
  test.each([
    ["25(OH)D nmol/L → ng/mL = ÷ 2.496", "nmol/L", "ng/mL", VITD, 1 / 2.496],
    ["calcium mmol/L → mg/dL = × 4.008", "mmol/L", "mg/dL", CA, 4.008],
    ["calcium meq/L → mg/dL = × 2.004", "meq/L", "mg/dL", CA, 2.004],
    ["ionized calcium mg/dL → mmol/L = ÷ 4.008", "mg/dL", "mmol/L", CA, 1 / 4.008],
    ["magnesium mmol/L → mg/dL = × 2.431", "mmol/L", "mg/dL", MG, 2.431],
    ["magnesium meq/L → mg/dL = × 1.215", "meq/L", "mg/dL", MG, 1.215],
    ["albumin g/L → g/dL = ÷ 10", "g/L", "g/dL", {}, 0.1],
    ["ug/L → ng/mL = × 1", "ug/L", "ng/mL", VITD, 1],
  ])("%s", (_n, from, to, ctx, factor) => {
    const f = conversionFactor(from, to, ctx);
    expect(f).not.toBeNull();
    expect(Math.abs(f! - factor) / factor).toBeLessThan(5e-4);
  });

  test.each([
    ["IU/mL (UCUM would 'assume' [IU]/mL)", "IU/mL", "ng/mL", VITD],
    ["not a unit", "foo", "mg/dL", CA],
    ["moles without a molecular weight", "nmol/L", "ng/mL", {}],
    ["a mass, not a concentration", "mg", "mg/dL", CA],
  ])("refused: %s", (_n, from, to, ctx) => {
    expect(conversionFactor(from, to, ctx)).toBeNull();
  });
});

describe("lab spellings", () => {
  const aliases = compileAliases(defaultUnitAliases);
  test.each([
    ["ng/ml", "ng/mL"],
    ["mEq/L", "meq/L"],
    ["MEQ/L", "meq/L"],
    ["mg/dl", "mg/dL"],
    ["MG/DL", "mg/dL"],
    ["mmol/l", "mmol/L"],
    ["nmol/l", "nmol/L"],
    ["g/l", "g/L"],
    ["µg/L", "ug/L"],
    ["μg/L", "ug/L"],
    [" mg/dL ", "mg/dL"],
    ["mg / dL", "mg/dL"],
    ["ng/mL", "ng/mL"],
  ])("'%s' → %s", (raw, ucum) => {
    expect(toUcum(raw, aliases)).toBe(ucum);
  });

  test("eGFR spellings compare equal", () => {
    expect(unitKey("mL/min/{1.73_m2}")).toBe(unitKey("ml/min/1.73 m²"));
  });
});

describe("conversions are cached: 1,000 results in a new unit cost two UCUM calls", () => {
  test("Mg in umol/L, 1,000 times", () => {
    const spy = jest.spyOn(UcumLhcUtils.getInstance(), "convertUnitTo");
    const observations = Array.from({ length: 1000 }, (_, i) =>
      observation({ id: `m${i}`, loinc: "2601-3", value: 700 + i, unit: "umol/L" }),
    );
    const f = normalizeFacts(clinicalResources({ observations }));
    expect(f.labs).toHaveLength(1000);
    expect(f.labs.find((l) => l.id === "Observation/m0")?.value).toBeCloseTo(0.7 * 2.431, 2);
    expect(spy.mock.calls.length).toBeLessThanOrEqual(2);
    spy.mockRestore();
  });
});
