/**
 * Clinical situations for `repletion-cramp` (docs/clinical-logic.md §2–§3 table, modifiers, edge cases).
 * Expected outcomes come from the documented rules tables; each situation also states the toxicity outcome.
 */
import { mergeClinicalConfig } from "../../src/config/clinical-config";
import { alb, ca, condition, corrCa, creat, draft, egfr, facts, ionCa, med, mg, product, vitd, bornYearsAgo } from "./facts-builder";
import type { FactsSituation } from "./situation";

const weekly50k = (startAgo = 21) => product({ weeklyIU: 50_000, startAgo });
const deficient = () => vitd(11, 30);

export const repletionSituations: FactsSituation[] = [
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
    check: ({ cramp }) =>
      expect(cramp?.evidence[0]).toMatchObject({
        original: { value: "0.45", unit: "mmol/L" },
        converted: { value: 1.09, unit: "mg/dL" },
        trigger: true,
      }),
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
    check: ({ cramp }) =>
      expect(cramp?.modifiers).toContainEqual(expect.objectContaining({ kind: "mg-loss-medication", label: "omeprazole 20 MG" })),
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
    cramp: "warning:repletion.mg-low-renal",
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
    cramp: "warning:repletion.mg-low-renal",
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
    facts: facts({
      labs: [mg(1.5, 3)],
      vitaminD: [product({ ingredient: "ergocalciferol", dailyIU: 3000, startAgo: 365 }), draft({ dailyIU: 2000 })],
    }),
    cramp: "warning:repletion.mg-low",
    tox: null,
  },
  {
    name: "draft D2 50,000/wk on top of D3 5,000/day taken 2 years: high dose began 2 years ago → no repletion card; 12,143 IU/day ordered → info",
    facts: facts({
      labs: [mg(1.5, 3)],
      vitaminD: [product({ dailyIU: 5000, startAgo: 730 }), draft({ ingredient: "ergocalciferol", weeklyIU: 50_000 })],
    }),
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
    check: ({ cramp }) =>
      expect(cramp?.flags.pediatric).toEqual({
        band: "4-8 years",
        highDoseAboveIuPerDay: 3000,
        toxicIuPerDay: 6000,
        toxicInclusive: false,
        singleDoseAboveIu: 150000,
      }),
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
      ignored: [
        { id: "Observation/x", kind: "magnesium", code: { system: "http://loinc.org", code: "19123-9" }, reason: "unknown unit 'mg%'" },
      ],
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
    facts: facts({
      labs: [mg(1.5, 1)],
      vitaminD: [product({ dailyIU: 2000, startAgo: 200 }), product({ ingredient: "ergocalciferol", dailyIU: 3000, startAgo: 30 })],
    }),
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
  ...renalSituations(),
  ...ppiSituations(),
  ...labRangeSituations(),
];

/**
 * Severe renal impairment (docs/clinical-logic.md §10): eGFR < 30 (reported, or computed with CKD-EPI 2021
 * from creatinine when no eGFR is current), CKD 4–5, kidney failure or dialysis. The low-Mg rows then have
 * their own wording (no supplement; replace only with monitoring) and no supplement is drafted.
 * Computed values worked out by hand (142 × min(Scr/κ,1)^α × max(Scr/κ,1)^−1.200 × 0.9938^age × 1.012 if female):
 *   woman 70 y, Scr 2.8: 142 × (2.8/0.7 = 4.0)^−1.2 (0.18946) × 0.9938^70 (0.64704) × 1.012 = 17.6 → 18
 *   man 70 y, Scr 2.8:   142 × (2.8/0.9 = 3.111)^−1.2 (0.25615) × 0.64704 = 23.5 → 24
 *   woman 70 y, Scr 1.2: 142 × (1.2/0.7 = 1.714)^−1.2 (0.52372) × 0.64704 × 1.012 = 48.7 → 49
 */
function renalSituations(): FactsSituation[] {
  const woman70 = { birthDate: bornYearsAgo(70, 1), gender: "female" as const };
  const man70 = { birthDate: bornYearsAgo(70, 1), gender: "male" as const };
  const kinds = (f?: { suggestions: { kind: string }[] }) => f?.suggestions.map((s) => s.kind) ?? [];
  return [
    {
      name: "renal: eGFR 22, Mg 1.4, 50,000 IU weekly started 3 weeks ago → warning, renal row, no Mg supplement draft",
      facts: facts({ labs: [mg(1.4, 2), egfr(22, 2), deficient()], vitaminD: [weekly50k()] }),
      cramp: "warning:repletion.mg-low-renal",
      tox: null,
      check: ({ cramp }) => {
        expect(kinds(cramp)).toEqual(["order-labs", "magnesium-renal-caution", "continue-vitamin-d"]);
        expect(cramp?.flags.renalSevere).toBe(true);
        expect(cramp?.evidence).toContainEqual(
          expect.objectContaining({ role: "egfr", converted: { value: 22, unit: "mL/min/1.73m2" }, trigger: true }),
        );
      },
    },
    {
      name: "renal: dialysis dependence on the problem list, Mg 1.1 → critical renal row (replace with caution, K, Ca, ECG)",
      facts: facts({
        labs: [mg(1.1, 1)],
        vitaminD: [weekly50k()],
        conditions: [condition("ckd-stage-4-5", 400, "Dependence on renal dialysis")],
      }),
      cramp: "critical:repletion.mg-severe-renal",
      tox: null,
      check: ({ cramp }) => {
        const labs = cramp?.suggestions.find((s) => s.kind === "order-labs");
        expect(labs && "labs" in labs ? labs.labs.map((l) => l.key) : []).toEqual(["magnesium", "calciumIonized", "potassium", "vitaminD"]);
        expect(kinds(cramp)).not.toContain("magnesium-supplement");
        expect(cramp?.modifiers).toContainEqual(
          expect.objectContaining({ kind: "renal-impairment", label: "Dependence on renal dialysis" }),
        );
      },
    },
    {
      name: "renal: Mg 1.5 with a reassuring eGFR 75 → ordinary Mg row with a supplement draft",
      facts: facts({ labs: [mg(1.5, 2), egfr(75, 2)], vitaminD: [weekly50k()] }),
      cramp: "warning:repletion.mg-low",
      tox: null,
      check: ({ cramp }) => expect(kinds(cramp)).toContain("magnesium-supplement"),
    },
    {
      name: "renal: no eGFR, creatinine 2.8 mg/dL, 70-year-old woman → computed eGFR 18 (CKD-EPI 2021) < 30 → renal row",
      facts: facts({ labs: [mg(1.4, 2), creat(2.8, 3)], vitaminD: [weekly50k()], ...woman70 }),
      cramp: "warning:repletion.mg-low-renal",
      tox: null,
      check: ({ cramp }) => {
        expect(cramp?.evidence).toContainEqual(
          expect.objectContaining({
            role: "egfr-computed",
            original: { value: "2.8", unit: "mg/dL" },
            converted: { value: 18, unit: "mL/min/1.73m2" },
            trigger: true,
            derivation: { kind: "ckd-epi-2021", creatinine: 2.8, ageYears: 70, sex: "female" },
          }),
        );
        expect(cramp?.modifiers).toContainEqual(expect.objectContaining({ kind: "renal-impairment-computed", label: "2.8 mg/dL" }));
        expect(kinds(cramp)).not.toContain("magnesium-supplement");
      },
    },
    {
      name: "renal: no eGFR, creatinine 2.8 mg/dL, 70-year-old man → computed eGFR 24 < 30 → renal row",
      facts: facts({ labs: [mg(1.4, 2), creat(2.8, 3)], vitaminD: [weekly50k()], ...man70 }),
      cramp: "warning:repletion.mg-low-renal",
      tox: null,
      check: ({ cramp }) =>
        expect(cramp?.evidence).toContainEqual(
          expect.objectContaining({ role: "egfr-computed", converted: { value: 24, unit: "mL/min/1.73m2" } }),
        ),
    },
    {
      name: "renal: creatinine 1.2 mg/dL, 70-year-old woman → computed eGFR 49, not severe → ordinary Mg row, computed eGFR shown as context",
      facts: facts({ labs: [mg(1.4, 2), creat(1.2, 3)], vitaminD: [weekly50k()], ...woman70 }),
      cramp: "warning:repletion.mg-low",
      tox: null,
      check: ({ cramp }) => {
        expect(cramp?.evidence).toContainEqual(
          expect.objectContaining({ role: "egfr-computed", converted: { value: 49, unit: "mL/min/1.73m2" }, trigger: false }),
        );
        expect(kinds(cramp)).toContain("magnesium-supplement");
      },
    },
    {
      name: "renal: a current reported eGFR 45 is used, not an eGFR computed from creatinine 2.8 → ordinary Mg row",
      facts: facts({ labs: [mg(1.4, 2), egfr(45, 10), creat(2.8, 3)], vitaminD: [weekly50k()], ...woman70 }),
      cramp: "warning:repletion.mg-low",
      tox: null,
      check: ({ cramp }) => expect(cramp?.evidence.map((r) => r.role)).not.toContain("egfr-computed"),
    },
    {
      name: "renal: creatinine 2.8 mg/dL but sex not recorded → no computed eGFR, the card says so; ordinary Mg row",
      facts: facts({ labs: [mg(1.4, 2), creat(2.8, 3)], vitaminD: [weekly50k()], birthDate: bornYearsAgo(70, 1) }),
      cramp: "warning:repletion.mg-low",
      tox: null,
      check: ({ cramp }) => expect(cramp?.missing).toContainEqual(expect.objectContaining({ code: "egfr-not-computed" })),
    },
    {
      name: "renal: creatinine 2.8 mg/dL, sex 'other' → no computed eGFR",
      facts: facts({ labs: [mg(1.4, 2), creat(2.8, 3)], vitaminD: [weekly50k()], birthDate: bornYearsAgo(70, 1), gender: "other" }),
      cramp: "warning:repletion.mg-low",
      tox: null,
    },
    {
      name: "renal: creatinine 2.8 mg/dL in a 16-year-old girl → no computed eGFR (CKD-EPI 2021 is for adults)",
      facts: facts({ labs: [mg(1.4, 2), creat(2.8, 3)], vitaminD: [weekly50k()], birthDate: bornYearsAgo(16), gender: "female" }),
      cramp: "warning:repletion.mg-low",
      tox: null,
      check: ({ cramp }) => expect(cramp?.missing).toContainEqual(expect.objectContaining({ code: "egfr-not-computed" })),
    },
    {
      name: "renal: creatinine 2.8 mg/dL with no birth date → no computed eGFR",
      facts: facts({ labs: [mg(1.4, 2), creat(2.8, 3)], vitaminD: [weekly50k()], birthDate: null, gender: "female" }),
      cramp: "warning:repletion.mg-low",
      tox: null,
    },
    {
      name: "renal: creatinine 2.8 mg/dL drawn 120 days ago (not current) → no computed eGFR, no note",
      facts: facts({ labs: [mg(1.4, 2), creat(2.8, 120)], vitaminD: [weekly50k()], ...woman70 }),
      cramp: "warning:repletion.mg-low",
      tox: null,
      check: ({ cramp }) => expect(cramp?.missing.map((m) => m.code)).not.toContain("egfr-not-computed"),
    },
    {
      name: "renal: creatinine reported '>10' mg/dL, 70-year-old man → computed eGFR below 6 → renal row",
      facts: facts({ labs: [mg(1.4, 2), creat(10, 3, { comparator: ">" })], vitaminD: [weekly50k()], ...man70 }),
      cramp: "warning:repletion.mg-low-renal",
      tox: null,
      check: ({ cramp }) =>
        expect(cramp?.evidence).toContainEqual(
          expect.objectContaining({ role: "egfr-computed", converted: { value: 6, unit: "mL/min/1.73m2", comparator: "<" } }),
        ),
    },
    {
      name: "renal: computing eGFR from creatinine switched off (renal.computeEgfrFromCreatinine false) → ordinary Mg row",
      facts: facts({ labs: [mg(1.4, 2), creat(2.8, 3)], vitaminD: [weekly50k()], ...woman70 }),
      config: mergeClinicalConfig({ renal: { computeEgfrFromCreatinine: false } }),
      cramp: "warning:repletion.mg-low",
      tox: null,
      check: ({ cramp }) => expect(cramp?.missing.map((m) => m.code)).not.toContain("egfr-not-computed"),
    },
    {
      name: "renal: eGFR 20 with calcitriol taken → note 'active vitamin D raises hypercalcemia risk', product named",
      facts: facts({
        labs: [mg(1.4, 2), egfr(20, 2), ca(9.2, 2)],
        vitaminD: [weekly50k(), product({ ingredient: "calcitriol", dailyMcg: 0.25, startAgo: 300 })],
      }),
      cramp: "warning:repletion.mg-low-renal",
      tox: null,
      check: ({ cramp }) => {
        expect(cramp?.notes).toContain("renal-active-vitamin-d");
        expect(cramp?.modifiers).toContainEqual(expect.objectContaining({ kind: "active-vitamin-d", label: "calcitriol product" }));
      },
    },
    {
      name: "renal: eGFR 20 without active vitamin D → no active-vitamin-D note",
      facts: facts({ labs: [mg(1.4, 2), egfr(20, 2), ca(9.2, 2)], vitaminD: [weekly50k()] }),
      cramp: "warning:repletion.mg-low-renal",
      tox: null,
      check: ({ cramp }) => {
        expect(cramp?.notes).not.toContain("renal-active-vitamin-d");
        expect(cramp?.modifiers.map((m) => m.kind)).not.toContain("active-vitamin-d");
      },
    },
  ];
}

/** PPIs count as a Mg-loss risk only after `modifiers.ppiMinDays` (365) of use, or with an unknown start (§10; FDA 2011). */
function ppiSituations(): FactsSituation[] {
  const ppi = (status: "active" | "stopped", startAgo?: number) => med(["proton-pump-inhibitor"], "omeprazole 20 MG", status, startAgo);
  return [
    {
      name: "PPI: omeprazole started 2 months ago, 50,000 IU weekly started 3 weeks ago, no Mg, no cramps, deficiency → info (not warning)",
      facts: facts({ labs: [deficient()], vitaminD: [weekly50k()], meds: [ppi("active", 60)] }),
      cramp: "info:repletion.no-mg-deficiency",
      tox: null,
      check: ({ cramp }) => {
        expect(cramp?.modifiers.map((m) => m.kind)).not.toContain("mg-loss-medication");
        expect(cramp?.modifiers).toContainEqual(expect.objectContaining({ kind: "ppi-short-term", label: "omeprazole 20 MG" }));
      },
    },
    {
      name: "PPI: omeprazole for 2 years → warning as today",
      facts: facts({ labs: [deficient()], vitaminD: [weekly50k()], meds: [ppi("active", 730)] }),
      cramp: "warning:repletion.no-mg-cramps-or-risk",
      tox: null,
      check: ({ cramp }) =>
        expect(cramp?.modifiers).toContainEqual(expect.objectContaining({ kind: "mg-loss-medication", label: "omeprazole 20 MG" })),
    },
    {
      name: "PPI: omeprazole started exactly 365 days ago → warning (12 months reached)",
      facts: facts({ labs: [deficient()], vitaminD: [weekly50k()], meds: [ppi("active", 365)] }),
      cramp: "warning:repletion.no-mg-cramps-or-risk",
      tox: null,
    },
    {
      name: "PPI: omeprazole with unknown start → warning",
      facts: facts({ labs: [deficient()], vitaminD: [weekly50k()], meds: [ppi("active")] }),
      cramp: "warning:repletion.no-mg-cramps-or-risk",
      tox: null,
    },
    {
      name: "PPI: omeprazole renewed 2 months ago after an order started 2 years ago (completed) → long-term use → warning",
      facts: facts({ labs: [deficient()], vitaminD: [weekly50k()], meds: [ppi("active", 60), ppi("stopped", 730)] }),
      cramp: "warning:repletion.no-mg-cramps-or-risk",
      tox: null,
    },
    {
      name: "PPI: omeprazole started 2 months ago, no deficiency documented → no card",
      facts: facts({ labs: [vitd(25, 30)], vitaminD: [weekly50k()], meds: [ppi("active", 60)] }),
      cramp: null,
      tox: null,
    },
    {
      name: "PPI: furosemide started 2 months ago still counts (diuretics unchanged) → warning",
      facts: facts({ labs: [deficient()], vitaminD: [weekly50k()], meds: [med(["loop-diuretic"], "furosemide 40 MG", "active", 60)] }),
      cramp: "warning:repletion.no-mg-cramps-or-risk",
      tox: null,
    },
    {
      name: "PPI: modifiers.ppiMinDays 30 → omeprazole started 2 months ago counts → warning",
      facts: facts({ labs: [deficient()], vitaminD: [weekly50k()], meds: [ppi("active", 60)] }),
      config: mergeClinicalConfig({ modifiers: { ppiMinDays: 30 } }),
      cramp: "warning:repletion.no-mg-cramps-or-risk",
      tox: null,
    },
  ];
}

/**
 * The lab's own reference range (§10): a Mg or Ca value that the default threshold calls abnormal but the
 * lab's range (or its N flag) calls normal drops its row one level (warning → info); critical rows stay.
 */
function labRangeSituations(): FactsSituation[] {
  const range = (low: number, high: number) => ({ referenceRange: { low, high } });
  return [
    {
      name: "lab range: Mg 1.6 with lab range 1.6–2.6 on 50,000 IU weekly → info, the range is named",
      facts: facts({ labs: [mg(1.6, 1, range(1.6, 2.6))], vitaminD: [weekly50k()] }),
      cramp: "info:repletion.mg-low",
      tox: null,
      check: ({ cramp }) =>
        expect(cramp?.modifiers).toContainEqual(expect.objectContaining({ kind: "magnesium-within-lab-range", label: "1.6–2.6 mg/dL" })),
    },
    {
      name: "lab range: Mg 1.1 with a lab range 1.0–2.6 → still critical",
      facts: facts({ labs: [mg(1.1, 1, range(1.0, 2.6))], vitaminD: [weekly50k()] }),
      cramp: "critical:repletion.mg-severe",
      tox: null,
    },
    {
      name: "lab range: Mg 1.6 with lab range 1.6–2.6 and labs.respectLabReferenceRange false → warning as before",
      facts: facts({ labs: [mg(1.6, 1, range(1.6, 2.6))], vitaminD: [weekly50k()] }),
      config: mergeClinicalConfig({ labs: { respectLabReferenceRange: false } }),
      cramp: "warning:repletion.mg-low",
      tox: null,
      check: ({ cramp }) => expect(cramp?.modifiers.map((m) => m.kind)).not.toContain("magnesium-within-lab-range"),
    },
    {
      name: "lab range: Mg 1.6 flagged N by the lab (no numeric range) → info",
      facts: facts({ labs: [mg(1.6, 1, { interpretation: "N" })], vitaminD: [weekly50k()] }),
      cramp: "info:repletion.mg-low",
      tox: null,
    },
    {
      name: "lab range: Mg 1.6 inside the range numbers but flagged L by the lab → warning (the lab calls it low)",
      facts: facts({ labs: [mg(1.6, 1, { ...range(1.6, 2.6), interpretation: "L" })], vitaminD: [weekly50k()] }),
      cramp: "warning:repletion.mg-low",
      tox: null,
    },
    {
      name: "lab range: Mg 1.5 below the lab range 1.6–2.6 → warning",
      facts: facts({ labs: [mg(1.5, 1, range(1.6, 2.6))], vitaminD: [weekly50k()] }),
      cramp: "warning:repletion.mg-low",
      tox: null,
    },
    {
      name: "lab range: Mg 1.6 within the lab range, on digoxin → info raised one level to warning",
      facts: facts({ labs: [mg(1.6, 1, range(1.6, 2.6))], vitaminD: [weekly50k()], meds: [med(["digoxin"], "digoxin 0.125 MG")] }),
      cramp: "warning:repletion.mg-low",
      tox: null,
      check: ({ cramp }) => expect(cramp?.flags.digoxinRaised).toBe(true),
    },
    {
      name: "lab range: Mg 1.6 within the lab range and eGFR 20 → info renal row, still no supplement draft",
      facts: facts({ labs: [mg(1.6, 1, range(1.6, 2.6)), egfr(20, 1)], vitaminD: [weekly50k()] }),
      cramp: "info:repletion.mg-low-renal",
      tox: null,
      check: ({ cramp }) => expect(cramp?.suggestions.map((s) => s.kind)).not.toContain("magnesium-supplement"),
    },
    {
      name: "lab range: total Ca 8.3 (no albumin) within the lab range 8.2–10.2, Mg 2.0 after the start → info",
      facts: facts({ labs: [ca(8.3, 2, range(8.2, 10.2)), mg(2.0, 2)], vitaminD: [weekly50k()] }),
      cramp: "info:repletion.ca-low",
      tox: null,
      check: ({ cramp }) =>
        expect(cramp?.modifiers).toContainEqual(expect.objectContaining({ kind: "calcium-within-lab-range", label: "8.2–10.2 mg/dL" })),
    },
    {
      name: "lab range: Mg 1.6 within its lab range and Ca 8.0 below its lab range 8.5–10.5 → the Ca row (warning) wins",
      facts: facts({ labs: [mg(1.6, 2, range(1.6, 2.6)), ca(8.0, 2, range(8.5, 10.5))], vitaminD: [weekly50k()] }),
      cramp: "warning:repletion.ca-low",
      tox: null,
      check: ({ cramp }) => expect(cramp?.matchedRules).toEqual(["repletion.ca-low", "repletion.mg-low"]),
    },
  ];
}
