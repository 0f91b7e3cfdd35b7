import type { Dosage, MedicationStatement } from "fhir/r4";
import type { VitaminDProduct } from "../../../src/fhir/facts";
import { normalizeFacts } from "../../../src/fhir/normalize";
import { clinicalResources, dosage, medication, medicationStatement, type MedicationSpec } from "../../fixtures/fhir/builders";

const productOf = (...medicationStatements: MedicationStatement[]): VitaminDProduct => {
  const facts = normalizeFacts(clinicalResources({ medicationStatements }));
  expect(facts.vitaminD).toHaveLength(1);
  return facts.vitaminD[0]!;
};
const dose = (spec: MedicationSpec) => productOf(medicationStatement(spec));
const WEEK = 7;
const MONTH = 30.4375;

describe("structured dose × timing → daily-equivalent IU (1 mcg = 40 IU, 1 mg = 40,000 IU)", () => {
  const cases: [string, MedicationSpec, number][] = [
    [
      "D3 50,000 IU weekly = 7,142.9 IU/day",
      { name: "cholecalciferol", dose: { value: 50000, unit: "[iU]" }, timing: { frequency: 1, period: 1, periodUnit: "wk" } },
      50000 / WEEK,
    ],
    ["D3 50,000 'IU' QW", { name: "Vitamin D3", dose: { value: 50000, unit: "IU" }, timing: "QW" }, 50000 / WEEK],
    ["D3 50,000 '[IU]' WK", { name: "Vitamin D3", dose: { value: 50000, unit: "[IU]" }, timing: "WK" }, 50000 / WEEK],
    ["D3 50,000 'U' every 2 weeks (Q2W)", { name: "Vitamin D3", dose: { value: 50000, unit: "U" }, timing: "Q2W" }, 50000 / 14],
    [
      "ergocalciferol 1.25 mg weekly = 50,000 IU weekly",
      { name: "ergocalciferol", dose: { value: 1.25, unit: "mg" }, timing: { frequency: 1, period: 1, periodUnit: "wk" } },
      50000 / WEEK,
    ],
    ["D3 25 mcg daily = 1,000 IU/day", { name: "cholecalciferol", dose: { value: 25, unit: "mcg" }, timing: "QD" }, 1000],
    [
      "D3 25 ug daily",
      { name: "cholecalciferol", dose: { value: 25, unit: "ug" }, timing: { frequency: 1, period: 1, periodUnit: "d" } },
      1000,
    ],
    ["D3 25 µg daily", { name: "cholecalciferol", dose: { value: 25, unit: "µg" }, timing: "QD" }, 1000],
    ["D3 1,000 IU BID", { name: "Vitamin D3", dose: { value: 1000, unit: "[iU]" }, timing: "BID" }, 2000],
    ["D3 1,000 IU TID", { name: "Vitamin D3", dose: { value: 1000, unit: "[iU]" }, timing: "TID" }, 3000],
    ["D3 400 IU QID", { name: "Vitamin D3", dose: { value: 400, unit: "[iU]" }, timing: "QID" }, 1600],
    ["D3 50,000 IU every other day (QOD)", { name: "Vitamin D3", dose: { value: 50000, unit: "[iU]" }, timing: "QOD" }, 25000],
    [
      "D3 50,000 IU monthly (QM): month = 30.4375 days",
      { name: "Vitamin D3", dose: { value: 50000, unit: "[iU]" }, timing: "QM" },
      50000 / MONTH,
    ],
    [
      "D3 50,000 IU per 1 mo",
      { name: "Vitamin D3", dose: { value: 50000, unit: "[iU]" }, timing: { frequency: 1, period: 1, periodUnit: "mo" } },
      50000 / MONTH,
    ],
    [
      "D3 600,000 IU yearly (period 1 a)",
      { name: "Vitamin D3", dose: { value: 600000, unit: "[iU]" }, timing: { frequency: 1, period: 1, periodUnit: "a" } },
      600000 / 365.25,
    ],
    [
      "D3 2,000 IU every 24 h",
      { name: "Vitamin D3", dose: { value: 2000, unit: "[iU]" }, timing: { frequency: 1, period: 24, periodUnit: "h" } },
      2000,
    ],
    [
      "D3 5,000 IU 2× per day (frequency 2)",
      { name: "Vitamin D3", dose: { value: 5000, unit: "[iU]" }, timing: { frequency: 2, period: 1, periodUnit: "d" } },
      10000,
    ],
    [
      "D3 1,000 IU 1–2× per day (frequencyMax used)",
      { name: "Vitamin D3", dose: { value: 1000, unit: "[iU]" }, timing: { frequency: 1, frequencyMax: 2, period: 1, periodUnit: "d" } },
      2000,
    ],
    [
      "D3 50,000 IU Mondays and Thursdays (dayOfWeek)",
      { name: "Vitamin D3", dose: { value: 50000, unit: "[iU]" }, timing: { dayOfWeek: ["mon", "thu"] } },
      100000 / WEEK,
    ],
    [
      "D3 1,000 IU morning and evening (when, no period)",
      { name: "Vitamin D3", dose: { value: 1000, unit: "[iU]" }, timing: { when: ["MORN", "EVE"] } },
      2000,
    ],
    [
      "D3 8 weeks of 50,000 IU weekly (count 8) is still weekly",
      { name: "Vitamin D3", dose: { value: 50000, unit: "[iU]" }, timing: { count: 8, frequency: 1, period: 1, periodUnit: "wk" } },
      50000 / WEEK,
    ],
    [
      "'cholecalciferol 1.25 MG Oral Capsule' 1 {capsule} weekly = 50,000 IU/wk",
      { name: "cholecalciferol 1.25 MG Oral Capsule", dose: { value: 1, unit: "{capsule}" }, timing: "QW" },
      50000 / WEEK,
    ],
    [
      "'cholecalciferol 0.025 MG Oral Tablet' 2 {tbl} daily = 2,000 IU/day",
      { name: "cholecalciferol 0.025 MG Oral Tablet", dose: { value: 2, unit: "{tbl}" }, timing: "QD" },
      2000,
    ],
    [
      "'Vitamin D3 1000 UNT Oral Tablet' 1 tablet daily",
      { name: "Vitamin D3 1000 UNT Oral Tablet", dose: { value: 1, unit: "tablet" }, timing: "QD" },
      1000,
    ],
    [
      "'Vitamin D3 50,000 IU capsule' 1 capsule every 2 weeks",
      { name: "Vitamin D3 50,000 IU capsule", dose: { value: 1, unit: "capsule" }, timing: { frequency: 1, period: 2, periodUnit: "wk" } },
      50000 / 14,
    ],
    [
      "'ergocalciferol 0.2 MG/ML Oral Solution' 1 mL daily = 8,000 IU/day",
      { name: "ergocalciferol 0.2 MG/ML Oral Solution", dose: { value: 1, unit: "mL" }, timing: "QD" },
      8000,
    ],
    [
      "'cholecalciferol 400 UNT/DROP' 2 drops daily",
      { name: "cholecalciferol 400 UNT/DROP Oral Drops", dose: { value: 2, unit: "{drop}" }, timing: "QD" },
      800,
    ],
    [
      "a count dose without unit multiplies the strength",
      { name: "cholecalciferol 1.25 MG Oral Capsule", dose: { value: 1 }, timing: "QW" },
      50000 / WEEK,
    ],
  ];
  test.each(cases)("%s", (_n, spec, expected) => {
    const p = dose(spec);
    expect(p.doseUnknown).toBe(false);
    expect(p.dailyIU).toBeCloseTo(expected, 6);
    expect(p.dailyMcg).toBeNull();
  });

  test("the weekly dose reads as the clinician would write it", () => {
    expect(dose(cases[0]![1]).doseText).toBe("50,000 IU once weekly (7,143 IU/day)");
    expect(dose({ name: "Vitamin D3", dose: { value: 2000, unit: "[iU]" }, timing: "QD" }).doseText).toBe("2,000 IU daily");
  });

  test("strength comes from Medication.ingredient.strength (1.25 mg per capsule)", () => {
    const med = medication({
      id: "m1",
      name: "Vitamin D 50K (pharmacy compounded)",
      ingredients: [
        {
          itemCodeableConcept: {
            coding: [{ system: "http://www.nlm.nih.gov/research/umls/rxnorm", code: "2418", display: "cholecalciferol" }],
          },
          strength: { numerator: { value: 1.25, unit: "mg", code: "mg" }, denominator: { value: 1, unit: "capsule", code: "{capsule}" } },
        },
      ],
    });
    const facts = normalizeFacts(
      clinicalResources({
        medications: [med],
        medicationStatements: [
          medicationStatement({ name: "x", medicationRef: "m1", dose: { value: 1, unit: "{capsule}" }, timing: "QW" }),
        ],
      }),
    );
    expect(facts.vitaminD[0]?.dailyIU).toBeCloseTo(50000 / WEEK, 6);
  });
});

describe("calcifediol and active vitamin D: mcg/day, never IU", () => {
  test.each([
    ["calcitriol 0.25 mcg daily", { name: "calcitriol 0.00025 MG Oral Capsule", dose: { value: 0.25, unit: "ug" }, timing: "QD" }, 0.25],
    [
      "calcitriol 1 capsule of 0.5 mcg daily",
      { name: "calcitriol 0.0005 MG Oral Capsule", dose: { value: 1, unit: "{capsule}" }, timing: "QD" },
      0.5,
    ],
    [
      "paricalcitol 2 mcg three times a week",
      {
        name: "paricalcitol 0.002 MG Oral Capsule",
        dose: { value: 2, unit: "mcg" },
        timing: { frequency: 3, period: 1, periodUnit: "wk" },
      },
      6 / 7,
    ],
    [
      "calcifediol 30 mcg at bedtime (Rayaldee)",
      {
        name: "calcifediol 0.03 MG Extended Release Oral Capsule [Rayaldee]",
        dose: { value: 1, unit: "{capsule}" },
        timing: { when: ["HS"] },
      },
      30,
    ],
    ["alfacalcidol 1 mcg daily by text", { name: "alfacalcidol 1 MCG capsule (One-Alpha)", text: "1 microgram once daily" }, 1],
  ] as [string, MedicationSpec, number][])("%s", (_n, spec, mcg) => {
    const p = dose(spec);
    expect(p.dailyMcg).toBeCloseTo(mcg, 6);
    expect(p.dailyIU).toBeNull();
    expect(p.doseUnknown).toBe(false);
  });

  test.each([
    ["calcifediol ordered in IU", { name: "calcifediol", dose: { value: 1200, unit: "[iU]" }, timing: "QD" }],
    ["calcitriol ordered in IU", { name: "calcitriol", dose: { value: 10, unit: "[iU]" }, timing: "QD" }],
  ] as [string, MedicationSpec][])("%s → dose unknown (no IU equivalent)", (_n, spec) => {
    expect(dose(spec)).toEqual(expect.objectContaining({ dailyIU: null, dailyMcg: null, doseUnknown: true, doseText: "dose unknown" }));
  });
});

describe("text-only dosage is parsed conservatively", () => {
  const cases: [string, MedicationSpec, number][] = [
    ["'50,000 IU once weekly'", { name: "Vitamin D3", text: "50,000 IU once weekly" }, 50000 / WEEK],
    ["'1.25 mg weekly' (ergocalciferol)", { name: "ergocalciferol", text: "1.25 mg weekly" }, 50000 / WEEK],
    ["'2000 units daily'", { name: "Vitamin D3", text: "2000 units daily" }, 2000],
    ["'1 capsule (50 000 IU) every 2 weeks'", { name: "Vitamin D3", text: "1 capsule (50 000 IU) every 2 weeks" }, 50000 / 14],
    ["'5000 IU twice a day'", { name: "Vitamin D3", text: "5000 IU twice a day" }, 10000],
    ["'50000 international units monthly'", { name: "Vitamin D2", text: "50000 international units monthly" }, 50000 / MONTH],
    [
      "'Take 1 capsule by mouth every week' with a 1.25 mg capsule",
      { name: "cholecalciferol 1.25 MG Oral Capsule", text: "Take 1 capsule by mouth every week" },
      50000 / WEEK,
    ],
    [
      "'Take 2 tablets (2,000 Units total) by mouth daily'",
      { name: "Vitamin D3 1000 UNT Oral Tablet", text: "Take 2 tablets (2,000 Units total) by mouth daily" },
      2000,
    ],
    ["'2 tablets of 1000 IU each daily'", { name: "Vitamin D3", text: "2 tablets of 1000 IU each daily" }, 2000],
    ["'1000-2000 IU daily' (a range: the maximum)", { name: "Vitamin D3", text: "1000-2000 IU daily" }, 2000],
    ["'50,000 IU (1.25 mg) q week' (equivalent amounts)", { name: "Vitamin D3", text: "50,000 IU (1.25 mg) q week" }, 50000 / WEEK],
    ["'50000 units every other day'", { name: "Vitamin D3", text: "50000 units every other day" }, 25000],
    ["'50,000 IU fortnightly'", { name: "Vitamin D3", text: "50,000 IU fortnightly" }, 50000 / 14],
    ["'1000 IU 3 times a week'", { name: "Vitamin D3", text: "1000 IU 3 times a week" }, 3000 / 7],
    ["'400 IU BID'", { name: "Vitamin D3", text: "400 IU BID" }, 800],
    [
      "'50.000 IU weekly' (a dot before an IU unit is a thousands separator, clinical-logic §8)",
      { name: "Vitamin D3", text: "50.000 IU weekly" },
      50000 / WEEK,
    ],
  ];
  test.each(cases)("%s", (_n, spec, expected) => {
    const p = dose(spec);
    expect(p.doseUnknown).toBe(false);
    expect(p.dailyIU).toBeCloseTo(expected, 6);
  });

  test("the dose written only in a note is used", () => {
    expect(dose({ name: "Vitamin D3", note: "Patient takes 50,000 IU once weekly" }).dailyIU).toBeCloseTo(50000 / WEEK, 6);
  });

  test("patientInstruction is read when dosage.text is absent", () => {
    const d: Dosage = { patientInstruction: "Take 2000 units every day" };
    expect(dose({ name: "Vitamin D3", dosages: [d] }).dailyIU).toBe(2000);
  });

  test("structured dose with the frequency only in text", () => {
    const d = dosage({ dose: { value: 50000, unit: "[iU]" }, text: "once a week" });
    expect(dose({ name: "Vitamin D3", dosages: [d] }).dailyIU).toBeCloseTo(50000 / WEEK, 6);
  });

  const unknown: [string, MedicationSpec][] = [
    ["'as directed'", { name: "Vitamin D3", text: "as directed" }],
    ["no dosage at all", { name: "Vitamin D3" }],
    ["'biweekly' (twice a week or every two weeks?)", { name: "Vitamin D3", text: "50,000 IU biweekly" }],
    ["two regimens: '50,000 IU weekly then 2,000 IU daily'", { name: "Vitamin D3", text: "50,000 IU weekly x 8 then 2,000 IU daily" }],
    ["'2 tablets (1000 IU) daily' without each/total", { name: "Vitamin D3", text: "2 tablets (1000 IU) daily" }],
    ["'1,25 mg weekly' (decimal comma)", { name: "Vitamin D2", text: "1,25 mg weekly" }],
    ["'Take 2 1000 IU tablets daily' (count or amount?)", { name: "Vitamin D3", text: "Take 2 1000 IU tablets daily" }],
    ["'1 capsule weekly' with no product strength", { name: "Vitamin D3", text: "1 capsule weekly" }],
    ["1 {capsule} weekly, structured, no product strength", { name: "Vitamin D3", dose: { value: 1, unit: "{capsule}" }, timing: "QW" }],
    ["50,000 IU with no frequency at all", { name: "Vitamin D3", dose: { value: 50000, unit: "[iU]" } }],
    [
      "an unknown dose unit (puff) for a capsule",
      { name: "cholecalciferol 1.25 MG Oral Capsule", dose: { value: 1, unit: "{puff}" }, timing: "QD" },
    ],
  ];
  test.each(unknown)("%s → dose unknown (null, never 0)", (_n, spec) => {
    expect(dose(spec)).toEqual(expect.objectContaining({ dailyIU: null, dailyMcg: null, doseUnknown: true, doseText: "dose unknown" }));
  });
});

describe("one-time boluses are not spread into a daily dose", () => {
  test.each([
    ["timing.count = 1", { name: "cholecalciferol", dose: { value: 300000, unit: "[iU]" }, timing: { count: 1 } }, 300000],
    ["text 'once'", { name: "Vitamin D3", text: "600,000 IU once" }, 600000],
    ["text 'single dose'", { name: "Vitamin D3", text: "single dose of 300000 units" }, 300000],
    ["text 'stat'", { name: "Vitamin D3", text: "200,000 IU IM stat" }, 200000],
    ["a dose ≥ 100,000 IU with no timing at all", { name: "cholecalciferol", dose: { value: 100000, unit: "[iU]" } }, 100000],
    ["7.5 mg with no timing (= 300,000 IU)", { name: "cholecalciferol", dose: { value: 7.5, unit: "mg" } }, 300000],
  ] as [string, MedicationSpec, number][])("%s", (_n, spec, bolus) => {
    const p = dose(spec);
    expect(p).toEqual(expect.objectContaining({ dailyIU: null, bolusIU: bolus, doseUnknown: false }));
    expect(p.doseText).toMatch(/single dose$/);
  });
});

describe("several dosage entries on one resource", () => {
  test("concurrent entries (no sequence) are summed: 1,000 IU morning + 2,000 IU evening", () => {
    const dosages = [
      dosage({ dose: { value: 1000, unit: "[iU]" }, timing: "AM" }),
      dosage({ dose: { value: 2000, unit: "[iU]" }, timing: "PM" }),
    ];
    const p = dose({ name: "Vitamin D3", dosages });
    expect(p.dailyIU).toBe(3000);
    expect(p.doseText).toBe("1,000 IU daily + 2,000 IU daily (3,000 IU/day)");
  });

  test("entries with the same sequence are concurrent", () => {
    const dosages = [
      { ...dosage({ dose: { value: 1000, unit: "[iU]" }, timing: "QD" }), sequence: 1 },
      { ...dosage({ dose: { value: 50000, unit: "[iU]" }, timing: "QW" }), sequence: 1 },
    ];
    expect(dose({ name: "Vitamin D3", dosages }).dailyIU).toBeCloseTo(1000 + 50000 / WEEK, 6);
  });

  test("sequential steps (loading then maintenance): the highest daily step is used and said", () => {
    const dosages = [
      { ...dosage({ dose: { value: 50000, unit: "[iU]" }, timing: "QW" }), sequence: 1 },
      { ...dosage({ dose: { value: 2000, unit: "[iU]" }, timing: "QD" }), sequence: 2 },
    ];
    const p = dose({ name: "Vitamin D3", dosages });
    expect(p.dailyIU).toBeCloseTo(50000 / WEEK, 6);
    expect(p.doseText).toContain("highest of 2 sequential steps");
  });

  test("one unknown concurrent entry makes the whole product dose unknown", () => {
    const dosages = [dosage({ dose: { value: 1000, unit: "[iU]" }, timing: "QD" }), dosage({ text: "extra as needed" })];
    expect(dose({ name: "Vitamin D3", dosages }).doseUnknown).toBe(true);
  });

  test("a bolus entry and a daily entry: both kept apart", () => {
    const dosages = [
      dosage({ dose: { value: 300000, unit: "[iU]" }, timing: { count: 1 } }),
      dosage({ dose: { value: 1000, unit: "[iU]" }, timing: "QD" }),
    ];
    expect(dose({ name: "Vitamin D3", dosages })).toEqual(expect.objectContaining({ dailyIU: 1000, bolusIU: 300000 }));
  });

  test("a dose range uses its high end (1–2 capsules of 50,000 IU weekly)", () => {
    const d: Dosage = {
      ...dosage({ timing: "QW" }),
      doseAndRate: [{ doseRange: { low: { value: 1, code: "{capsule}" }, high: { value: 2, code: "{capsule}" } } }],
    };
    expect(dose({ name: "cholecalciferol 1.25 MG Oral Capsule", dosages: [d] }).dailyIU).toBeCloseTo(100000 / WEEK, 6);
  });
});
