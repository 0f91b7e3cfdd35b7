/**
 * docs/clinical-logic.md §2–§3 `vitamin-d-toxicity`, one or more situations per table row. Regimens are long-standing
 * (started > 90 days ago) so the repletion pattern stays silent unless a situation says otherwise.
 * "Contemporaneous" calcium = within 14 days of the 25(OH)D; a lab is current for 90 days (25(OH)D 180).
 */
import { condition, observation } from "../../fixtures/fhir/builders";
import { ago, cond, dose, iu, lab, ordered, PRODUCT, takes } from "./kit";
import { CA_CODES, PTH_CODES, type Situation } from "./situation";

const T = "vitamin-d-toxicity" as const;
const d3Daily = (units: number, startDays: number) => takes(PRODUCT.d3, iu(units, "day"), { startDays });

export const toxicityLabSituations: Situation[] = [
  {
    name: "D3 10,000 IU daily for 8 months, Ca 11.2 mg/dL, 25(OH)D 85 → warning",
    covers: "toxicity row 1 (Ca high + intake ≥ 10,000), Ca < 12",
    resources: [d3Daily(10000, 240), lab.ca(11.2, 3), lab.vitD(85, 3)],
    cards: [{ topic: T, indicator: "warning", rule: "toxicity.ca-high-with-high-intake", summaryHas: ["11.2"], orders: [PTH_CODES] }],
  },
  {
    name: "D3 10,000 IU daily for 8 months, Ca 12.4 mg/dL → critical",
    covers: "toxicity row 1, Ca ≥ 12",
    resources: [d3Daily(10000, 240), lab.ca(12.4, 3), lab.vitD(85, 3)],
    cards: [{ topic: T, indicator: "critical", rule: "toxicity.ca-high-with-high-intake", summaryHas: ["12.4"] }],
  },
  {
    name: "D3 2,000 IU daily, 25(OH)D 120 ng/mL, Ca 10.9 → warning",
    covers: "toxicity row 1 (Ca high + 25(OH)D > 100)",
    resources: [d3Daily(2000, 400), lab.vitD(120, 4), lab.ca(10.9, 4)],
    cards: [{ topic: T, indicator: "warning", rule: "toxicity.ca-high-with-high-intake", summaryHas: ["10.9"] }],
  },
  {
    name: "D3 4,000 IU daily, 25(OH)D 160 ng/mL, Ca 10.8 the same day → critical",
    covers: "toxicity row 1, 25(OH)D > 150",
    resources: [d3Daily(4000, 400), lab.vitD(160, 4), lab.ca(10.8, 4)],
    cards: [{ topic: T, indicator: "critical", rule: "toxicity.ca-high-with-high-intake" }],
  },
  {
    name: "calcitriol 0.25 mcg daily, Ca 11.3 mg/dL → warning",
    covers: "toxicity row 1 (active vitamin D), calcitriol with high Ca",
    resources: [ordered(PRODUCT.calcitriol, dose(0.25, "mcg", "day"), { startDays: 300 }), lab.ca(11.3, 2)],
    cards: [
      {
        topic: T,
        indicator: "warning",
        rule: "toxicity.ca-high-on-active-vitamin-d",
        summaryHas: ["11.3", "active vitamin D", "reduce or hold"],
      },
    ],
  },
  {
    name: "calcitriol 2 × 0.25 mcg capsules daily, Ca 12.5 mg/dL → critical",
    covers: "toxicity row 1 (active vitamin D), Ca ≥ 12",
    resources: [ordered(PRODUCT.calcitriol, dose(2, "capsule", "day"), { startDays: 300 }), lab.ca(12.5, 2)],
    cards: [{ topic: T, indicator: "critical", rule: "toxicity.ca-high-on-active-vitamin-d", summaryHas: ["12.5", "active vitamin D"] }],
  },
  {
    name: "D3 1,000 IU daily, normal 25(OH)D 35, Ca 11.1 → warning 'evaluate hypercalcemia (PTH)'",
    covers: "toxicity row 2 (Ca high with other vitamin D)",
    resources: [d3Daily(1000, 900), lab.vitD(35, 5), lab.ca(11.1, 5)],
    cards: [
      {
        topic: T,
        indicator: "warning",
        rule: "toxicity.ca-high-with-vitamin-d",
        summaryHas: ["11.1"],
        textHas: [/PTH/],
        orders: [PTH_CODES],
      },
    ],
  },
  {
    name: "calcifediol 30 mcg daily (Rayaldee) for a year, Ca 11.2 → warning",
    covers: "toxicity row 2, calcifediol (no IU conversion)",
    resources: [
      ordered(PRODUCT.calcifediol, dose(1, "capsule", "day", "1 capsule by mouth at bedtime"), { startDays: 365 }),
      lab.ca(11.2, 3),
    ],
    cards: [{ topic: T, indicator: "warning", rule: "toxicity.ca-high-with-vitamin-d", summaryHas: ["11.2"] }],
  },
  {
    name: "D3 10,000 IU daily for 10 months, 25(OH)D 170 ng/mL, no calcium ever → critical",
    covers: "toxicity row 3 (no contemporaneous Ca)",
    resources: [d3Daily(10000, 300), lab.vitD(170, 3)],
    cards: [{ topic: T, indicator: "critical", rule: "toxicity.25ohd-above-toxic", summaryHas: ["170"] }],
  },
  {
    name: "D3 10,000 IU daily, 25(OH)D 170 with Ca 9.5 the same day → warning",
    covers: "toxicity row 3 (contemporaneous Ca normal)",
    resources: [d3Daily(10000, 300), lab.vitD(170, 3), lab.ca(9.5, 3)],
    cards: [{ topic: T, indicator: "warning", rule: "toxicity.25ohd-above-toxic", summaryHas: ["170"] }],
  },
  {
    name: "25(OH)D 400 nmol/L (68438-1, Canadian lab) = 160 ng/mL on D3 5,000 IU daily, no Ca → critical",
    covers: "toxicity row 3, nmol/L input",
    resources: [d3Daily(5000, 365), lab.vitDNmol(400, 3)],
    cards: [{ topic: T, indicator: "critical", rule: "toxicity.25ohd-above-toxic" }],
  },
  {
    name: "25(OH)D '>150' ng/mL (comparator) on D3 8,000 IU daily, no Ca → critical",
    covers: "toxicity row 3, '>' comparator",
    resources: [d3Daily(8000, 365), observation({ loinc: "62292-8", value: 150, comparator: ">", unit: "ng/mL", date: ago(3) })],
    cards: [{ topic: T, indicator: "critical", rule: "toxicity.25ohd-above-toxic" }],
  },
  {
    name: "25(OH)D 165 with a normal Ca from 30 days earlier (not contemporaneous) → critical",
    covers: "toxicity row 3 (Ca current but not within 14 days)",
    resources: [d3Daily(8000, 365), lab.vitD(165, 2), lab.ca(9.6, 30)],
    cards: [{ topic: T, indicator: "critical", rule: "toxicity.25ohd-above-toxic" }],
  },
  {
    name: "D3 5,000 IU daily for a year, 25(OH)D 115 with Ca 9.6 the same day → warning 'High vitamin D level'",
    covers: "toxicity row 4",
    resources: [d3Daily(5000, 365), lab.vitD(115, 4), lab.ca(9.6, 4)],
    cards: [{ topic: T, indicator: "warning", rule: "toxicity.25ohd-high", summaryHas: ["115"], summaryLacks: ["toxicity"] }],
  },
  {
    name: "D3 50,000 IU weekly stopped 4 wks ago, 25(OH)D 120 with Ca 9.4 the same day → info, says stopped",
    covers: "toxicity row 4 (info: stopped, Ca normal), stopped < 12 weeks",
    resources: [
      takes(PRODUCT.d3Capsule50k, iu(50000, "week"), { status: "stopped", startDays: 200, endDays: 28 }),
      lab.vitD(120, 3),
      lab.ca(9.4, 3),
    ],
    cards: [{ topic: T, indicator: "info", rule: "toxicity.25ohd-high", textHas: [/stopped/i], summaryLacks: ["toxicity"] }],
  },
  {
    name: "D3 50,000 IU weekly stopped 6 wks ago, 25(OH)D 125, no calcium → warning, says stopped",
    covers: "toxicity row 4 (no contemporaneous Ca)",
    resources: [takes(PRODUCT.d3Capsule50k, iu(50000, "week"), { status: "stopped", startDays: 200, endDays: 42 }), lab.vitD(125, 3)],
    cards: [{ topic: T, indicator: "warning", rule: "toxicity.25ohd-high", textHas: [/stopped/i] }],
  },
  {
    name: "D3 50,000 IU weekly stopped 16 wks ago, 25(OH)D 105, Ca 9.4 → no card",
    covers: "toxicity rows 3–4 need vitamin D stopped < 12 weeks",
    resources: [
      takes(PRODUCT.d3Capsule50k, iu(50000, "week"), { status: "stopped", startDays: 300, endDays: 112 }),
      lab.vitD(105, 3),
      lab.ca(9.4, 3),
    ],
    cards: [],
  },
  {
    name: "D3 10,000 IU daily for 200 days, 25(OH)D 70, no calcium → warning 'without calcium monitoring'",
    covers: "toxicity row 5",
    resources: [d3Daily(10000, 200), lab.vitD(70, 20)],
    cards: [
      { topic: T, indicator: "warning", rule: "toxicity.prolonged-high-dose-unmonitored", summaryLacks: ["toxicity"], orders: [CA_CODES] },
    ],
  },
  {
    name: "D3 10,000 IU daily for 200 days, only Ca is 120 days old (stale) → warning",
    covers: "toxicity row 5 (stale Ca is no monitoring)",
    resources: [d3Daily(10000, 200), lab.ca(9.4, 120), lab.vitD(70, 20)],
    cards: [{ topic: T, indicator: "warning", rule: "toxicity.prolonged-high-dose-unmonitored" }],
  },
  {
    name: "two products: D3 5,000 IU daily + Drisdol 1 capsule (1.25 mg) weekly = 12,143 IU/day for 200 days, no Ca → warning",
    covers: "toxicity row 5, two concurrent products summed, strength × count",
    resources: [d3Daily(5000, 300), ordered(PRODUCT.drisdol, dose(1, "capsule", { code: "WK" }), { startDays: 200 }), lab.vitD(62, 30)],
    cards: [{ topic: T, indicator: "warning", rule: "toxicity.prolonged-high-dose-unmonitored" }],
  },
  {
    name: "D3 250 mcg daily (= 10,000 IU) for a year, no calcium → warning",
    covers: "toxicity row 5, mcg dose",
    resources: [takes(PRODUCT.d3, dose(250, "mcg", "day"), { startDays: 365 }), lab.vitD(80, 60)],
    cards: [{ topic: T, indicator: "warning", rule: "toxicity.prolonged-high-dose-unmonitored" }],
  },
  {
    name: "D3 10,000 IU daily for only 60 days, Mg 2.1 after the start, no calcium → no card",
    covers: "toxicity row 5 needs ≥ 90 days; repletion row 8",
    resources: [d3Daily(10000, 60), lab.mg(2.1, 10)],
    cards: [],
  },
  {
    name: "documented hypercalcemia (SNOMED 66931009), D3 1,000 IU daily, no current calcium → warning",
    covers: "toxicity row 6",
    resources: [d3Daily(1000, 600), cond.hypercalcemia(200), lab.vitD(40, 100)],
    cards: [{ topic: T, indicator: "warning", rule: "toxicity.hypercalcemia-unmonitored", orders: [CA_CODES] }],
  },
  {
    name: "resolved hypercalcemia, D3 1,000 IU daily, no current calcium → no card",
    covers: "toxicity row 6 needs an active condition",
    resources: [d3Daily(1000, 600), cond.hypercalcemia(400, "resolved")],
    cards: [],
  },
  {
    name: "300,000 IU one-time dose given 30 days ago (active order), Mg 2.0 since → no card: a given bolus is evidence, the bolus rows warn while it is ordered",
    covers: "R8: bolus rows fire on order-select/order-sign only",
    resources: [ordered(PRODUCT.d3, iu(300000, "once", "300,000 IU once"), { startDays: 30 }), lab.mg(2.0, 10), lab.vitD(22, 40)],
    cards: [],
  },
  {
    name: "known primary hyperparathyroidism (E21.0), D3 1,000 IU daily, Ca 10.7 → info, repletion with monitoring supported",
    covers: "R5: PHPT on a modest dose is not 'do not give vitamin D'",
    resources: [
      d3Daily(1000, 400),
      lab.ca(10.7, 3),
      lab.vitD(18, 3),
      condition({ system: "icd10cm", code: "E21.0", display: "Primary hyperparathyroidism", onset: "2024-01-10", recorded: "2024-01-10" }),
    ],
    cards: [{ topic: T, indicator: "info", rule: "toxicity.ca-high-known-phpt", summaryHas: ["known PHPT", "Ca monitoring"] }],
  },
  {
    name: "known PHPT on D3 1,000 IU daily with Ca 12.3 → critical as before (the PHPT exception stops below 12 mg/dL)",
    covers: "R5 limit",
    resources: [
      d3Daily(1000, 400),
      lab.ca(12.3, 3),
      lab.vitD(18, 3),
      condition({ system: "icd10cm", code: "E21.0", display: "Primary hyperparathyroidism", onset: "2024-01-10", recorded: "2024-01-10" }),
    ],
    cards: [{ topic: T, indicator: "critical", rule: "toxicity.ca-high-with-vitamin-d" }],
  },
  {
    name: "calcium 600 mg + D3 400 IU twice daily, Ca 10.9 → warning naming the calcium product, stop or reduce it first",
    covers: "R6: the summary does not blame the 800 IU of D3",
    resources: [
      takes({ name: "Calcium 600 mg + D3 400 IU" }, dose(1, "tablet", "day", "1 tablet twice daily"), { startDays: 400 }),
      lab.ca(10.9, 3),
      lab.vitD(35, 3),
    ],
    cards: [
      {
        topic: T,
        indicator: "warning",
        rule: "toxicity.ca-high-with-vitamin-d",
        summaryHas: ["Calcium 600 mg + D3 400 IU", "stop or reduce the calcium first"],
      },
    ],
  },
  {
    name: "25(OH)D 190 ng/mL and Ca 12.8 mg/dL, 16 weeks after stopping 50,000 IU/day → critical, no current vitamin D on record",
    covers: "R2: toxic 25(OH)D fires however long ago vitamin D was stopped",
    resources: [
      takes(PRODUCT.d3Capsule50k, iu(50000, "day"), { status: "stopped", startDays: 400, endDays: 112 }),
      lab.vitD(190, 3),
      lab.ca(12.8, 3),
    ],
    cards: [
      { topic: T, indicator: "critical", rule: "toxicity.25ohd-above-toxic-no-product", summaryHas: ["190", "ask about supplements"] },
    ],
  },
  {
    name: "25(OH)D 160 ng/mL, no vitamin D product on record, Ca 9.6 the same day → warning, ask about supplements",
    covers: "R2: over-the-counter vitamin D is often unrecorded",
    resources: [lab.vitD(160, 3), lab.ca(9.6, 3)],
    cards: [
      {
        topic: T,
        indicator: "warning",
        rule: "toxicity.25ohd-above-toxic-no-product",
        summaryHas: ["160", "no current vitamin D on record"],
      },
    ],
  },
  {
    name: "doxercalciferol with Ca 11.0 → warning 'Hypercalcemia on active vitamin D', Ca, phosphate and PTH ordered",
    covers: "R7: active vitamin D wording and labs (not 25(OH)D)",
    resources: [
      ordered({ name: "doxercalciferol 2.5 MCG Oral Capsule [Hectorol]" }, dose(2.5, "mcg", "day"), { startDays: 300 }),
      lab.ca(11.0, 2),
    ],
    cards: [
      {
        topic: T,
        indicator: "warning",
        rule: "toxicity.ca-high-on-active-vitamin-d",
        summaryHas: ["active vitamin D", "reduce or hold"],
        textHas: [/do not stop it abruptly in hypoparathyroidism/],
        orders: [PTH_CODES],
      },
    ],
  },
];
