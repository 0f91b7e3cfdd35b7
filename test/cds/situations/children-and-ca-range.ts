/**
 * docs/clinical-logic.md §12 through the real HTTP pipeline: children's single-dose maxima and toxic daily
 * intake (global consensus on nutritional rickets, Munns et al. 2016), the comparator each rule applies as
 * printed on the card, and the lab's own reference range on the high-calcium rows.
 * Worked out by hand: single-dose maximum < 3 months 10,000 IU, 3–12 months 50,000 IU, 1–12 years 150,000 IU
 * (strictly above = warning; from 13 years the adult bolus rows: > 100,000 info, ≥ 300,000 warning); toxic daily
 * intake below 13 years = above the treatment maximum (0–12 months > 2,000, 1–12 years > 6,000 IU/day).
 * Mg 2.0 measured 3 days ago is reassuring, so the repletion pattern stays silent in the order cases.
 */
import { adult, child, draft, iu, lab, PRODUCT, takes } from "./kit";
import type { Situation } from "./situation";

const T = "vitamin-d-toxicity" as const;
const ORDER_LABS = () => [lab.ca(9.4, 3), lab.mg(2.0, 3), lab.vitD(22, 10)];
const bolusDraft = (units: number) => draft("draft-d3-bolus", PRODUCT.d3, iu(units, "once", `${units.toLocaleString("en-US")} IU once`));
const dailyFor6Months = (units: number) => takes(PRODUCT.d3, iu(units, "day"), { startDays: 180 });

export const childrenSituations: Situation[] = [
  {
    name: "4-month-old, one-time 100,000 IU ordered (maximum 50,000 at 3–12 months) → warning, remove the draft",
    covers: "children's single-dose maximum (3–12 months)",
    hook: "order-sign",
    patient: child(4, "Noor"),
    resources: ORDER_LABS(),
    drafts: [bolusDraft(100000)],
    cards: [
      {
        topic: T,
        indicator: "warning",
        rule: "toxicity.bolus-above-pediatric-max",
        summaryHas: ["100,000", "> 50,000 IU"],
        draftAction: "draft-d3-bolus",
      },
    ],
  },
  {
    name: "2-month-old, one-time 15,000 IU ordered (maximum 10,000 below 3 months) → warning",
    covers: "children's single-dose maximum (< 3 months)",
    hook: "order-sign",
    patient: child(2, "Ilse"),
    resources: ORDER_LABS(),
    drafts: [bolusDraft(15000)],
    cards: [
      {
        topic: T,
        indicator: "warning",
        rule: "toxicity.bolus-above-pediatric-max",
        summaryHas: ["15,000", "> 10,000 IU"],
        textHas: [/0-3 months/],
      },
    ],
  },
  {
    name: "2-month-old, one-time 10,000 IU ordered (exactly the maximum, the rule is strictly above) → no card",
    covers: "children's single-dose maximum: comparator >",
    hook: "order-sign",
    patient: child(2, "Ilse"),
    resources: ORDER_LABS(),
    drafts: [bolusDraft(10000)],
    cards: [],
  },
  {
    name: "5-year-old, one-time 150,000 IU ordered (the 1–12 year maximum, not above it) → no card, no adult bolus row",
    covers: "children's single-dose maximum replaces the adult > 100,000 row",
    hook: "order-sign",
    patient: child(60, "Tomas"),
    resources: ORDER_LABS(),
    drafts: [bolusDraft(150000)],
    cards: [],
  },
  {
    name: "5-year-old, one-time 200,000 IU ordered (maximum 150,000 at 1–12 years) → warning",
    covers: "children's single-dose maximum (1–12 years)",
    hook: "order-sign",
    patient: child(60, "Tomas"),
    resources: ORDER_LABS(),
    drafts: [bolusDraft(200000)],
    cards: [
      {
        topic: T,
        indicator: "warning",
        rule: "toxicity.bolus-above-pediatric-max",
        summaryHas: ["200,000", "> 150,000 IU"],
        draftAction: "draft-d3-bolus",
      },
    ],
  },
  {
    name: "14-year-old, one-time 150,000 IU ordered → info by the adult bolus row (> 100,000)",
    covers: "from 13 years the adult bolus rows apply",
    hook: "order-sign",
    patient: child(14 * 12, "Mira"),
    resources: ORDER_LABS(),
    drafts: [bolusDraft(150000)],
    cards: [{ topic: T, indicator: "info", rule: "toxicity.bolus-high", summaryHas: ["150,000"] }],
  },
  {
    name: "6-year-old on D3 6,000 IU daily for 6 months (standard rickets treatment), no calcium → no card",
    covers: "children's toxic intake is above 6,000 IU/day at 1–12 years: 6,000 does not alert",
    patient: child(72, "Sami"),
    resources: [dailyFor6Months(6000), lab.vitD(40, 60)],
    cards: [],
  },
  {
    name: "10-year-old on D3 6,500 IU daily for 6 months, no calcium → warning; the card says above 6,000 IU/day",
    covers: "children's toxic intake (1–12 years, > 6,000), toxicity row 5, comparator wording",
    patient: child(120, "Lena"),
    resources: [dailyFor6Months(6500), lab.vitD(60, 60)],
    cards: [
      {
        topic: T,
        indicator: "warning",
        rule: "toxicity.prolonged-high-dose-unmonitored",
        textHas: [/Intake above 6,000 IU\/day for months/, /toxic intake > 6,000 IU\/day, single dose > 150,000 IU/],
        textLacks: [/at or above 6,000/],
      },
    ],
  },
  {
    name: "8-month-old on D3 2,500 IU daily for 6 months, no calcium → warning (toxic above 2,000 IU/day below 12 months)",
    covers: "children's toxic intake (0–12 months, > 2,000)",
    patient: child(8, "Juno"),
    resources: [dailyFor6Months(2500), lab.vitD(55, 60)],
    cards: [
      {
        topic: T,
        indicator: "warning",
        rule: "toxicity.prolonged-high-dose-unmonitored",
        textHas: [/6-12 months/, /toxic intake > 2,000 IU\/day/],
      },
    ],
  },
  {
    name: "8-year-old, D3 6,000 IU daily ordered for rickets (25(OH)D 8) → no card",
    covers: "children's toxic intake: treatment doses being ordered do not alert",
    hook: "order-sign",
    patient: child(96, "Ravi"),
    resources: [lab.ca(9.4, 3), lab.mg(2.0, 3), lab.vitD(8, 10)],
    drafts: [draft("draft-d3-daily", PRODUCT.d3, iu(6000, "day"))],
    cards: [],
  },
  {
    name: "5-year-old, D3 7,000 IU daily ordered → info; the summary says > 6,000 IU/day",
    covers: "children's toxic intake being ordered, toxicity row 7, comparator in the summary",
    hook: "order-sign",
    patient: child(60, "Tomas"),
    resources: [lab.ca(9.4, 3), lab.mg(2.0, 3), lab.vitD(8, 10)],
    drafts: [draft("draft-d3-daily", PRODUCT.d3, iu(7000, "day"))],
    cards: [{ topic: T, indicator: "info", rule: "toxicity.high-dose-ordered", summaryHas: ["> 6,000 IU/day"], summaryLacks: ["≥"] }],
  },
  {
    name: "adult, D3 10,000 IU daily ordered → info; the summary says ≥ 10,000 IU/day",
    covers: "adult toxic intake is at or above 10,000: the comparator in the summary",
    hook: "order-sign",
    patient: adult(50, "female"),
    resources: [lab.ca(9.4, 3), lab.mg(2.0, 3), lab.vitD(8, 10)],
    drafts: [draft("draft-d3-daily", PRODUCT.d3, iu(10000, "day"))],
    cards: [{ topic: T, indicator: "info", rule: "toxicity.high-dose-ordered", summaryHas: ["≥ 10,000 IU/day"] }],
  },
];

const caRange = (value: number, low: number, high: number) => lab.ca(value, 2, { referenceRange: { low, high } });
const onD3 = () => takes(PRODUCT.d3, iu(2000, "day"), { startDays: 300 });

export const calciumRangeSituations: Situation[] = [
  {
    name: "D3 2,000 IU daily, Ca 10.7 within the lab's range 8.6–10.8 → info instead of warning",
    covers: "§10 lab reference range on the high-calcium rows",
    resources: [onD3(), caRange(10.7, 8.6, 10.8), lab.vitD(40, 2)],
    cards: [
      {
        topic: T,
        indicator: "info",
        rule: "toxicity.ca-high-with-vitamin-d",
        textHas: [/Ca within the lab's reference range \(8\\?\.6–10\.8 mg\/dL\)/],
      },
    ],
  },
  {
    name: "D3 2,000 IU daily, Ca 10.7 flagged N by the lab (no range) → info",
    covers: "§10 the lab's interpretation N on a high calcium",
    resources: [onD3(), lab.ca(10.7, 2, { interpretation: "N" }), lab.vitD(40, 2)],
    cards: [{ topic: T, indicator: "info", rule: "toxicity.ca-high-with-vitamin-d" }],
  },
  {
    name: "D3 2,000 IU daily, Ca 10.9 above the lab's range 8.6–10.8 → warning as before",
    covers: "§10 a calcium the lab calls high keeps its level",
    resources: [onD3(), caRange(10.9, 8.6, 10.8), lab.vitD(40, 2)],
    cards: [{ topic: T, indicator: "warning", rule: "toxicity.ca-high-with-vitamin-d", textLacks: [/within the lab's reference range/] }],
  },
  {
    name: "D3 2,000 IU daily, Ca 12.4 inside an unusually wide lab range 8.0–12.5 → critical stays critical",
    covers: "§10 critical rows are never lowered",
    resources: [onD3(), caRange(12.4, 8.0, 12.5), lab.vitD(40, 2)],
    cards: [{ topic: T, indicator: "critical", rule: "toxicity.ca-high-with-vitamin-d" }],
  },
];

/** Run with `labs.respectLabReferenceRange: false`. */
export const calciumRangeOffSituations: Situation[] = [
  {
    name: "D3 2,000 IU daily, Ca 10.7 within the lab's range 8.6–10.8, labs.respectLabReferenceRange false → warning",
    covers: "§10 lab reference range switched off (calcium high)",
    resources: [onD3(), caRange(10.7, 8.6, 10.8), lab.vitD(40, 2)],
    cards: [{ topic: T, indicator: "warning", rule: "toxicity.ca-high-with-vitamin-d", textLacks: [/within the lab's reference range/] }],
  },
];
