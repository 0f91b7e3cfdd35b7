/**
 * Clinical situations for `repletion-cramp` (clinical-spec §3 table, modifiers, edge cases).
 * Expected outcomes come from the spec tables; each situation also states the toxicity outcome.
 */
import { mergeClinicalConfig } from "../../src/config/clinical-config";
import { alb, ca, condition, corrCa, draft, egfr, facts, ionCa, med, mg, product, vitd, bornYearsAgo } from "./facts-builder";
import type { Situation } from "./situation";

const weekly50k = (startAgo = 21) => product({ weeklyIU: 50_000, startAgo });
const deficient = () => vitd(11, 30);

export const repletionSituations: Situation[] = [
  {
    name: "deficient patient, D3 50,000 IU weekly started 3 weeks ago, Mg 1.4 mg/dL → warning repletion-cramp",
    facts: facts({ labs: [deficient(), mg(1.4, 1)], vitaminD: [weekly50k()] }),
    cramp: "warning:repletion.mg-low",
    tox: null,
    check: ({ cramp }) => {
      expect(cramp?.key).toMatchObject({ role: "magnesium", value: 1.4, daysAfterStart: 20 });
      expect(cramp?.suggestions.map((s) => s.kind)).toEqual(["order-labs", "magnesium-supplement", "continue-vitamin-d"]);
      expect(cramp?.regimen.phase).toBe("recent-start");
    },
  },
  {
    name: "D3 50,000 IU weekly 3 weeks, Mg 1.1 mg/dL → critical (replace Mg, check K and Ca)",
    facts: facts({ labs: [mg(1.1, 1)], vitaminD: [weekly50k()] }),
    cramp: "critical:repletion.mg-severe",
    tox: null,
    check: ({ cramp }) => {
      const labs = cramp?.suggestions.find((s) => s.kind === "order-labs");
      expect(labs && "labs" in labs ? labs.labs.map((l) => l.key) : []).toEqual(["magnesium", "calcium", "potassium", "vitaminD"]);
    },
  },
  {
    name: "Mg 1.5 mg/dL on digoxin → warning raised one level to critical",
    facts: facts({ labs: [mg(1.5, 1)], vitaminD: [weekly50k()], meds: [med(["digoxin"], "digoxin 0.125 MG")] }),
    cramp: "critical:repletion.mg-low",
    tox: null,
    check: ({ cramp }) => expect(cramp?.flags.digoxinRaised).toBe(true),
  },
  {
    name: "Mg reported 0.45 mmol/L (1.09 mg/dL) → critical, evidence keeps the reported unit",
    facts: facts({ labs: [mg(1.09, 2, { original: { value: "0.45", unit: "mmol/L" } })], vitaminD: [weekly50k()] }),
    cramp: "critical:repletion.mg-severe",
    tox: null,
    check: ({ cramp }) => expect(cramp?.evidence[0]).toMatchObject({ original: { value: "0.45", unit: "mmol/L" }, converted: { value: 1.09, unit: "mg/dL" }, trigger: true }),
  },
  {
    name: "normal Mg 2.0 drawn after the start, cramps documented 10 days ago → info (normal Mg does not exclude depletion)",
    facts: facts({ labs: [mg(2.0, 7)], vitaminD: [weekly50k()], conditions: [condition("cramps", 10, "Cramp")] }),
    cramp: "info:repletion.normal-mg-cramps",
    tox: null,
  },
  {
    name: "normal Mg drawn after the start, no cramps, deficiency documented → no card",
    facts: facts({ labs: [deficient(), mg(2.0, 7)], vitaminD: [weekly50k()] }),
    cramp: null,
    tox: null,
  },
  {
    name: "normal Mg drawn 59 days before the start does not reassure; cramps → warning check magnesium",
    facts: facts({ labs: [mg(2.0, 80)], vitaminD: [weekly50k()], conditions: [condition("cramps", 5)] }),
    cramp: "warning:repletion.no-mg-cramps-or-risk",
    tox: null,
    check: ({ cramp }) => expect(cramp?.missing.map((m) => m.code)).toContain("magnesium-not-reassuring"),
  },
  {
    name: "baseline normal Mg 19 days before the start reassures; deficiency only → no card",
    facts: facts({ labs: [deficient(), mg(2.0, 40)], vitaminD: [weekly50k()] }),
    cramp: null,
    tox: null,
  },
  {
    name: "no Mg, 25(OH)D 12 ng/mL, no cramps, no risk → info consider checking magnesium",
    facts: facts({ labs: [vitd(12, 30)], vitaminD: [weekly50k()] }),
    cramp: "info:repletion.no-mg-deficiency",
    tox: null,
    check: ({ cramp }) => expect(cramp?.key).toMatchObject({ role: "vitamin-d", value: 12 }),
  },
  {
    name: "no Mg, 25(OH)D 25 ng/mL (not deficient), no cramps, no risk → no card",
    facts: facts({ labs: [vitd(25, 30)], vitaminD: [weekly50k()] }),
    cramp: null,
    tox: null,
  },
  {
    name: "no Mg, on omeprazole (PPI) → warning check magnesium, risk named",
    facts: facts({ vitaminD: [weekly50k()], meds: [med(["proton-pump-inhibitor"], "omeprazole 20 MG")] }),
    cramp: "warning:repletion.no-mg-cramps-or-risk",
    tox: null,
    check: ({ cramp }) => expect(cramp?.modifiers).toContainEqual(expect.objectContaining({ kind: "mg-loss-medication", label: "omeprazole 20 MG" })),
  },
  {
    name: "no Mg, alcohol use disorder → warning check magnesium",
    facts: facts({ vitaminD: [weekly50k()], conditions: [condition("alcohol-use-disorder")] }),
    cramp: "warning:repletion.no-mg-cramps-or-risk",
    tox: null,
  },
  {
    name: "no Mg, stopped PPI does not count as a risk; no deficiency → no card",
    facts: facts({ vitaminD: [weekly50k()], meds: [med(["proton-pump-inhibitor"], "omeprazole", "stopped")] }),
    cramp: null,
    tox: null,
  },
  {
    name: "old cramp entry (200 days, before the start) is evidence only; deficiency → info",
    facts: facts({ labs: [deficient()], vitaminD: [weekly50k()], conditions: [condition("cramps", 200)] }),
    cramp: "info:repletion.no-mg-deficiency",
    tox: null,
    check: ({ cramp }) => expect(cramp?.modifiers.map((m) => m.kind)).toContain("cramps-old"),
  },
  {
    name: "corrected Ca 8.06 (total 7.9, albumin 3.8) with normal Mg → warning low calcium",
    facts: facts({ labs: [ca(7.9, 3), alb(3.8, 3), mg(2.0, 3)], vitaminD: [weekly50k()] }),
    cramp: "warning:repletion.ca-low",
    tox: null,
    check: ({ cramp }) => expect(cramp?.key).toMatchObject({ role: "calcium-corrected", value: 8.06 }),
  },
  {
    name: "ionized Ca 1.05 mmol/L (most recent) with normal Mg → warning low calcium",
    facts: facts({ labs: [ionCa(1.05, 2), ca(9.0, 10), mg(2.0, 2)], vitaminD: [weekly50k()] }),
    cramp: "warning:repletion.ca-low",
    tox: null,
  },
  {
    name: "Mg 1.5 and low Ca → warning, Mg row wins, 'correct Mg first'",
    facts: facts({ labs: [mg(1.5, 2), corrCa(8.0, 2)], vitaminD: [weekly50k()] }),
    cramp: "warning:repletion.mg-low",
    tox: null,
    check: ({ cramp }) => {
      expect(cramp?.matchedRules).toEqual(["repletion.mg-low", "repletion.ca-low"]);
      expect(cramp?.notes).toContain("correct-magnesium-first");
    },
  },
  {
    name: "Mg 1.4 with eGFR 25 → warning, no magnesium draft (caution text instead)",
    facts: facts({ labs: [mg(1.4, 2), egfr(25, 2)], vitaminD: [weekly50k()] }),
    cramp: "warning:repletion.mg-low",
    tox: null,
    check: ({ cramp }) => {
      const kinds = cramp?.suggestions.map((s) => s.kind);
      expect(kinds).toContain("magnesium-renal-caution");
      expect(kinds).not.toContain("magnesium-supplement");
    },
  },
  {
    name: "Mg 1.4 with CKD stage 4 condition → warning, no magnesium draft",
    facts: facts({ labs: [mg(1.4, 2)], vitaminD: [weekly50k()], conditions: [condition("ckd-stage-4-5")] }),
    cramp: "warning:repletion.mg-low",
    tox: null,
    check: ({ cramp }) => expect(cramp?.suggestions.map((s) => s.kind)).not.toContain("magnesium-supplement"),
  },
  {
    name: "stale Mg 1.3 (120 days) is not current; deficiency → info",
    facts: facts({ labs: [mg(1.3, 120), deficient()], vitaminD: [weekly50k(21)] }),
    cramp: "info:repletion.no-mg-deficiency",
    tox: null,
  },
  {
    name: "order-sign: draft D3 50,000 IU weekly, 25(OH)D '<5' ng/mL → info (being ordered, '<5' is below 20)",
    facts: facts({ labs: [vitd(5, 20, { comparator: "<" })], vitaminD: [draft({ weeklyIU: 50_000 })] }),
    cramp: "info:repletion.no-mg-deficiency",
    tox: null,
    check: ({ cramp }) => expect(cramp?.regimen.phase).toBe("ordering"),
  },
  {
    name: "draft renewing an unchanged 50,000 IU weekly taken 200 days is a continuation → no repletion card",
    facts: facts({ labs: [vitd(14, 240)], vitaminD: [weekly50k(200), draft({ weeklyIU: 50_000 })] }),
    cramp: null,
    tox: null,
  },
  {
    name: "draft raising D3 from 1,000/day to 50,000/wk replaces the old product → new start, Mg 1.5 → warning",
    facts: facts({ labs: [mg(1.5, 3)], vitaminD: [product({ dailyIU: 1000, startAgo: 400 }), draft({ weeklyIU: 50_000 })] }),
    cramp: "warning:repletion.mg-low",
    tox: null,
  },
  {
    name: "draft D3 2,000/day replaces active D3 3,000/day (same ingredient) → below 4,000 → no card",
    facts: facts({ labs: [mg(1.5, 3)], vitaminD: [product({ dailyIU: 3000, startAgo: 365 }), draft({ dailyIU: 2000 })] }),
    cramp: null,
    tox: null,
  },
  {
    name: "draft D3 2,000/day adds to active D2 3,000/day (other ingredient) → 5,000/day starting now, Mg 1.5 → warning",
    facts: facts({ labs: [mg(1.5, 3)], vitaminD: [product({ ingredient: "ergocalciferol", dailyIU: 3000, startAgo: 365 }), draft({ dailyIU: 2000 })] }),
    cramp: "warning:repletion.mg-low",
    tox: null,
  },
  {
    name: "draft D2 50,000/wk on top of D3 5,000/day taken 2 years: high dose began 2 years ago → no repletion card; 12,143 IU/day ordered → info",
    facts: facts({ labs: [mg(1.5, 3)], vitaminD: [product({ dailyIU: 5000, startAgo: 730 }), draft({ ingredient: "ergocalciferol", weeklyIU: 50_000 })] }),
    cramp: null,
    tox: "info:toxicity.high-dose-ordered",
  },
  {
    name: "deficiency value 400 days old is not documented deficiency; no Mg → no card",
    facts: facts({ labs: [vitd(9, 400)], vitaminD: [weekly50k()] }),
    cramp: null,
    tox: null,
  },
  {
    name: "unknown dose started 2 weeks ago, Mg 1.5 → warning (lab row fires) with dose unknown",
    facts: facts({ labs: [mg(1.5, 1)], vitaminD: [product({ doseUnknown: true, startAgo: 14 })] }),
    cramp: "warning:repletion.mg-low",
    tox: null,
    check: ({ cramp }) => expect(cramp?.flags.doseUnknown).toBe(true),
  },
  {
    name: "unknown dose started 2 weeks ago, no Mg, deficiency → no card (dose-only rows cannot fire)",
    facts: facts({ labs: [deficient()], vitaminD: [product({ doseUnknown: true, startAgo: 14 })] }),
    cramp: null,
    tox: null,
  },
  {
    name: "child of 5 years, D3 3,500 IU/day (above the 4–8 y UL 3,000) for 4 weeks, Mg 1.5 → warning with pediatric limits",
    facts: facts({ birthDate: bornYearsAgo(5), labs: [mg(1.5, 1)], vitaminD: [product({ dailyIU: 3500, startAgo: 28 })] }),
    cramp: "warning:repletion.mg-low",
    tox: null,
    check: ({ cramp }) => expect(cramp?.flags.pediatric).toEqual({ band: "4-8 years", highDoseAboveIuPerDay: 3000, toxicAtLeastIuPerDay: 6000 }),
  },
  {
    name: "adult, D3 3,500 IU/day (below 4,000) for 4 weeks, Mg 1.5 → no card",
    facts: facts({ labs: [mg(1.5, 1)], vitaminD: [product({ dailyIU: 3500, startAgo: 28 })] }),
    cramp: null,
    tox: null,
  },
  {
    name: "calcifediol 30 mcg/day started 2 weeks ago, Mg 1.5 → warning (≥ 20 mcg/day is high-dose)",
    facts: facts({ labs: [mg(1.5, 1)], vitaminD: [product({ ingredient: "calcifediol", dailyMcg: 30, startAgo: 14 })] }),
    cramp: "warning:repletion.mg-low",
    tox: null,
  },
  {
    name: "calcifediol 10 mcg/day, Mg 1.5 → no card",
    facts: facts({ labs: [mg(1.5, 1)], vitaminD: [product({ ingredient: "calcifediol", dailyMcg: 10, startAgo: 14 })] }),
    cramp: null,
    tox: null,
  },
  {
    name: "D3 50,000/wk stopped 2 weeks ago, Mg 1.4 → no repletion card (not taken now)",
    facts: facts({ labs: [mg(1.4, 1)], vitaminD: [product({ weeklyIU: 50_000, startAgo: 42, stoppedAgo: 14 })] }),
    cramp: null,
    tox: null,
  },
  {
    name: "Mg reported '<1.0' mg/dL → critical",
    facts: facts({ labs: [mg(1.0, 1, { comparator: "<" })], vitaminD: [weekly50k()] }),
    cramp: "critical:repletion.mg-severe",
    tox: null,
  },
  {
    name: "Mg 1.75 below the lab's own range (low 1.8) when the site uses lab ranges → warning",
    facts: facts({ labs: [mg(1.75, 1, { referenceRange: { low: 1.8, high: 2.6 } })], vitaminD: [weekly50k()] }),
    config: mergeClinicalConfig({ labReferenceRanges: { useForMagnesiumLow: true } }),
    cramp: "warning:repletion.mg-low",
    tox: null,
  },
  {
    name: "Mg 1.75 with default thresholds is normal and reassuring, no cramps → no card",
    facts: facts({ labs: [mg(1.75, 1, { referenceRange: { low: 1.8, high: 2.6 } })], vitaminD: [weekly50k()] }),
    cramp: null,
    tox: null,
  },
  {
    name: "Mg with an unknown unit is ignored and reported; deficiency → info",
    facts: facts({
      labs: [deficient()],
      vitaminD: [weekly50k()],
      ignored: [{ id: "Observation/x", kind: "magnesium", code: { system: "http://loinc.org", code: "19123-9" }, reason: "unknown unit 'mg%'" }],
    }),
    cramp: "info:repletion.no-mg-deficiency",
    tox: null,
    check: ({ cramp }) => expect(cramp?.missing).toContainEqual(expect.objectContaining({ code: "ignored-observation" })),
  },
  {
    name: "documented hypomagnesemia, no Mg result → warning check magnesium",
    facts: facts({ vitaminD: [weekly50k()], conditions: [condition("hypomagnesemia", 300)] }),
    cramp: "warning:repletion.no-mg-cramps-or-risk",
    tox: null,
  },
  {
    name: "high dose started 120 days ago (not recent), Mg 1.3 → no repletion card",
    facts: facts({ labs: [mg(1.3, 2)], vitaminD: [weekly50k(120)] }),
    cramp: null,
    tox: null,
  },
  {
    name: "D3 2,000/day (200 days) + D2 3,000/day added 30 days ago → 5,000/day recently, Mg 1.5 → warning counted from the D2 start",
    facts: facts({ labs: [mg(1.5, 1)], vitaminD: [product({ dailyIU: 2000, startAgo: 200 }), product({ ingredient: "ergocalciferol", dailyIU: 3000, startAgo: 30 })] }),
    cramp: "warning:repletion.mg-low",
    tox: null,
    check: ({ cramp }) => expect(cramp?.key?.daysAfterStart).toBe(29),
  },
  {
    name: "calcitriol only (active vitamin D, no repletion), Mg 1.5 → no card",
    facts: facts({ labs: [mg(1.5, 1)], vitaminD: [product({ ingredient: "calcitriol", dailyMcg: 0.5, startAgo: 20 })] }),
    cramp: null,
    tox: null,
  },
  {
    name: "D3 50,000 IU/day started a month ago, Mg 1.3 and Ca 11.0 → both patterns warn",
    facts: facts({ labs: [mg(1.3, 1), ca(11.0, 1)], vitaminD: [product({ dailyIU: 50_000, startAgo: 30 })] }),
    cramp: "warning:repletion.mg-low",
    tox: "warning:toxicity.ca-high-with-high-intake",
  },
];
