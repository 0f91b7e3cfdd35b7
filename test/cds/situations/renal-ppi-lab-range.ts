/**
 * docs/clinical-logic.md §10 through the real HTTP pipeline: renal function (reported or computed eGFR,
 * CKD 4–5, kidney failure, dialysis), PPIs as a Mg-loss risk only after 12 months, and the lab's own
 * reference range. Expectations worked out by hand from the clinical lead's decisions (CKD-EPI 2021 values
 * by calculator: 142 × min(Scr/κ,1)^α × max(Scr/κ,1)^−1.200 × 0.9938^age × 1.012 if female).
 * 50,000 IU weekly = 7,143 IU/day: high-dose (> 4,000), below the toxic intake (10,000), so only
 * repletion-cramp speaks; Ca stays normal.
 */
import { observation } from "../../fixtures/fhir/builders";
import { adult, ago, child, cond, dose, iu, lab, ordered, PRODUCT, takes } from "./kit";
import { CA_CODES, IONIZED_CODES, MG_CODES, type Situation } from "./situation";

const R = "repletion-cramp" as const;
const weekly50k = (startDays: number) => takes(PRODUCT.d3Capsule50k, iu(50000, "week", "1 capsule by mouth once weekly"), { startDays });
const omeprazole = (startDays?: number) => takes(PRODUCT.omeprazole, dose(20, "mg", "day"), startDays !== undefined ? { startDays } : {});
const POTASSIUM = ["2823-3"];
const LOW_RENAL = "renal impairment: replace Mg only with monitoring (hypermagnesemia risk)";
const SEVERE_RENAL = "renal impairment: replace Mg with caution (IV under monitoring); check K, Ca, ECG";

export const renalSituations: Situation[] = [
  {
    name: "eGFR 22 reported under 88293-6, Mg 1.4, D3 50,000 IU weekly started 3 weeks ago → warning whose summary suggests no supplement, no MedicationRequest draft",
    covers: "§10 renal row (eGFR < 30), CKD-EPI 2009 race-specific eGFR code",
    resources: [weekly50k(21), lab.egfrCkdEpi2009Black(22, 2), lab.mg(1.4, 2), lab.vitD(11, 30), lab.ca(9.1, 2)],
    cards: [
      {
        topic: R,
        indicator: "warning",
        rule: "repletion.mg-low-renal",
        summaryHas: ["Mg 1.4", LOW_RENAL],
        summaryLacks: ["supplement"],
        mgSupplement: false,
        orders: [MG_CODES, IONIZED_CODES],
        textHas: [/no supplement is drafted/i, /Renal impairment: eGFR 22/],
      },
    ],
  },
  {
    name: "no eGFR, creatinine 2.8 mg/dL, 70-year-old woman → computed eGFR 18 (< 30) → renal wording, no supplement draft",
    covers: "§10 computed eGFR (CKD-EPI 2021): 142 × 4.0^−1.2 × 0.9938^70 × 1.012 = 17.6 → 18",
    patient: adult(70, "female"),
    resources: [weekly50k(21), lab.creatinine(2.8, 3), lab.mg(1.4, 2), lab.vitD(11, 30), lab.ca(9.1, 2)],
    cards: [
      {
        topic: R,
        indicator: "warning",
        rule: "repletion.mg-low-renal",
        summaryHas: ["Mg 1.4", LOW_RENAL],
        summaryLacks: ["supplement"],
        mgSupplement: false,
        textHas: [
          /\| eGFR computed \(CKD-EPI 2021\) from creatinine \| 2026-05-29 \| 2\\?\.8 mg\/dL \| 18 mL\/min\/1\.73m2 \|/,
          /Renal impairment: eGFR computed \(CKD-EPI 2021\) from creatinine 2\\?\.8 mg\/dL \(2026-05-29\)/,
        ],
      },
    ],
  },
  {
    name: "no eGFR, creatinine 248 µmol/L (= 2.81 mg/dL), 70-year-old woman → computed eGFR 18 → renal wording",
    covers: "§10 computed eGFR from a creatinine in µmol/L: 142 × (2.81/0.7)^−1.2 × 0.9938^70 × 1.012 = 17.5 → 18",
    patient: adult(70, "female"),
    resources: [weekly50k(21), lab.creatinineUmol(248, 3), lab.mg(1.4, 2), lab.vitD(11, 30), lab.ca(9.1, 2)],
    cards: [
      {
        topic: R,
        indicator: "warning",
        rule: "repletion.mg-low-renal",
        summaryHas: [LOW_RENAL],
        mgSupplement: false,
        textHas: [/\| 248 umol\/L \| 18 mL\/min\/1\.73m2 \|/],
      },
    ],
  },
  {
    name: "no eGFR, creatinine 2.8 mg/dL, 70-year-old man → computed eGFR 24 (< 30) → renal wording",
    covers: "§10 computed eGFR, male: 142 × (2.8/0.9)^−1.2 × 0.9938^70 = 23.5 → 24",
    patient: adult(70, "male", "Samuel"),
    resources: [weekly50k(21), lab.creatinine(2.8, 3), lab.mg(1.4, 2), lab.vitD(11, 30), lab.ca(9.1, 2)],
    cards: [
      {
        topic: R,
        indicator: "warning",
        rule: "repletion.mg-low-renal",
        summaryHas: [LOW_RENAL],
        mgSupplement: false,
        textHas: [/\| 2\\?\.8 mg\/dL \| 24 mL\/min\/1\.73m2 \|/],
      },
    ],
  },
  {
    name: "creatinine 1.2 mg/dL, 70-year-old woman → computed eGFR 49 (not severe) → ordinary Mg row with a supplement draft, eGFR shown",
    covers: "§10 computed eGFR ≥ 30: 142 × (1.2/0.7)^−1.2 × 0.9938^70 × 1.012 = 48.7 → 49",
    patient: adult(70, "female"),
    resources: [weekly50k(21), lab.creatinine(1.2, 3), lab.mg(1.4, 2), lab.vitD(11, 30), lab.ca(9.1, 2)],
    cards: [
      {
        topic: R,
        indicator: "warning",
        rule: "repletion.mg-low",
        summaryHas: ["supplement"],
        mgSupplement: true,
        textHas: [/\| 1\\?\.2 mg\/dL \| 49 mL\/min\/1\.73m2 \| context \|/],
      },
    ],
  },
  {
    name: "creatinine 2.8 mg/dL in a 16-year-old (no eGFR computed below 18) → ordinary Mg row; the card says renal function was not assessed",
    covers: "§10 computed eGFR: adults only",
    patient: child(16 * 12 + 2, "Maya"),
    resources: [weekly50k(21), lab.creatinine(2.8, 3), lab.mg(1.4, 2), lab.vitD(11, 30), lab.ca(9.1, 2)],
    cards: [
      {
        topic: R,
        indicator: "warning",
        rule: "repletion.mg-low",
        textHas: [/No current eGFR, and none computed from creatinine 2\\?\.8 mg\/dL/],
      },
    ],
  },
  {
    name: "dialysis (Z99.2) on the problem list, Mg 1.1 → critical; the summary says replace with caution (IV under monitoring), check K, Ca, ECG",
    covers: "§10 severe renal row: dependence on renal dialysis (ICD-10-CM Z99.2) counts as eGFR < 15",
    resources: [weekly50k(21), cond.dialysisZ99(700), lab.mg(1.1, 1), lab.vitD(11, 30), lab.ca(9.0, 1)],
    cards: [
      {
        topic: R,
        indicator: "critical",
        rule: "repletion.mg-severe-renal",
        summaryHas: ["Mg 1.1", SEVERE_RENAL],
        summaryLacks: ["supplement", "consider IV"],
        mgSupplement: false,
        orders: [MG_CODES, POTASSIUM, IONIZED_CODES],
        textHas: [/Renal impairment: Dependence on renal dialysis/],
      },
    ],
  },
  {
    name: "encounter for hemodialysis adequacy testing (Z49.31), Mg 1.5 → warning with renal wording",
    covers: "§10 renal row: ICD-10-CM Z49.* (encounter for dialysis) as a prefix",
    resources: [weekly50k(21), cond.dialysisEncounter(30), lab.mg(1.5, 2), lab.vitD(11, 30), lab.ca(9.0, 2)],
    cards: [{ topic: R, indicator: "warning", rule: "repletion.mg-low-renal", summaryHas: [LOW_RENAL], mgSupplement: false }],
  },
  {
    name: "dependence on renal dialysis (SNOMED CT 105502003), Mg 1.5 → warning with renal wording",
    covers: "§10 renal row: SNOMED CT dialysis dependence (finding)",
    resources: [weekly50k(21), cond.dialysisDependence(700), lab.mg(1.5, 2), lab.vitD(11, 30), lab.ca(9.0, 2)],
    cards: [{ topic: R, indicator: "warning", rule: "repletion.mg-low-renal", summaryHas: [LOW_RENAL], mgSupplement: false }],
  },
  {
    name: "end stage renal failure on dialysis (SNOMED CT 236435004), Mg 1.0 → critical with renal caution wording",
    covers: "§10 severe renal row: SNOMED CT end stage renal failure on dialysis (disorder)",
    resources: [weekly50k(21), cond.esrdOnDialysis(700), lab.mg(1.0, 2), lab.vitD(11, 30), lab.ca(9.0, 2)],
    cards: [{ topic: R, indicator: "critical", rule: "repletion.mg-severe-renal", summaryHas: [SEVERE_RENAL], mgSupplement: false }],
  },
  {
    name: "CKD stage 5 on dialysis (SNOMED CT 714152005), Mg 1.5 → warning with renal wording",
    covers: "§10 renal row: SNOMED CT CKD stage 5 on dialysis (disorder)",
    resources: [weekly50k(21), cond.ckd5OnDialysis(700), lab.mg(1.5, 2), lab.vitD(11, 30), lab.ca(9.0, 2)],
    cards: [{ topic: R, indicator: "warning", rule: "repletion.mg-low-renal", summaryHas: [LOW_RENAL], mgSupplement: false }],
  },
  {
    name: "renal impairment (eGFR 22) without active vitamin D → no active-vitamin-D note",
    covers: "§10: the active vitamin D note only when an active vitamin D product is present",
    resources: [weekly50k(21), lab.egfr(22, 2), lab.mg(1.4, 2), lab.vitD(11, 30), lab.ca(9.1, 2)],
    cards: [{ topic: R, indicator: "warning", rule: "repletion.mg-low-renal", textLacks: [/active vitamin D/i, /hypercalcemia risk/i] }],
  },
  {
    name: "renal impairment (eGFR 22) with calcitriol → the card says active vitamin D raises hypercalcemia risk and names it",
    covers: "§10: the active vitamin D note when calcitriol is taken",
    resources: [
      weekly50k(21),
      takes(PRODUCT.calcitriol, dose(0.25, "mcg", "day"), { startDays: 300 }),
      lab.egfr(22, 2),
      lab.mg(1.4, 2),
      lab.vitD(11, 30),
      lab.ca(9.1, 2),
    ],
    cards: [
      {
        topic: R,
        indicator: "warning",
        rule: "repletion.mg-low-renal",
        textHas: [/active vitamin D raises hypercalcemia risk/i, /Active vitamin D \(hypercalcemia risk at any dose\): calcitriol/],
      },
    ],
  },
];

export const ppiSituations: Situation[] = [
  {
    name: "omeprazole started 2 months ago, D3 50,000 IU weekly started 3 weeks ago, no Mg, no cramps, 25(OH)D 14 → info (not warning)",
    covers: "§10 PPI < 12 months is not a Mg-loss risk: repletion row 5 instead of row 4",
    resources: [weekly50k(21), omeprazole(60), lab.vitD(14, 30), lab.ca(9.2, 30)],
    cards: [
      {
        topic: R,
        indicator: "info",
        rule: "repletion.no-mg-deficiency",
        orders: [MG_CODES],
        textHas: [/PPI started recently/i],
        summaryLacks: ["Mg-loss risk"],
      },
    ],
  },
  {
    name: "omeprazole for 2 years, D3 50,000 IU weekly started 3 weeks ago, no Mg → warning as today",
    covers: "§10 PPI ≥ 12 months: repletion row 4",
    resources: [weekly50k(21), omeprazole(730), lab.vitD(14, 30), lab.ca(9.2, 30)],
    cards: [{ topic: R, indicator: "warning", rule: "repletion.no-mg-cramps-or-risk", summaryHas: ["Mg-loss risk (omeprazole"] }],
  },
  {
    name: "omeprazole with unknown start, D3 50,000 IU weekly started 3 weeks ago, no Mg → warning",
    covers: "§10 PPI with an unknown start counts (taken for an unknown time)",
    resources: [weekly50k(21), omeprazole(), lab.vitD(14, 30), lab.ca(9.2, 30)],
    cards: [{ topic: R, indicator: "warning", rule: "repletion.no-mg-cramps-or-risk" }],
  },
  {
    name: "omeprazole order renewed 2 months ago, the first order (2 years ago) completed → long-term use → warning",
    covers: "§10 PPI use counted from the earliest recorded PPI start",
    resources: [
      weekly50k(21),
      ordered(PRODUCT.omeprazole, dose(20, "mg", "day"), { startDays: 60 }),
      ordered(PRODUCT.omeprazole, dose(20, "mg", "day"), { startDays: 730, endDays: 60, status: "completed" }),
      lab.vitD(14, 30),
    ],
    cards: [{ topic: R, indicator: "warning", rule: "repletion.no-mg-cramps-or-risk" }],
  },
  {
    name: "furosemide started 2 months ago, D3 50,000 IU weekly started 3 weeks ago, no Mg → warning (diuretics unchanged)",
    covers: "§10 only PPIs need 12 months",
    resources: [weekly50k(21), takes(PRODUCT.furosemide, dose(40, "mg", "day"), { startDays: 60 }), lab.vitD(14, 30)],
    cards: [{ topic: R, indicator: "warning", rule: "repletion.no-mg-cramps-or-risk" }],
  },
];

const mgRange = (value: number, days: number, low: number, high: number) => lab.mg(value, days, { referenceRange: { low, high } });

export const labRangeSituations: Situation[] = [
  {
    name: "Mg 1.6 with the lab's range 1.6–2.6 on D3 50,000 IU weekly → info; the card says it is within the lab's reference range",
    covers: "§10 lab reference range: a warning row one level lower",
    resources: [weekly50k(21), mgRange(1.6, 2, 1.6, 2.6), lab.vitD(11, 30), lab.ca(9.1, 2)],
    cards: [
      {
        topic: R,
        indicator: "info",
        rule: "repletion.mg-low",
        summaryHas: ["Mg 1.6"],
        mgSupplement: true,
        textHas: [/within the lab's reference range \(1\\?\.6–2\.6 mg\/dL\)/],
      },
    ],
  },
  {
    name: "Mg 0.66 mmol/L with the lab's range 0.66–1.07 mmol/L (= 1.6–2.6 mg/dL) → info",
    covers: "§10 lab reference range, converted to mg/dL with the value",
    resources: [weekly50k(21), lab.mgMoles(0.66, 2, { referenceRange: { low: 0.66, high: 1.07 } }), lab.vitD(11, 30), lab.ca(9.1, 2)],
    cards: [
      { topic: R, indicator: "info", rule: "repletion.mg-low", textHas: [/within the lab's reference range \(1\\?\.6–2\.6 mg\/dL\)/] },
    ],
  },
  {
    name: "Mg 1.6 flagged N by the lab (no range given) → info",
    covers: "§10 lab reference range: interpretation N",
    resources: [
      weekly50k(21),
      observation({ loinc: "19123-9", value: 1.6, unit: "mg/dL", interpretation: "N", date: ago(2) }),
      lab.vitD(11, 30),
    ],
    cards: [{ topic: R, indicator: "info", rule: "repletion.mg-low" }],
  },
  {
    name: "Mg 1.1 with the lab's range 1.0–2.6 → still critical",
    covers: "§10 lab reference range: critical rows stay critical",
    resources: [weekly50k(21), mgRange(1.1, 2, 1.0, 2.6), lab.vitD(11, 30), lab.ca(9.1, 2)],
    cards: [{ topic: R, indicator: "critical", rule: "repletion.mg-severe", summaryHas: ["Mg 1.1"] }],
  },
  {
    name: "Mg 1.5 below the lab's range 1.6–2.6 → warning",
    covers: "§10 lab reference range: a value the lab calls low keeps its level",
    resources: [weekly50k(21), mgRange(1.5, 2, 1.6, 2.6), lab.vitD(11, 30), lab.ca(9.1, 2)],
    cards: [{ topic: R, indicator: "warning", rule: "repletion.mg-low", textLacks: [/within the lab's reference range/] }],
  },
  {
    name: "total Ca 8.3 (no albumin) within the lab's range 8.2–10.2, Mg 2.0 after the start → info low-calcium row",
    covers: "§10 lab reference range applies to calcium too",
    resources: [weekly50k(21), lab.ca(8.3, 2, { referenceRange: { low: 8.2, high: 10.2 } }), lab.mg(2.0, 2), lab.vitD(11, 30)],
    cards: [
      {
        topic: R,
        indicator: "info",
        rule: "repletion.ca-low",
        orders: [MG_CODES, CA_CODES],
        textHas: [/Ca within the lab's reference range \(8\\?\.2–10\.2 mg\/dL\)/],
      },
    ],
  },
];

/** Run with `labs.respectLabReferenceRange: false`: the lab's range no longer lowers a row. */
export const labRangeOffSituations: Situation[] = [
  {
    name: "Mg 1.6 with the lab's range 1.6–2.6, labs.respectLabReferenceRange false → warning as before",
    covers: "§10 lab reference range switched off",
    resources: [weekly50k(21), mgRange(1.6, 2, 1.6, 2.6), lab.vitD(11, 30), lab.ca(9.1, 2)],
    cards: [
      { topic: R, indicator: "warning", rule: "repletion.mg-low", mgSupplement: true, textLacks: [/within the lab's reference range/] },
    ],
  },
];
