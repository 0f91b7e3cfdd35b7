/**
 * docs/clinical-logic.md §13 inputs and §2–§3 modifiers, each seen through a §3 row: units (nmol/L, mmol/L, mEq/L),
 * statuses (entered-in-error, preliminary, stopped, completed, not-taken), stale labs, dose forms
 * (text-only, mg, ergocalciferol, calcifediol), albumin-corrected and ionized calcium, digoxin, CKD, children.
 */
import { observation } from "../../fixtures/fhir/builders";
import { ago, child, cond, dose, iu, lab, ordered, PRODUCT, takes, textDose } from "./kit";
import { IONIZED_CODES, type Situation } from "./situation";

const R = "repletion-cramp" as const;
const T = "vitamin-d-toxicity" as const;
const d3Daily = (units: number, startDays: number) => takes(PRODUCT.d3, iu(units, "day"), { startDays });
const weekly50k = (startDays: number) => takes(PRODUCT.d3Capsule50k, iu(50000, "week"), { startDays });
const digoxin = takes(PRODUCT.digoxin, dose(0.125, "mg", "day"), { startDays: 800 });

export const modifierSituations: Situation[] = [
  {
    name: "digoxin + D3 10,000 IU daily + Ca 10.9 → warning raised to critical",
    covers: "digoxin modifier (Ca high), toxicity row 1",
    resources: [d3Daily(10000, 300), lab.ca(10.9, 2), lab.vitD(80, 2), digoxin],
    cards: [{ topic: T, indicator: "critical", rule: "toxicity.ca-high-with-high-intake", textHas: [/digoxin/i] }],
  },
  {
    name: "digoxin + Mg 1.5 three weeks into D3 50,000 IU weekly → warning raised to critical",
    covers: "digoxin modifier (Mg low), repletion row 2",
    resources: [weekly50k(20), lab.mg(1.5, 2), lab.vitD(14, 30), lab.ca(9.3, 2), digoxin],
    cards: [{ topic: R, indicator: "critical", rule: "repletion.mg-low", summaryHas: ["1.5"], textHas: [/digoxin/i] }],
  },
  {
    name: "eGFR 24 (CKD-EPI 2021) + Mg 1.4 on D3 50,000 IU weekly → warning, no Mg supplement draft",
    covers: "renal modifier (eGFR < 30), repletion row 2",
    resources: [weekly50k(20), lab.mg(1.4, 3), lab.egfr(24, 3), lab.vitD(12, 30), lab.ca(9.0, 3)],
    cards: [
      {
        topic: R,
        indicator: "warning",
        rule: "repletion.mg-low-renal",
        summaryHas: ["1.4", "renal impairment"],
        summaryLacks: ["supplement"],
        mgSupplement: false,
      },
    ],
  },
  {
    name: "CKD stage 4 (N18.4) on the problem list + Mg 1.3 → warning, no Mg supplement draft",
    covers: "renal modifier (CKD 4–5 condition), repletion row 2",
    resources: [weekly50k(20), lab.mg(1.3, 3), cond.ckd4(900), lab.vitD(12, 30)],
    cards: [
      {
        topic: R,
        indicator: "warning",
        rule: "repletion.mg-low-renal",
        summaryHas: ["1.3", "renal impairment"],
        summaryLacks: ["supplement"],
        mgSupplement: false,
      },
    ],
  },
  {
    name: "Ca 10.4 high only after albumin 2.5 correction (11.6), 25(OH)D 160 → capped at warning, ionized Ca suggested",
    covers: "corrected calcium cap (total ≤ 10.5), toxicity row 1",
    resources: [d3Daily(10000, 365), lab.vitD(160, 2), lab.ca(10.4, 2), lab.albumin(2.5, 2)],
    cards: [{ topic: T, indicator: "warning", rule: "toxicity.ca-high-with-high-intake", orders: [IONIZED_CODES] }],
  },
  {
    name: "Ca 10.2 with albumin 3.0 → corrected 11.0 on D3 10,000 IU daily → warning, ionized Ca suggested",
    covers: "corrected calcium from albumin, toxicity row 1",
    resources: [d3Daily(10000, 365), lab.vitD(90, 5), lab.ca(10.2, 5), lab.albumin(3.0, 4)],
    cards: [{ topic: T, indicator: "warning", rule: "toxicity.ca-high-with-high-intake", orders: [IONIZED_CODES] }],
  },
  {
    name: "Ca 10.8 with albumin 4.6 → corrected 10.32 (normal) on D3 10,000 IU daily → no card",
    covers: "corrected calcium (§7 decision 3: correction applies in both directions)",
    resources: [d3Daily(10000, 365), lab.vitD(80, 5), lab.ca(10.8, 5), lab.albumin(4.6, 5)],
    cards: [],
  },
  {
    name: "total Ca 10.9 ten days ago, newer ionized Ca 1.25 normal → no card",
    covers: "ionized calcium decides (more recent)",
    resources: [d3Daily(10000, 365), lab.vitD(80, 10), lab.ca(10.9, 10), lab.ionized(1.25, 2)],
    cards: [],
  },
  {
    name: "total Ca 9.8 ten days ago, newer ionized Ca 1.40 high on D3 10,000 IU daily → warning",
    covers: "ionized calcium decides (more recent), toxicity row 1",
    resources: [d3Daily(10000, 365), lab.vitD(80, 10), lab.ca(9.8, 10), lab.ionized(1.4, 2)],
    cards: [{ topic: T, indicator: "warning", rule: "toxicity.ca-high-with-high-intake" }],
  },
  {
    name: "ionized Ca 1.55 mmol/L on D3 10,000 IU daily → critical",
    covers: "ionized ≥ 1.50 counts as ≥ 12 mg/dL",
    resources: [d3Daily(10000, 365), lab.vitD(80, 2), lab.ionized(1.55, 2)],
    cards: [{ topic: T, indicator: "critical", rule: "toxicity.ca-high-with-high-intake" }],
  },
  {
    name: "Ca 3.05 mmol/L (2000-8, = 12.2 mg/dL) on D3 10,000 IU daily → critical",
    covers: "mmol/L calcium, toxicity row 1",
    resources: [d3Daily(10000, 365), lab.vitD(80, 2), lab.caMmol(3.05, 2)],
    cards: [{ topic: T, indicator: "critical", rule: "toxicity.ca-high-with-high-intake" }],
  },
  {
    name: "Mg 0.45 mmol/L (2601-3, = 1.09 mg/dL) on D3 50,000 IU weekly → critical",
    covers: "mmol/L magnesium, repletion row 1",
    resources: [weekly50k(21), lab.mgMoles(0.45, 2), lab.vitD(10, 30)],
    cards: [{ topic: R, indicator: "critical", rule: "repletion.mg-severe" }],
  },
  {
    name: "Mg 1.3 mEq/L (= 1.58 mg/dL) on D3 50,000 IU weekly → warning",
    covers: "mEq/L magnesium, repletion row 2",
    resources: [weekly50k(21), lab.mgMeq(1.3, 2), lab.vitD(10, 30)],
    cards: [{ topic: R, indicator: "warning", rule: "repletion.mg-low" }],
  },
  {
    name: "2-year-old on D3 6,500 IU daily for 6 months (toxic above 6,000 at 1–12 years), no calcium → warning with pediatric limits",
    covers: "pediatric toxic intake (1–12 y), toxicity row 5",
    patient: child(28, "Leo"),
    resources: [takes(PRODUCT.d3, iu(6500, "day"), { startDays: 180 }), lab.vitD(50, 60)],
    cards: [{ topic: T, indicator: "warning", rule: "toxicity.prolonged-high-dose-unmonitored", textHas: [/pediatric/i] }],
  },
];

export const normalizationSituations: Situation[] = [
  {
    name: "entered-in-error 25(OH)D 180 and preliminary 25(OH)D 170 ignored; final 70 and Ca 9.6 → no card",
    covers: "lab status filter (entered-in-error, preliminary)",
    resources: [
      d3Daily(10000, 365),
      lab.vitD(70, 20),
      lab.vitD(180, 5, { status: "entered-in-error" }),
      lab.vitD(170, 2, { status: "preliminary" }),
      lab.ca(9.6, 20),
    ],
    cards: [],
  },
  {
    name: "entered-in-error Mg 1.0 yesterday ignored; final Mg 2.0 after the start → no card",
    covers: "lab status filter, repletion row 8",
    resources: [weekly50k(20), lab.mg(2.0, 5), lab.mg(1.0, 1, { status: "entered-in-error" }), lab.vitD(15, 30)],
    cards: [],
  },
  {
    name: "preliminary Ca 12.8 ignored; final Ca 9.4 on D3 10,000 IU daily → no card",
    covers: "lab status filter (preliminary calcium)",
    resources: [d3Daily(10000, 365), lab.vitD(70, 5), lab.ca(9.4, 5), lab.ca(12.8, 1, { status: "preliminary" })],
    cards: [],
  },
  {
    name: "25(OH)D 165 drawn 200 days ago (stale) on D3 10,000 IU daily, Ca 9.5 → no card",
    covers: "25(OH)D older than 180 days",
    resources: [d3Daily(10000, 365), lab.vitD(165, 200), lab.ca(9.5, 10)],
    cards: [],
  },
  {
    name: "D3 50,000 IU weekly marked not-taken, 25(OH)D 12 → no card",
    covers: "MedicationStatement not-taken does not count",
    resources: [takes(PRODUCT.d3Capsule50k, iu(50000, "week"), { status: "not-taken", startDays: 20 }), lab.vitD(12, 25)],
    cards: [],
  },
  {
    name: "D3 10,000 IU daily order completed 200 days ago, no calcium → no card",
    covers: "MedicationRequest completed does not count",
    resources: [ordered(PRODUCT.d3, iu(10000, "day"), { status: "completed", startDays: 500, endDays: 200 }), lab.vitD(40, 150)],
    cards: [],
  },
  {
    name: "D3 10,000 IU daily statement entered-in-error, no calcium → no card",
    covers: "MedicationStatement entered-in-error does not count",
    resources: [takes(PRODUCT.d3, iu(10000, "day"), { status: "entered-in-error", startDays: 365 })],
    cards: [],
  },
  {
    name: "D3 10,000 IU daily stopped 6 wks ago, Ca 11.4, 25(OH)D 95 → warning, says stopped",
    covers: "stopped < 12 weeks still involved, toxicity row 1",
    resources: [takes(PRODUCT.d3, iu(10000, "day"), { status: "stopped", startDays: 400, endDays: 42 }), lab.ca(11.4, 3), lab.vitD(95, 3)],
    cards: [{ topic: T, indicator: "warning", rule: "toxicity.ca-high-with-high-intake", summaryHas: ["11.4"], textHas: [/stopped/i] }],
  },
  {
    name: "D3 10,000 IU daily stopped 16 wks ago, Ca 11.4, 25(OH)D 95 → no card",
    covers: "stopped > 12 weeks is not involved",
    resources: [takes(PRODUCT.d3, iu(10000, "day"), { status: "stopped", startDays: 500, endDays: 112 }), lab.ca(11.4, 3), lab.vitD(95, 3)],
    cards: [],
  },
  {
    name: "'take as directed' vitamin D3 for a year, 25(OH)D 160, no calcium → critical, says dose unknown",
    covers: "unparseable dose (lab rows still fire), toxicity row 3",
    resources: [takes(PRODUCT.d3Text, textDose("take as directed by your doctor"), { startDays: 365 }), lab.vitD(160, 3)],
    cards: [{ topic: T, indicator: "critical", rule: "toxicity.25ohd-above-toxic", summaryHas: ["dose unknown"] }],
  },
  {
    name: "text-only '50,000 IU once weekly' started 20 days ago, 25(OH)D 12, no Mg → info",
    covers: "text-only dosage, weekly 50,000 IU, repletion row 5",
    resources: [takes(PRODUCT.d3Text, textDose("50,000 IU once weekly"), { startDays: 20 }), lab.vitD(12, 25)],
    cards: [{ topic: R, indicator: "info", rule: "repletion.no-mg-deficiency" }],
  },
  {
    name: "ergocalciferol 1.25 mg weekly (Drisdol) for 20 days, only a 25(OH)D3 of 14 → info, '25(OH)D2 not measured'",
    covers: "ergocalciferol 1.25 mg weekly, D3-only lab, repletion row 5",
    resources: [
      ordered(PRODUCT.drisdol, dose(1.25, "mg", { code: "WK" }, "1.25 mg by mouth weekly"), { startDays: 20 }),
      lab.vitD3(14, 25),
    ],
    cards: [{ topic: R, indicator: "info", rule: "repletion.no-mg-deficiency", textHas: [/25\(OH\)D2 not measured/i] }],
  },
  {
    name: "calcifediol 30 mcg daily (Rayaldee) started 30 days ago, 25(OH)D 15, no Mg → info",
    covers: "calcifediol high-dose from 20 mcg/day, repletion row 5",
    resources: [ordered(PRODUCT.calcifediol, dose(1, "capsule", "day"), { startDays: 30 }), lab.vitD(15, 40)],
    cards: [{ topic: R, indicator: "info", rule: "repletion.no-mg-deficiency" }],
  },
  {
    name: "calcifediol 10 mcg daily started 30 days ago, 25(OH)D 15 → no card",
    covers: "calcifediol below 20 mcg/day (not converted to IU)",
    resources: [ordered(PRODUCT.calcifediolPlain, dose(10, "mcg", "day"), { startDays: 30 }), lab.vitD(15, 40)],
    cards: [],
  },
  {
    name: "25(OH)D reported with an unknown unit (IU/mL) 180 is ignored; Ca 9.5 → no card",
    covers: "unknown unit never guessed",
    resources: [d3Daily(5000, 365), observation({ loinc: "62292-8", value: 180, unit: "IU/mL", date: ago(3) }), lab.ca(9.5, 3)],
    cards: [],
  },
];
