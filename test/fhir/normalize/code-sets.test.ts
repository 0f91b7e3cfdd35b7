import type { ConditionKind, LabKind, MedicationClass, VitaminDClass, VitaminDIngredient } from "../../../src/fhir/facts";
import { defaultCodeSets, extendCodeSets, normalizeFacts } from "../../../src/fhir/normalize";
import { clinicalResources, condition, medicationStatement, observation } from "../../fixtures/fhir/builders";

// Compile-time complete lists of the contract's unions (facts.ts): a new kind breaks the build here.
const LAB_KINDS = Object.keys({
  "vitd-total": 1,
  "vitd-d3": 1,
  "vitd-d2-or-unspecified": 1,
  "vitd-metabolites": 1,
  "calcium-total": 1,
  "calcium-ionized": 1,
  "calcium-corrected": 1,
  magnesium: 1,
  albumin: 1,
  creatinine: 1,
  egfr: 1,
  pth: 1,
  phosphate: 1,
  potassium: 1,
} satisfies Record<LabKind, 1>);
const INGREDIENTS = Object.keys({
  cholecalciferol: 1,
  ergocalciferol: 1,
  calcifediol: 1,
  calcitriol: 1,
  alfacalcidol: 1,
  paricalcitol: 1,
  doxercalciferol: 1,
  dihydrotachysterol: 1,
  "vitamin-d-unspecified": 1,
} satisfies Record<VitaminDIngredient, 1>);
const CLASSES = Object.keys({ nutritional: 1, calcifediol: 1, active: 1 } satisfies Record<VitaminDClass, 1>);
const MED_CLASSES = Object.keys({
  "proton-pump-inhibitor": 1,
  "loop-diuretic": 1,
  thiazide: 1,
  aminoglycoside: 1,
  "amphotericin-b": 1,
  cisplatin: 1,
  "calcineurin-inhibitor": 1,
  "egfr-antibody": 1,
  pentamidine: 1,
  foscarnet: 1,
  "calcium-supplement": 1,
  lithium: 1,
  "pth-analog": 1,
  digoxin: 1,
  "magnesium-supplement": 1,
} satisfies Record<MedicationClass, 1>);
const CONDITION_KINDS = Object.keys({
  cramps: 1,
  hypomagnesemia: 1,
  hypercalcemia: 1,
  "alcohol-use-disorder": 1,
  malabsorption: 1,
  "bariatric-surgery": 1,
  "granulomatous-disease": 1,
  "primary-hyperparathyroidism": 1,
  "ckd-stage-4-5": 1,
} satisfies Record<ConditionKind, 1>);

describe("the default tables are consistent with the Facts contract", () => {
  test("every lab row has a known kind, every kind a unit spec, codes are unique", () => {
    for (const row of defaultCodeSets.labs) expect(LAB_KINDS).toContain(row.kind);
    expect(Object.keys(defaultCodeSets.labKinds).sort()).toEqual([...LAB_KINDS].sort());
    const keys = defaultCodeSets.labs.map((r) => `${r.system}|${r.code}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test("vitamin D ingredients and classes, medication classes and condition kinds are known; every class has a row", () => {
    for (const v of defaultCodeSets.vitaminD) {
      expect(INGREDIENTS).toContain(v.ingredient);
      expect(CLASSES).toContain(v.productClass);
    }
    expect(defaultCodeSets.medicationClasses.map((m) => m.class).sort()).toEqual([...MED_CLASSES].sort());
    for (const c of [...defaultCodeSets.conditionCodes, ...defaultCodeSets.conditionPrefixes]) expect(CONDITION_KINDS).toContain(c.kind);
    expect(new Set([...defaultCodeSets.conditionCodes, ...defaultCodeSets.conditionPrefixes].map((c) => c.kind)).size).toBe(
      CONDITION_KINDS.length,
    );
  });

  test("no product (SCD) RxCUIs: vitamin D codes are only the ingredient codes 2418 and 4018", () => {
    expect(defaultCodeSets.vitaminD.flatMap((v) => v.rxnorm).sort()).toEqual(["2418", "4018"]);
  });
});

describe("a site adds local codes", () => {
  const site = extendCodeSets(defaultCodeSets, {
    labs: [{ system: "http://hospital.example.org/lab", code: "VITD25", kind: "vitd-total", display: "Vitamin D 25-OH (local)" }],
    unitAliases: { "mg/100 ml": "mg/dL" },
    vitaminD: [{ ingredient: "cholecalciferol", productClass: "nutritional", rxnorm: [], names: ["Sunvit"] }],
    medicationClasses: [{ class: "loop-diuretic", rxnorm: ["LOCAL-42"], names: [] }],
    conditionCodes: [{ kind: "cramps", system: "http://hospital.example.org/problems", code: "CRAMP-N", display: "Night cramps" }],
    timingCodes: { Q3D: { frequency: 1, period: 3, periodUnit: "d" } },
  });

  test("a local lab code and a local unit spelling", () => {
    const obs = observation({ loinc: "VITD25", value: 18, unit: "ng/mL" });
    obs.code.coding![0]!.system = "http://hospital.example.org/lab";
    const mg = observation({ loinc: "19123-9", value: 2.1, unit: "mg/100 mL", ucum: null });
    const f = normalizeFacts(clinicalResources({ observations: [obs, mg] }), site);
    expect(f.labs.map((l) => [l.kind, l.value, l.unit])).toEqual([
      ["vitd-total", 18, "ng/mL"],
      ["magnesium", 2.1, "mg/dL"],
    ]);
    expect(normalizeFacts(clinicalResources({ observations: [obs, mg] })).labs).toEqual([]);
  });

  test("a local brand, a local drug code, a local problem code and a local timing code", () => {
    const ms = medicationStatement({ name: "Sunvit 50,000 IU capsule", dose: { value: 1, unit: "{capsule}" }, timing: "Q3D" });
    delete ms.dosage![0]!.timing!.code!.coding![0]!.system;
    const loop = medicationStatement({ name: "Local diuretic", rxnorm: "LOCAL-42" });
    const cramp = condition({ code: "CRAMP-N", display: "Night cramps" });
    cramp.code!.coding![0]!.system = "http://hospital.example.org/problems";
    const f = normalizeFacts(clinicalResources({ medicationStatements: [ms, loop], conditions: [cramp] }), site);
    expect(f.vitaminD[0]?.dailyIU).toBeCloseTo(50000 / 3, 6);
    expect(f.otherMedications.map((m) => m.classes)).toEqual([["loop-diuretic"]]);
    expect(f.conditions.map((c) => c.kind)).toEqual(["cramps"]);
  });

  test("the same product read with the site's code sets and with the defaults is classed by each (nothing carried over)", () => {
    const loop = () => medicationStatement({ name: "Local diuretic", rxnorm: "LOCAL-42" });
    const furosemide = () => medicationStatement({ name: "furosemide 40 MG Oral Tablet" });
    const classes = (cs?: typeof site) =>
      normalizeFacts(clinicalResources({ medicationStatements: [loop(), furosemide()] }), cs).otherMedications.map((m) => m.classes);
    expect(classes()).toEqual([["loop-diuretic"]]);
    expect(classes(site)).toEqual([["loop-diuretic"], ["loop-diuretic"]]);
    expect(classes()).toEqual([["loop-diuretic"]]);
    const mine = normalizeFacts(clinicalResources({ medicationStatements: [furosemide()] })).otherMedications[0]!.classes;
    mine.push("thiazide");
    expect(classes()).toEqual([["loop-diuretic"]]);
  });

  test("extending does not change the defaults", () => {
    expect(defaultCodeSets.labs.some((l) => l.code === "VITD25")).toBe(false);
    expect(defaultCodeSets.timingCodes).not.toHaveProperty("Q3D");
  });
});
