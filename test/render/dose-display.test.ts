/** Doses as a clinician reads them: active vitamin D by its schedule, a one-time dose as such (never "0 IU/day"). */
import { dosePhrase, formatProductDose } from "../../src/render/format";
import type { ProductSummary } from "../../src/rules";

const base: ProductSummary = {
  id: "MedicationRequest/x",
  source: "request",
  ingredient: "doxercalciferol",
  productClass: "active",
  name: "doxercalciferol 2.5 MCG capsule",
  status: "active",
  dailyIU: null,
  dailyMcg: (2.5 * 3) / 7,
  doseText: "2.5 mcg 3 times per week (1.07 mcg/day)",
  doseUnknown: false,
  current: true,
};

it("doxercalciferol 2.5 mcg three times weekly is shown by its schedule, not as 1.07 mcg/day", () => {
  expect(formatProductDose(base)).toBe("2.5 mcg 3 times per week");
});

it("calcitriol 0.25 mcg daily stays 0.25 mcg daily", () => {
  expect(formatProductDose({ ...base, dailyMcg: 0.25, doseText: "0.25 mcg daily" })).toBe("0.25 mcg daily");
});

it("only a one-time 300,000 IU dose: the dose phrase is the bolus, never 0 IU/day", () => {
  const bolus: ProductSummary = {
    ...base,
    ingredient: "cholecalciferol",
    productClass: "nutritional",
    dailyMcg: null,
    dailyIU: null,
    bolusIU: 300_000,
    doseText: "300,000 IU single dose",
  };
  expect(dosePhrase([bolus], 0)).toBe("300,000 IU once");
  expect(dosePhrase([bolus], 0)).not.toMatch(/0 IU\/day/);
});
