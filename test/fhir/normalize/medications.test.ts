import type { MedicationClass, VitaminDIngredient } from "../../../src/fhir/facts";
import { normalizeFacts } from "../../../src/fhir/normalize";
import type { ClinicalResources } from "../../../src/fhir/normalize";
import { clinicalResources, draftOrder, medication, medicationStatement } from "../../fixtures/fhir/builders";

const facts = (partial: Partial<ClinicalResources>) => normalizeFacts(clinicalResources(partial));
const statementFacts = (name: string, rxnorm?: string) =>
  facts({
    medicationStatements: [
      medicationStatement({ id: "s", name, ...(rxnorm ? { rxnorm } : {}), dose: { value: 1000, unit: "[iU]" }, timing: "QD" }),
    ],
  });

describe("vitamin D products are recognised by RxNorm ingredient code and by name", () => {
  test.each([
    ["RxNorm 2418 with a brand-only display", "Decara", "2418", "cholecalciferol", "nutritional"],
    ["RxNorm 4018 with a local display", "VIT D 50K CAP", "4018", "ergocalciferol", "nutritional"],
    ["'cholecalciferol 1.25 MG Oral Capsule'", "cholecalciferol 1.25 MG Oral Capsule", undefined, "cholecalciferol", "nutritional"],
    ["'Vitamin D3 1000 UNT Oral Tablet'", "Vitamin D3 1000 UNT Oral Tablet", undefined, "cholecalciferol", "nutritional"],
    ["'D3 drops'", "D3 drops 400 IU", undefined, "cholecalciferol", "nutritional"],
    ["'Vitamin D2 50,000 unit capsule'", "Vitamin D2 50,000 unit capsule", undefined, "ergocalciferol", "nutritional"],
    [
      "'ergocalciferol 1.25 MG Oral Capsule [Drisdol]'",
      "ergocalciferol 1.25 MG Oral Capsule [Drisdol]",
      undefined,
      "ergocalciferol",
      "nutritional",
    ],
    ["brand 'Drisdol 50,000 IU'", "Drisdol 50,000 IU", undefined, "ergocalciferol", "nutritional"],
    ["brand 'Calciferol'", "Calciferol 8000 UNT/ML oral drops", undefined, "ergocalciferol", "nutritional"],
    ["'Vitamin D 50,000 unit capsule' (unspecified)", "Vitamin D 50,000 unit capsule", undefined, "vitamin-d-unspecified", "nutritional"],
    ["'calcitriol 0.00025 MG Oral Capsule'", "calcitriol 0.00025 MG Oral Capsule", undefined, "calcitriol", "active"],
    ["brand 'Rocaltrol'", "Rocaltrol 0.5 mcg capsule", undefined, "calcitriol", "active"],
    ["'calcifediol ER 30 mcg' (Rayaldee)", "Rayaldee 30 mcg ER capsule", undefined, "calcifediol", "calcifediol"],
    ["'25-hydroxyvitamin D3' is calcifediol, not D3", "25-hydroxyvitamin D3 20 mcg capsule", undefined, "calcifediol", "calcifediol"],
    ["'One-Alpha' (alfacalcidol)", "One-Alpha 1 microgram capsules", undefined, "alfacalcidol", "active"],
    ["'Zemplar' (paricalcitol)", "Zemplar 2 mcg capsule", undefined, "paricalcitol", "active"],
    ["'Hectorol' (doxercalciferol)", "Hectorol 2.5 mcg capsule", undefined, "doxercalciferol", "active"],
    ["'dihydrotachysterol'", "dihydrotachysterol 0.125 MG Oral Tablet", undefined, "dihydrotachysterol", "active"],
  ] as [string, string, string | undefined, VitaminDIngredient, string][])("%s → %s", (_n, name, rxnorm, ingredient, productClass) => {
    const f = statementFacts(name, rxnorm);
    expect(f.vitaminD).toEqual([
      expect.objectContaining({ ingredient, productClass, name, id: "MedicationStatement/s", source: "statement" }),
    ]);
  });

  test.each(["vitamin B12 1000 MCG Oral Tablet", "calcium carbonate 1250 MG Oral Tablet", "VD3X lab reagent", "vitamin E 400 UNT capsule"])(
    "'%s' is not vitamin D",
    (name) => {
      expect(statementFacts(name).vitaminD).toEqual([]);
    },
  );

  test("a contained Medication (#med) with an RxNorm ingredient is read", () => {
    const ms = medicationStatement({
      id: "c",
      name: "ignored",
      contained: {
        code: { text: "Compounded capsule" },
        ingredient: [
          {
            itemCodeableConcept: {
              coding: [{ system: "http://www.nlm.nih.gov/research/umls/rxnorm", code: "4018", display: "ergocalciferol" }],
            },
          },
        ],
      },
      dose: { value: 50000, unit: "[iU]" },
      timing: "QW",
    });
    expect(facts({ medicationStatements: [ms] }).vitaminD).toEqual([
      expect.objectContaining({ ingredient: "ergocalciferol", name: "Compounded capsule" }),
    ]);
  });

  test("a referenced Medication found alongside is read (relative, absolute and versioned references)", () => {
    const med = medication({ id: "med-7", name: "cholecalciferol 1.25 MG Oral Capsule" });
    const refs = ["Medication/med-7", "https://ehr.example.org/fhir/Medication/med-7", "Medication/med-7/_history/2"];
    const statements = refs.map((reference, i) => {
      const ms = medicationStatement({
        id: `r${i}`,
        name: "x",
        medicationRef: "placeholder",
        dose: { value: 1, unit: "{capsule}" },
        timing: "QW",
      });
      return { ...ms, medicationReference: { reference } };
    });
    const f = facts({ medications: [med], medicationStatements: statements });
    expect(f.vitaminD).toHaveLength(3);
    for (const p of f.vitaminD)
      expect(p).toEqual(expect.objectContaining({ name: "cholecalciferol 1.25 MG Oral Capsule", dailyIU: expect.closeTo(50000 / 7, 6) }));
  });
});

describe("other medications → modifier classes", () => {
  const cases: [string, MedicationClass[]][] = [
    ["omeprazole 20 MG Delayed Release Oral Capsule", ["proton-pump-inhibitor"]],
    ["pantoprazole 40 MG Delayed Release Oral Tablet", ["proton-pump-inhibitor"]],
    ["esomeprazole magnesium 40 MG Delayed Release Oral Capsule", ["proton-pump-inhibitor"]],
    ["lansoprazole 30 MG", ["proton-pump-inhibitor"]],
    ["rabeprazole sodium 20 MG", ["proton-pump-inhibitor"]],
    ["dexlansoprazole 60 MG", ["proton-pump-inhibitor"]],
    ["furosemide 40 MG Oral Tablet", ["loop-diuretic"]],
    ["bumetanide 1 MG Oral Tablet", ["loop-diuretic"]],
    ["torsemide 20 MG Oral Tablet", ["loop-diuretic"]],
    ["ethacrynic acid 25 MG Oral Tablet", ["loop-diuretic"]],
    ["hydrochlorothiazide 25 MG Oral Tablet", ["thiazide"]],
    ["chlorthalidone 25 MG Oral Tablet", ["thiazide"]],
    ["indapamide 1.25 MG Oral Tablet", ["thiazide"]],
    ["metolazone 5 MG Oral Tablet", ["thiazide"]],
    ["chlorothiazide 500 MG Oral Tablet", ["thiazide"]],
    ["lisinopril 20 MG / hydrochlorothiazide 12.5 MG Oral Tablet", ["thiazide"]],
    ["gentamicin 40 MG/ML Injectable Solution", ["aminoglycoside"]],
    ["tobramycin 300 MG/5ML Inhalation Solution", ["aminoglycoside"]],
    ["amikacin 250 MG/ML Injectable Solution", ["aminoglycoside"]],
    ["streptomycin 1000 MG Injection", ["aminoglycoside"]],
    ["amphotericin B liposomal 50 MG Injection", ["amphotericin-b"]],
    ["cisplatin 1 MG/ML Injectable Solution", ["cisplatin"]],
    ["tacrolimus 1 MG Oral Capsule", ["calcineurin-inhibitor"]],
    ["cyclosporine 100 MG Oral Capsule", ["calcineurin-inhibitor"]],
    ["ciclosporin 25 mg capsules", ["calcineurin-inhibitor"]],
    ["cetuximab 2 MG/ML Injectable Solution", ["egfr-antibody"]],
    ["panitumumab 20 MG/ML Injectable Solution", ["egfr-antibody"]],
    ["pentamidine isethionate 300 MG Inhalation Powder", ["pentamidine"]],
    ["foscarnet sodium 24 MG/ML Injectable Solution", ["foscarnet"]],
    ["calcium carbonate 1250 MG Oral Tablet", ["calcium-supplement"]],
    ["calcium citrate 950 MG Oral Tablet", ["calcium-supplement"]],
    ["Calcium 600 mg tablet", ["calcium-supplement"]],
    ["Tums Extra Strength 750", ["calcium-supplement"]],
    ["lithium carbonate 300 MG Oral Capsule", ["lithium"]],
    ["teriparatide 0.25 MG/ML Injectable Solution [Forteo]", ["pth-analog"]],
    ["abaloparatide 2 MG/ML Pen Injector [Tymlos]", ["pth-analog"]],
    ["digoxin 0.125 MG Oral Tablet", ["digoxin"]],
    ["magnesium oxide 400 MG Oral Tablet", ["magnesium-supplement"]],
    ["magnesium citrate 100 MG tablet", ["magnesium-supplement"]],
    ["Magnesium 250 mg tablet", ["magnesium-supplement"]],
  ];
  test.each(cases)("'%s' → %j", (name, classes) => {
    expect(statementFacts(name).otherMedications).toEqual([{ id: "MedicationStatement/s", name, classes, status: "active" }]);
  });

  test.each([
    ["atorvastatin calcium 20 MG Oral Tablet", "a calcium salt is not a calcium supplement"],
    ["gentamicin 3 MG/ML Ophthalmic Solution", "eye drops are not a systemic aminoglycoside"],
    ["magnesium hydroxide 400 MG/5ML Oral Suspension", "milk of magnesia is a laxative"],
    ["metformin 500 MG Oral Tablet", "unrelated"],
  ])("'%s' has no modifier class (%s)", (name) => {
    expect(statementFacts(name).otherMedications).toEqual([]);
  });

  test("by RxNorm ingredient code, whatever the display (7646 omeprazole)", () => {
    expect(statementFacts("Prilosec OTC", "7646").otherMedications[0]?.classes).toEqual(["proton-pump-inhibitor"]);
  });

  test("calcium carbonate 600 MG / cholecalciferol 400 UNT is both a 400 IU vitamin D product and a calcium supplement", () => {
    const name = "calcium carbonate 600 MG / cholecalciferol 400 UNT Oral Tablet";
    const f = facts({ medicationStatements: [medicationStatement({ id: "s", name, dose: { value: 1, unit: "{tbl}" }, timing: "QD" })] });
    expect(f.vitaminD).toEqual([expect.objectContaining({ ingredient: "cholecalciferol", dailyIU: 400 })]);
    expect(f.otherMedications).toEqual([expect.objectContaining({ classes: ["calcium-supplement"] })]);
  });

  test("'Calcium 600 mg + D3 400 IU' splits into its ingredients", () => {
    const f = facts({
      medicationStatements: [medicationStatement({ name: "Calcium 600 mg + D3 400 IU", dose: { value: 2, unit: "{tbl}" }, timing: "QD" })],
    });
    expect(f.vitaminD[0]?.dailyIU).toBe(800);
    expect(f.otherMedications[0]?.classes).toEqual(["calcium-supplement"]);
  });

  test("a stopped modifier drug keeps its status and dates; a draft one is active", () => {
    const f = facts({
      medicationStatements: [medicationStatement({ name: "omeprazole 20 MG", status: "stopped", start: "2025-01-01", end: "2025-06-01" })],
      draftOrders: [draftOrder({ id: "d", name: "hydrochlorothiazide 25 MG Oral Tablet" })],
    });
    expect(f.otherMedications.map((m) => [m.status, m.start, m.end])).toEqual([
      ["stopped", "2025-01-01", "2025-06-01"],
      ["active", undefined, undefined],
    ]);
  });
});
