/**
 * docs/clinical-logic.md §2–§3 `repletion-cramp`: a high-dose regimen (> 4,000 IU/day) started within 90 days or
 * being ordered. Each situation keeps Ca normal and 25(OH)D ≤ 100 so the toxicity pattern stays silent.
 * 50,000 IU weekly = 7,143 IU/day (high-dose, below the 10,000 IU/day toxic intake).
 */
import { observation } from "../../fixtures/fhir/builders";
import { ago, child, cond, dose, draft, iu, lab, ordered, PRODUCT, takes } from "./kit";
import { MG_CODES, type Situation } from "./situation";

const weekly50k = (startDays: number) => takes(PRODUCT.d3Capsule50k, iu(50000, "week", "1 capsule by mouth once weekly"), { startDays });
const R = "repletion-cramp" as const;

export const repletionSituations: Situation[] = [
  {
    name: "Mg 1.1 mg/dL 3 wks after starting D3 50,000 IU weekly for 25(OH)D 11 → critical, Mg supplement",
    covers: "repletion row 1 (Mg < 1.2)",
    resources: [weekly50k(21), lab.vitD(11, 35), lab.mg(1.1, 2), lab.ca(9.0, 2), lab.albumin(4.0, 2)],
    cards: [{ topic: R, indicator: "critical", rule: "repletion.mg-severe", summaryHas: ["1.1"], mgSupplement: true }],
  },
  {
    name: "Mg 1.5 mg/dL 4 wks after starting cholecalciferol 50,000 IU weekly → warning, Mg supplement",
    covers: "repletion row 2 (Mg < 1.7)",
    resources: [takes(PRODUCT.d3, iu(50000, "week"), { startDays: 28 }), lab.vitD(14, 40), lab.mg(1.5, 3), lab.ca(9.3, 3)],
    cards: [{ topic: R, indicator: "warning", rule: "repletion.mg-low", summaryHas: ["1.5"], mgSupplement: true }],
  },
  {
    name: "corrected Ca 7.84 (total 8.0, albumin 4.2) with normal Mg after the start → warning, no Mg supplement",
    covers: "repletion row 3 (low corrected calcium)",
    resources: [weekly50k(28), lab.vitD(9, 40), lab.ca(8.0, 4), lab.albumin(4.2, 4), lab.mg(1.9, 4)],
    cards: [{ topic: R, indicator: "warning", rule: "repletion.ca-low", mgSupplement: false }],
  },
  {
    name: "ionized Ca 1.05 mmol/L newer than a normal total Ca 8.9, Mg 2.0 after the start → warning",
    covers: "repletion row 3 (ionized < 1.12 decides)",
    resources: [
      ordered(PRODUCT.d3, iu(50000, "week"), { startDays: 30 }),
      lab.vitD(12, 45),
      lab.ca(8.9, 10),
      lab.ionized(1.05, 5),
      lab.mg(2.0, 5),
    ],
    cards: [{ topic: R, indicator: "warning", rule: "repletion.ca-low" }],
  },
  {
    name: "low Ca 8.1 and low Mg 1.5 together → one warning card (Mg row first)",
    covers: "repletion rows 2+3, one card per pattern",
    resources: [weekly50k(25), lab.vitD(10, 40), lab.ca(8.1, 3), lab.mg(1.5, 3)],
    cards: [{ topic: R, indicator: "warning", rule: "repletion.mg-low", summaryHas: ["1.5"] }],
  },
  {
    name: "no Mg result, sleep-related leg cramps (G47.62) for 10 days → warning 'check magnesium'",
    covers: "repletion row 4 (cramps, no reassuring Mg)",
    resources: [weekly50k(30), lab.vitD(16, 45), lab.ca(9.4, 45), cond.sleepLegCramps(10)],
    cards: [
      {
        topic: R,
        indicator: "warning",
        rule: "repletion.no-mg-cramps-or-risk",
        textHas: [/check magnesium/i],
        orders: [MG_CODES],
        mgSupplement: false,
      },
    ],
  },
  {
    name: "no Mg result, on omeprazole (PPI) → warning 'check magnesium'",
    covers: "repletion row 4 (Mg-loss drug)",
    resources: [weekly50k(25), takes(PRODUCT.omeprazole, dose(20, "mg", "day"), { startDays: 700 }), lab.vitD(15, 40), lab.ca(9.2, 40)],
    cards: [{ topic: R, indicator: "warning", rule: "repletion.no-mg-cramps-or-risk", orders: [MG_CODES] }],
  },
  {
    name: "normal Mg 2.0 drawn 60 days before the start (not a baseline), on furosemide → warning",
    covers: "repletion row 4 (Mg not reassuring: > 30 days before start)",
    resources: [weekly50k(20), lab.mg(2.0, 80), takes(PRODUCT.furosemide, dose(40, "mg", "day"), { startDays: 400 }), lab.vitD(13, 85)],
    cards: [{ topic: R, indicator: "warning", rule: "repletion.no-mg-cramps-or-risk" }],
  },
  {
    name: "Mg 2.1 older than the 90-day window, calf spasm (M62.831) for 14 days → warning",
    covers: "repletion row 4 (stale Mg), cramps ICD-10-CM",
    resources: [weekly50k(40), lab.mg(2.1, 120), cond.calfSpasm(14), lab.vitD(25, 60)],
    cards: [{ topic: R, indicator: "warning", rule: "repletion.no-mg-cramps-or-risk" }],
  },
  {
    name: "no Mg result, bariatric surgery status (Z98.84) → warning",
    covers: "repletion row 4 (malabsorption / bariatric risk)",
    resources: [weekly50k(15), cond.bariatric(1100), lab.vitD(18, 30)],
    cards: [{ topic: R, indicator: "warning", rule: "repletion.no-mg-cramps-or-risk" }],
  },
  {
    name: "no Mg result, 25(OH)D 14 ng/mL, no cramps, no risk → info 'consider checking magnesium'",
    covers: "repletion row 5",
    resources: [weekly50k(14), lab.vitD(14, 20), lab.ca(9.4, 20)],
    cards: [{ topic: R, indicator: "info", rule: "repletion.no-mg-deficiency", textHas: [/magnesium/i], orders: [MG_CODES] }],
  },
  {
    name: "25(OH)D reported as valueString '<5' (unit from its ng/mL reference range) → deficiency documented → info",
    covers: "repletion row 5, '<5' comparator",
    resources: [
      weekly50k(10),
      observation({
        loinc: "62292-8",
        valueString: "<5",
        unit: "ng/mL",
        referenceRange: { low: 30, high: 100 },
        interpretation: "LL",
        date: ago(18),
      }),
    ],
    cards: [{ topic: R, indicator: "info", rule: "repletion.no-mg-deficiency" }],
  },
  {
    name: "25(OH)D3 45 nmol/L (14635-7) = 18.0 ng/mL → deficiency documented → info",
    covers: "repletion row 5, nmol/L input",
    resources: [weekly50k(12), lab.vitD3Nmol(45, 20)],
    cards: [{ topic: R, indicator: "info", rule: "repletion.no-mg-deficiency" }],
  },
  {
    name: "low Mg 1.1 but drawn 120 days ago (stale), 25(OH)D 14 → info, not critical",
    covers: "repletion row 5 (stale Mg ignored)",
    resources: [weekly50k(20), lab.mg(1.1, 120), lab.vitD(14, 25)],
    cards: [{ topic: R, indicator: "info", rule: "repletion.no-mg-deficiency" }],
  },
  {
    name: "pre-treatment 25(OH)D 12 (200 days ago) then 24 on treatment → deficiency still documented → info",
    covers: "repletion row 5 (deficiency within 365 days counts)",
    resources: [weekly50k(60), lab.vitD(12, 200), lab.vitD(24, 10)],
    cards: [{ topic: R, indicator: "info", rule: "repletion.no-mg-deficiency" }],
  },
  {
    name: "D3 50,000 IU weekly for 2 wks, no labs at all → no card",
    covers: "repletion row 6",
    resources: [weekly50k(14)],
    cards: [],
  },
  {
    name: "only deficiency value is 400 days old → no card",
    covers: "repletion row 6 (deficiency older than 365 days)",
    resources: [weekly50k(14), lab.vitD(10, 400)],
    cards: [],
  },
  {
    name: "cramp problem-list entry from 3 years ago, no Mg, 25(OH)D 26 → no card",
    covers: "repletion row 6 (old cramps are evidence, not a trigger)",
    resources: [weekly50k(20), cond.cramp(1100), lab.vitD(26, 30)],
    cards: [],
  },
  {
    name: "Mg 2.0 after the start, cramp (SNOMED 55300003) for 7 days → info",
    covers: "repletion row 7",
    resources: [weekly50k(21), lab.mg(2.0, 5), cond.cramp(7), lab.vitD(11, 30), lab.ca(9.5, 5)],
    cards: [{ topic: R, indicator: "info", rule: "repletion.normal-mg-cramps" }],
  },
  {
    name: "baseline Mg 1.9 drawn 20 days before the start, leg cramps since → info",
    covers: "repletion row 7 (baseline within 30 days reassures)",
    resources: [weekly50k(30), lab.mg(1.9, 50), cond.sleepLegCramps(10), lab.vitD(13, 50)],
    cards: [{ topic: R, indicator: "info", rule: "repletion.normal-mg-cramps" }],
  },
  {
    name: "baseline Mg 2.0 drawn 20 days before the start, deficient, no cramps → no card",
    covers: "repletion row 8",
    resources: [weekly50k(10), lab.mg(2.0, 30), lab.vitD(14, 30)],
    cards: [],
  },
  {
    name: "6-year-old on D3 3,500 IU daily for 20 days (UL 3,000), 25(OH)D 12 → info with pediatric limits",
    covers: "repletion row 5, pediatric dose limit (4–8 y)",
    patient: child(75),
    resources: [takes(PRODUCT.d3, iu(3500, "day"), { startDays: 20 }), lab.vitD(12, 25)],
    cards: [{ topic: R, indicator: "info", rule: "repletion.no-mg-deficiency", textHas: [/pediatric/i] }],
  },
  {
    name: "4-month-old on D3 1,200 IU daily for 20 days (UL 1,000), 25(OH)D 10 → info with pediatric limits",
    covers: "repletion row 5, pediatric dose limit (0–6 mo)",
    patient: child(4, "Noah"),
    resources: [takes(PRODUCT.d3, iu(1200, "day"), { startDays: 20 }), lab.vitD(10, 25)],
    cards: [{ topic: R, indicator: "info", rule: "repletion.no-mg-deficiency", textHas: [/pediatric/i] }],
  },
];

const draft50k = draft("draft-d3-50k", PRODUCT.d3Capsule50k, iu(50000, "week", "1 capsule by mouth once weekly"));

export const repletionOrderSituations: Situation[] = [
  {
    name: "order-sign D3 50,000 IU weekly for 25(OH)D 9, Mg never measured → info, order Mg",
    covers: "repletion row 5, being ordered",
    hook: "order-sign",
    resources: [lab.vitD(9, 7), lab.ca(9.2, 7)],
    drafts: [draft50k],
    cards: [{ topic: R, indicator: "info", rule: "repletion.no-mg-deficiency", orders: [MG_CODES] }],
  },
  {
    name: "order-select D3 50,000 IU weekly, Mg 1.4 drawn 3 days ago → warning",
    covers: "repletion row 2, being ordered",
    hook: "order-select",
    resources: [lab.vitD(11, 7), lab.mg(1.4, 3), lab.ca(9.1, 3)],
    drafts: [draft50k],
    cards: [{ topic: R, indicator: "warning", rule: "repletion.mg-low", summaryHas: ["1.4"], mgSupplement: true }],
  },
  {
    name: "order-sign D3 50,000 IU weekly for a patient on omeprazole, no Mg → warning",
    covers: "repletion row 4, being ordered",
    hook: "order-sign",
    resources: [lab.vitD(15, 10), takes(PRODUCT.omeprazole, dose(40, "mg", "day"), { startDays: 365 })],
    drafts: [draft50k],
    cards: [{ topic: R, indicator: "warning", rule: "repletion.no-mg-cramps-or-risk" }],
  },
  {
    name: "order-sign ergocalciferol 1.25 mg weekly (Drisdol) for 25(OH)D 13, no Mg → info",
    covers: "repletion row 5, mg dose, ergocalciferol",
    hook: "order-sign",
    resources: [lab.vitD(13, 5)],
    drafts: [draft("draft-d2", PRODUCT.drisdol, dose(1.25, "mg", { code: "WK" }, "1.25 mg by mouth weekly"))],
    cards: [{ topic: R, indicator: "info", rule: "repletion.no-mg-deficiency" }],
  },
  {
    name: "order-sign renewing the unchanged D3 50,000 IU weekly taken for 200 days → continuation, no card",
    covers: "§3 edge case: renewal ≥ 90 days is not a new start",
    hook: "order-sign",
    resources: [ordered(PRODUCT.d3, iu(50000, "week"), { startDays: 200 }), lab.vitD(12, 250), lab.vitD(34, 10), lab.ca(9.5, 10)],
    drafts: [draft("draft-d3-renewal", PRODUCT.d3, iu(50000, "week"))],
    cards: [],
  },
];
