/** Patients for whom no row of either docs/clinical-logic.md §2–§3 table matches: the answer is `{"cards": []}`. */
import { dose, draft, iu, lab, ordered, PRODUCT, takes } from "./kit";
import type { Situation } from "./situation";

const normalLabs = (days: number) => [lab.vitD(34, days), lab.ca(9.4, days), lab.mg(2.0, days)];

export const normalSituations: Situation[] = [
  {
    name: "empty chart (no labs, medications or conditions) → no card",
    covers: "normal",
    resources: [],
    cards: [],
  },
  {
    name: "no vitamin D, normal 25(OH)D, Ca, Mg → no card",
    covers: "normal",
    resources: normalLabs(30),
    cards: [],
  },
  {
    name: "D3 1,000 IU daily for years, 25(OH)D 38, Ca 9.5 → no card",
    covers: "normal (modest dose)",
    resources: [takes(PRODUCT.d3, iu(1000, "day"), { startDays: 1500 }), lab.vitD(38, 60), lab.ca(9.5, 60)],
    cards: [],
  },
  {
    name: "D3 50,000 IU weekly for 6 months (not recent), 25(OH)D 45, Ca 9.6, Mg 2.0 → no card",
    covers: "normal (high dose not recently started, not toxic)",
    resources: [takes(PRODUCT.d3Capsule50k, iu(50000, "week"), { startDays: 180 }), lab.vitD(45, 20), lab.ca(9.6, 20), lab.mg(2.0, 20)],
    cards: [],
  },
  {
    name: "adult on D3 3,500 IU daily for 20 days (below the adult 4,000 limit), 25(OH)D 12 → no card",
    covers: "normal (adult limit; compare the 6-year-old situation)",
    resources: [takes(PRODUCT.d3, iu(3500, "day"), { startDays: 20 }), lab.vitD(12, 25)],
    cards: [],
  },
  {
    name: "calcitriol 0.25 mcg daily in CKD (eGFR 24) with Ca 9.2 → no card",
    covers: "normal (active vitamin D never triggers repletion-cramp; Ca normal)",
    resources: [ordered(PRODUCT.calcitriol, dose(0.25, "mcg", "day"), { startDays: 400 }), lab.ca(9.2, 10), lab.egfr(24, 10)],
    cards: [],
  },
  {
    name: "atorvastatin calcium, omeprazole and Tums but no vitamin D, normal labs → no card",
    covers: "normal (modifiers without vitamin D)",
    resources: [
      takes(PRODUCT.atorvastatin, dose(20, "mg", "day"), { startDays: 900 }),
      takes(PRODUCT.omeprazole, dose(20, "mg", "day"), { startDays: 900 }),
      takes(PRODUCT.tums, dose(1, "tablet", "day"), { startDays: 300 }),
      ...normalLabs(40),
    ],
    cards: [],
  },
  {
    name: "D3 1,000 IU daily with digoxin and normal labs → no card",
    covers: "normal (digoxin only raises an existing card)",
    resources: [
      takes(PRODUCT.d3, iu(1000, "day"), { startDays: 700 }),
      takes(PRODUCT.digoxin, dose(0.125, "mg", "day"), { startDays: 700 }),
      ...normalLabs(15),
    ],
    cards: [],
  },
  {
    name: "order-sign D3 2,000 IU daily with normal labs → no card",
    covers: "normal (modest dose ordered)",
    hook: "order-sign",
    resources: normalLabs(20),
    drafts: [draft("draft-d3-2000", PRODUCT.d3, iu(2000, "day"))],
    cards: [],
  },
  {
    name: "order-select omeprazole for a patient on D3 1,000 IU daily → no card",
    covers: "normal (non-vitamin-D order)",
    hook: "order-select",
    resources: [takes(PRODUCT.d3, iu(1000, "day"), { startDays: 700 }), ...normalLabs(20)],
    drafts: [draft("draft-omeprazole", PRODUCT.omeprazole, dose(20, "mg", "day"))],
    cards: [],
  },
];
