/**
 * docs/clinical-logic.md §2–§3 `vitamin-d-toxicity` seen from order-sign / order-select: the draft order is "being
 * ordered" (starts now). For high-dose drafts a suggestion must delete or update the draft itself.
 */
import { cond, dose, draft, iu, lab, ordered, PRODUCT, takes, textDose } from "./kit";
import type { Situation } from "./situation";

const T = "vitamin-d-toxicity" as const;

export const toxicityOrderSituations: Situation[] = [
  {
    name: "order-sign D3 50,000 IU weekly with Ca 10.9, 25(OH)D 15 → warning 'evaluate before starting', remove/reduce draft",
    covers: "toxicity row 2, hypercalcemia + vitamin D being ordered",
    hook: "order-sign",
    resources: [lab.ca(10.9, 3), lab.vitD(15, 3), lab.mg(2.0, 3)],
    drafts: [draft("draft-d3-50k", PRODUCT.d3Capsule50k, iu(50000, "week"))],
    cards: [{ topic: T, indicator: "warning", rule: "toxicity.ca-high-with-vitamin-d", summaryHas: ["10.9"], draftAction: "draft-d3-50k" }],
  },
  {
    name: "order-sign D3 1,000 IU daily with Ca 12.3 → critical",
    covers: "toxicity row 2, Ca ≥ 12",
    hook: "order-sign",
    resources: [lab.ca(12.3, 2), lab.vitD(30, 2)],
    drafts: [draft("draft-d3-1000", PRODUCT.d3, iu(1000, "day"))],
    cards: [{ topic: T, indicator: "critical", rule: "toxicity.ca-high-with-vitamin-d", summaryHas: ["12.3"] }],
  },
  {
    name: "order-select D3 2,000 IU daily with Ca 5.6 mEq/L (= 11.2 mg/dL) → warning",
    covers: "toxicity row 2, mEq/L calcium",
    hook: "order-select",
    resources: [lab.caMeq(5.6, 4), lab.vitD(28, 4)],
    drafts: [draft("draft-d3-2000", PRODUCT.d3, iu(2000, "day"))],
    cards: [{ topic: T, indicator: "warning", rule: "toxicity.ca-high-with-vitamin-d" }],
  },
  {
    name: "order-sign reducing D3 10,000 to 2,000 IU daily, 25(OH)D 130 with Ca 9.5 the same day → info",
    covers: "toxicity row 4 (info: dose reduced, Ca normal)",
    hook: "order-sign",
    resources: [ordered(PRODUCT.d3, iu(10000, "day"), { startDays: 365 }), lab.vitD(130, 5), lab.ca(9.5, 5)],
    drafts: [draft("draft-d3-2000", PRODUCT.d3, iu(2000, "day"))],
    cards: [{ topic: T, indicator: "info", rule: "toxicity.25ohd-high", summaryLacks: ["toxicity"] }],
  },
  {
    name: "order-sign renewing D3 10,000 IU daily taken for a year, no current calcium → warning, remove/reduce draft",
    covers: "toxicity row 5 (ordered on top of a prolonged history)",
    hook: "order-sign",
    resources: [ordered(PRODUCT.d3, iu(10000, "day"), { startDays: 365 }), lab.vitD(60, 100)],
    drafts: [draft("draft-d3-10k", PRODUCT.d3, iu(10000, "day"))],
    cards: [{ topic: T, indicator: "warning", rule: "toxicity.prolonged-high-dose-unmonitored", draftAction: "draft-d3-10k" }],
  },
  {
    name: "order-sign adding D2 50,000 IU weekly on top of D3 10,000 IU daily for a year, no calcium → warning",
    covers: "toxicity row 5 (ordered on top); §7 decision 6 (no new repletion start)",
    hook: "order-sign",
    resources: [takes(PRODUCT.d3, iu(10000, "day"), { startDays: 365 }), lab.vitD(70, 60)],
    drafts: [draft("draft-d2-50k", PRODUCT.d2, iu(50000, "week"))],
    // R8: the D3 alone (10,000 IU/day) exceeds 4,000: no "reduce to 4,000" that would not fix the total — say so instead.
    cards: [
      {
        topic: T,
        indicator: "warning",
        rule: "toxicity.prolonged-high-dose-unmonitored",
        textHas: [/other vitamin D products alone come to 10,000 IU\/day/],
      },
    ],
  },
  {
    name: "order-sign D2 20,000 IU daily on top of D3 1,000 IU daily → info; the reduce suggestion brings the total to 4,000 (draft to 3,000 IU/day)",
    covers: "R8: reduce counts the other products",
    hook: "order-sign",
    resources: [takes(PRODUCT.d3, iu(1000, "day"), { startDays: 365 }), lab.vitD(30, 20), lab.ca(9.4, 20)],
    drafts: [draft("draft-d2-20k", PRODUCT.d2, iu(20000, "day"))],
    cards: [
      { topic: T, indicator: "info", rule: "toxicity.high-dose-ordered", draftAction: "draft-d2-20k", suggestionHas: [/to 3,000 IU\/day/] },
    ],
  },
  {
    name: "order-select documented hypercalcemia (E83.52), D3 2,000 IU daily being ordered, no calcium → warning",
    covers: "toxicity row 6, being ordered",
    hook: "order-select",
    resources: [cond.hypercalcemiaIcd(300)],
    drafts: [draft("draft-d3-2000", PRODUCT.d3, iu(2000, "day"))],
    cards: [{ topic: T, indicator: "warning", rule: "toxicity.hypercalcemia-unmonitored" }],
  },
  {
    name: "order-sign D3 10,000 IU daily with no vitamin D history, normal Ca/Mg → info 'dose exceeds 10,000 IU/day'",
    covers: "toxicity row 7",
    hook: "order-sign",
    resources: [lab.ca(9.4, 3), lab.mg(2.0, 3), lab.vitD(28, 10)],
    drafts: [draft("draft-d3-10k", PRODUCT.d3, iu(10000, "day"))],
    cards: [
      {
        topic: T,
        indicator: "info",
        rule: "toxicity.high-dose-ordered",
        summaryHas: ["10,000"],
        summaryLacks: ["toxicity"],
        draftAction: "draft-d3-10k",
      },
    ],
  },
  {
    name: "order-sign cholecalciferol 0.25 mg daily (= 10,000 IU), no history → info",
    covers: "toxicity row 7, mg dose",
    hook: "order-sign",
    resources: [lab.ca(9.4, 3), lab.mg(2.0, 3), lab.vitD(28, 10)],
    drafts: [draft("draft-d3-mg", PRODUCT.d3, dose(0.25, "mg", "day"))],
    cards: [{ topic: T, indicator: "info", rule: "toxicity.high-dose-ordered", draftAction: "draft-d3-mg" }],
  },
  {
    name: "order-sign text-only '50,000 IU twice a week' (= 14,286 IU/day), no history → info",
    covers: "toxicity row 7, text-only dosage",
    hook: "order-sign",
    resources: [lab.ca(9.4, 3), lab.mg(2.0, 3), lab.vitD(28, 10)],
    drafts: [draft("draft-d3-text", PRODUCT.d3Text, textDose("50,000 IU twice a week"))],
    cards: [{ topic: T, indicator: "info", rule: "toxicity.high-dose-ordered", draftAction: "draft-d3-text" }],
  },
  {
    name: "order-sign one-time 300,000 IU bolus → warning, remove/reduce draft",
    covers: "toxicity row 8 (bolus ≥ 300,000)",
    hook: "order-sign",
    resources: [lab.ca(9.4, 3), lab.mg(2.0, 3), lab.vitD(22, 10)],
    drafts: [draft("draft-d3-bolus", PRODUCT.d3, iu(300000, "once", "300,000 IU once"))],
    cards: [{ topic: T, indicator: "warning", rule: "toxicity.bolus-very-high", summaryHas: ["300,000"], draftAction: "draft-d3-bolus" }],
  },
  {
    name: "order-sign one-time 150,000 IU bolus → info",
    covers: "toxicity row 8 (bolus > 100,000)",
    hook: "order-sign",
    resources: [lab.ca(9.4, 3), lab.mg(2.0, 3), lab.vitD(22, 10)],
    drafts: [draft("draft-d3-bolus", PRODUCT.d3, iu(150000, "once", "150,000 IU once"))],
    cards: [{ topic: T, indicator: "info", rule: "toxicity.bolus-high", summaryHas: ["150,000"] }],
  },
  {
    name: "order-sign one-time 100,000 IU (not above 100,000) → no card",
    covers: "toxicity row 8 boundary",
    hook: "order-sign",
    resources: [lab.ca(9.4, 3), lab.mg(2.0, 3), lab.vitD(22, 10)],
    drafts: [draft("draft-d3-bolus", PRODUCT.d3, iu(100000, "once", "100,000 IU once"))],
    cards: [],
  },
  {
    name: "order-sign '50,000 mcg weekly' (2,000,000 IU/wk) → warning implausible dose, check the unit (mcg vs IU)",
    covers: "R4: a unit error is not 'consider a lower dose'",
    hook: "order-sign",
    resources: [],
    drafts: [draft("draft-d3-50000-mcg", PRODUCT.d3, dose(50000, "mcg", "week"))],
    cards: [{ topic: T, indicator: "warning", rule: "toxicity.implausible-dose-unit", summaryHas: ["check the unit (mcg vs IU)"] }],
  },
  {
    name: "order-sign D3 50,000 IU daily (a weekly dose written as daily: 50,000 IU/day) → warning implausible dose, verify it",
    covers: "R4: an implausible dose in IU (≥ 40,000 IU/day) is verified, not 'consider a lower dose'",
    hook: "order-sign",
    resources: [lab.ca(9.4, 3), lab.mg(2.0, 3), lab.vitD(22, 10)],
    drafts: [draft("draft-d3-50000-daily", PRODUCT.d3, iu(50000, "day"))],
    cards: [
      {
        topic: T,
        indicator: "warning",
        rule: "toxicity.implausible-dose",
        summaryHas: ["50,000 IU/day", "implausible dose", "verify"],
        summaryLacks: ["lower dose"],
      },
    ],
  },
];
