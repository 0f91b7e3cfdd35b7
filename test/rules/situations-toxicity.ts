/**
 * Clinical situations for `vitamin-d-toxicity` (docs/clinical-logic.md §2–§3 table, calcium status, edge
 * cases). Expected outcomes come from the documented rules tables; each also states the repletion outcome.
 */
import {
  alb,
  bornYearsAgo,
  ca,
  condition,
  corrCa,
  d2lab,
  d3lab,
  draft,
  egfr,
  facts,
  ionCa,
  lab,
  med,
  mg,
  product,
  vitd,
} from "./facts-builder";
import type { FactsSituation } from "./situation";

const d3Daily = (dailyIU: number, startAgo = 365) => product({ dailyIU, startAgo });

export const toxicitySituations: FactsSituation[] = [
  {
    name: "Ca 11.2 mg/dL on D3 10,000 IU/day for a year → warning toxicity (Ca high with toxic intake)",
    facts: facts({ labs: [ca(11.2, 2)], vitaminD: [d3Daily(10_000)] }),
    cramp: null,
    tox: "warning:toxicity.ca-high-with-high-intake",
  },
  {
    name: "Ca 12.4 with 25(OH)D 160 on D3 50,000/wk → critical",
    facts: facts({ labs: [ca(12.4, 2), vitd(160, 2)], vitaminD: [product({ weeklyIU: 50_000, startAgo: 300 })] }),
    cramp: null,
    tox: "critical:toxicity.ca-high-with-high-intake",
  },
  {
    name: "Ca 11.0 with 25(OH)D 180 ng/mL on D3 50,000 IU/day → critical (25(OH)D > 150)",
    facts: facts({ labs: [ca(11.0, 3), vitd(180, 3)], vitaminD: [d3Daily(50_000, 200)] }),
    cramp: null,
    tox: "critical:toxicity.ca-high-with-high-intake",
  },
  {
    name: "Ca 10.9 on D3 2,000 IU/day with 25(OH)D 45 → warning: evaluate hypercalcemia before giving vitamin D",
    facts: facts({ labs: [ca(10.9, 2), vitd(45, 2)], vitaminD: [d3Daily(2000)] }),
    cramp: null,
    tox: "warning:toxicity.ca-high-with-vitamin-d",
    check: ({ tox }) =>
      expect(tox?.suggestions.find((s) => s.kind === "order-labs")).toMatchObject({
        labs: expect.arrayContaining([expect.objectContaining({ key: "calcitriol" })]),
      }),
  },
  {
    name: "Ca 12.5 on D3 1,000 IU/day with 25(OH)D 35 → critical (Ca ≥ 12)",
    facts: facts({ labs: [ca(12.5, 2), vitd(35, 2)], vitaminD: [d3Daily(1000)] }),
    cramp: null,
    tox: "critical:toxicity.ca-high-with-vitamin-d",
  },
  {
    name: "order-sign: Ca 10.9 while ordering D3 50,000 IU weekly → warning evaluate hypercalcemia",
    facts: facts({ labs: [ca(10.9, 5)], vitaminD: [draft({ weeklyIU: 50_000 })] }),
    cramp: null,
    tox: "warning:toxicity.ca-high-with-vitamin-d",
    check: ({ tox }) => expect(tox?.suggestions[0]).toMatchObject({ kind: "stop-vitamin-d" }),
  },
  {
    name: "calcitriol 0.25 mcg/day with Ca 10.8 → warning, active vitamin D wording (reduce or hold, recheck within days)",
    facts: facts({ labs: [ca(10.8, 2)], vitaminD: [product({ ingredient: "calcitriol", dailyMcg: 0.25, startAgo: 100 })] }),
    cramp: null,
    tox: "warning:toxicity.ca-high-on-active-vitamin-d",
  },
  {
    name: "ionized Ca 1.45 mmol/L (most recent) on D3 10,000/day → warning",
    facts: facts({ labs: [ionCa(1.45, 1), ca(10.2, 20)], vitaminD: [d3Daily(10_000)] }),
    cramp: null,
    tox: "warning:toxicity.ca-high-with-high-intake",
  },
  {
    name: "ionized Ca 1.55 mmol/L counts as ≥ 12 mg/dL → critical",
    facts: facts({ labs: [ionCa(1.55, 1)], vitaminD: [d3Daily(10_000)] }),
    cramp: null,
    tox: "critical:toxicity.ca-high-with-high-intake",
  },
  {
    name: "older ionized Ca 1.40 but newer total Ca 10.2 → total decides, not high → no card",
    facts: facts({ labs: [ionCa(1.4, 20), ca(10.2, 2)], vitaminD: [d3Daily(10_000)] }),
    cramp: null,
    tox: null,
  },
  {
    name: "Ca high only after correction (total 10.3, albumin 3.0 → 11.1) with 25(OH)D 170 → capped at warning, ionized Ca suggested",
    facts: facts({ labs: [ca(10.3, 2), alb(3.0, 4), vitd(170, 2)], vitaminD: [d3Daily(50_000, 200)] }),
    cramp: null,
    tox: "warning:toxicity.ca-high-with-high-intake",
    check: ({ tox }) => {
      expect(tox?.notes).toContain("high-only-after-correction");
      expect(tox?.flags.cappedAtWarning).toBe(true);
      expect(tox?.key).toMatchObject({ role: "calcium-corrected", value: 11.1 });
      const labs = tox?.suggestions.find((s) => s.kind === "order-labs");
      expect(labs && "labs" in labs ? labs.labs.map((l) => l.key) : []).toContain("calciumIonized");
    },
  },
  {
    name: "albumin drawn 10 days from the Ca is not used: total 10.3 not high → no card",
    facts: facts({ labs: [ca(10.3, 2), alb(3.0, 12)], vitaminD: [d3Daily(10_000)] }),
    cramp: null,
    tox: null,
  },
  {
    name: "lab-reported corrected Ca (29265-6) 10.8 on D3 10,000/day → warning",
    facts: facts({ labs: [corrCa(10.8, 3)], vitaminD: [d3Daily(10_000)] }),
    cramp: null,
    tox: "warning:toxicity.ca-high-with-high-intake",
  },
  {
    name: "25(OH)D 160 ng/mL without any calcium on D3 10,000/day for 60 days → critical",
    facts: facts({ labs: [vitd(160, 3)], vitaminD: [d3Daily(10_000, 60)] }),
    cramp: null,
    tox: "critical:toxicity.25ohd-above-toxic",
  },
  {
    name: "25(OH)D 160 ng/mL with a same-day normal Ca 9.8 → warning",
    facts: facts({ labs: [vitd(160, 3), ca(9.8, 3)], vitaminD: [d3Daily(10_000, 60)] }),
    cramp: null,
    tox: "warning:toxicity.25ohd-above-toxic",
  },
  {
    name: "25(OH)D reported '>150' ng/mL, no calcium → critical ('>150' is above 150)",
    facts: facts({ labs: [vitd(150, 3, { comparator: ">" })], vitaminD: [d3Daily(5000, 60)] }),
    cramp: null,
    tox: "critical:toxicity.25ohd-above-toxic",
  },
  {
    name: "25(OH)D 375 nmol/L (150.2 ng/mL) → above 150 → critical",
    facts: facts({ labs: [vitd(150.2, 3, { original: { value: "375", unit: "nmol/L" } })], vitaminD: [d3Daily(5000, 60)] }),
    cramp: null,
    tox: "critical:toxicity.25ohd-above-toxic",
  },
  {
    name: "25(OH)D 120 on D3 5,000/day, no calcium → warning (high vitamin D level)",
    facts: facts({ labs: [vitd(120, 10)], vitaminD: [d3Daily(5000)] }),
    cramp: null,
    tox: "warning:toxicity.25ohd-high",
  },
  {
    name: "25(OH)D 120 with normal Ca, D3 stopped 3 weeks ago → info (already stopped), card says stopped",
    facts: facts({ labs: [vitd(120, 25), ca(9.5, 25)], vitaminD: [product({ dailyIU: 10_000, startAgo: 300, stoppedAgo: 21 })] }),
    cramp: null,
    tox: "info:toxicity.25ohd-high",
    check: ({ tox }) => {
      expect(tox?.flags.stoppedDaysAgo).toBe(21);
      expect(tox?.regimen.phase).toBe("stopped");
    },
  },
  {
    name: "25(OH)D 120 with normal Ca, D3 10,000/day stopped 4 weeks ago and now 1,000/day → info (reduced)",
    facts: facts({
      labs: [vitd(120, 10), ca(9.4, 10)],
      vitaminD: [product({ dailyIU: 10_000, startAgo: 300, stoppedAgo: 28 }), d3Daily(1000, 28)],
    }),
    cramp: null,
    tox: "info:toxicity.25ohd-high",
  },
  {
    name: "25(OH)D 120 with normal Ca, still on D3 5,000/day → warning",
    facts: facts({ labs: [vitd(120, 10), ca(9.4, 10)], vitaminD: [d3Daily(5000)] }),
    cramp: null,
    tox: "warning:toxicity.25ohd-high",
  },
  {
    name: "25(OH)D 200, vitamin D stopped 20 weeks ago (> 12 weeks), no calcium → critical toxic 25(OH)D without a current product",
    facts: facts({ labs: [vitd(200, 10)], vitaminD: [product({ dailyIU: 10_000, startAgo: 400, stoppedAgo: 140 })] }),
    cramp: null,
    tox: "critical:toxicity.25ohd-above-toxic-no-product",
  },
  {
    name: "25(OH)D 200 with no vitamin D product at all (over-the-counter use unrecorded) → critical, ask about supplements",
    facts: facts({ labs: [vitd(200, 10)] }),
    cramp: null,
    tox: "critical:toxicity.25ohd-above-toxic-no-product",
  },
  {
    name: "25(OH)D 190 and Ca 12.8 the same day, 16 weeks after stopping 50,000 IU/day → critical",
    facts: facts({ labs: [vitd(190, 3), ca(12.8, 3)], vitaminD: [product({ dailyIU: 50_000, startAgo: 400, stoppedAgo: 112 })] }),
    cramp: null,
    tox: "critical:toxicity.25ohd-above-toxic-no-product",
  },
  {
    name: "25(OH)D 160 with a normal calcium the same day and no product on record → warning",
    facts: facts({ labs: [vitd(160, 3), ca(9.6, 3)] }),
    cramp: null,
    tox: "warning:toxicity.25ohd-above-toxic-no-product",
  },
  {
    name: "25(OH)D 130 (100–150) with no product on record → no card (those rows still need a product)",
    facts: facts({ labs: [vitd(130, 3)] }),
    cramp: null,
    tox: null,
  },
  {
    name: "D3 10,000 IU/day for a year, no calcium ever → warning prolonged high dose without monitoring",
    facts: facts({ vitaminD: [d3Daily(10_000)] }),
    cramp: null,
    tox: "warning:toxicity.prolonged-high-dose-unmonitored",
  },
  {
    name: "D3 10,000 IU/day for a year, only a stale Ca (120 days) → warning",
    facts: facts({ labs: [ca(9.5, 120)], vitaminD: [d3Daily(10_000)] }),
    cramp: null,
    tox: "warning:toxicity.prolonged-high-dose-unmonitored",
  },
  {
    name: "D3 10,000 IU/day for a year with a current normal Ca 9.6 → no card",
    facts: facts({ labs: [ca(9.6, 30)], vitaminD: [d3Daily(10_000)] }),
    cramp: null,
    tox: null,
  },
  {
    name: "D3 10,000 IU/day for 60 days, no calcium → no card (not prolonged yet)",
    facts: facts({ vitaminD: [d3Daily(10_000, 60)] }),
    cramp: null,
    tox: null,
  },
  {
    name: "stale high Ca 11.0 (100 days) on D3 10,000/day for a year → warning unmonitored (stale Ca is no monitoring)",
    facts: facts({ labs: [ca(11.0, 100)], vitaminD: [d3Daily(10_000)] }),
    cramp: null,
    tox: "warning:toxicity.prolonged-high-dose-unmonitored",
  },
  {
    name: "order-sign renewal of D3 10,000/day taken a year, no calcium → warning (continuation, toxicity still applies)",
    facts: facts({ vitaminD: [d3Daily(10_000), draft({ dailyIU: 10_000 })] }),
    cramp: null,
    tox: "warning:toxicity.prolonged-high-dose-unmonitored",
    check: ({ tox }) => {
      expect(tox?.flags.continuation).toBe(true);
      expect(tox?.suggestions.map((s) => s.kind)).toContain("reduce-vitamin-d");
    },
  },
  {
    name: "order-sign: new D3 20,000 IU/day, no history → info dose exceeds 10,000 IU/day",
    facts: facts({ vitaminD: [draft({ dailyIU: 20_000 })] }),
    cramp: null,
    tox: "info:toxicity.high-dose-ordered",
  },
  {
    name: "order-sign: new D3 50,000 IU/day (≥ 1 mg/day), written in IU → warning implausible dose",
    facts: facts({ vitaminD: [draft({ dailyIU: 50_000 })] }),
    cramp: null,
    tox: "warning:toxicity.implausible-dose",
  },
  {
    name: "order-sign: '50,000 mcg weekly' (2,000,000 IU/wk) → warning implausible dose, check the unit (mcg vs IU)",
    facts: facts({ vitaminD: [draft({ dailyIU: 2_000_000 / 7, doseWrittenInMcg: true })] }),
    cramp: null,
    tox: "warning:toxicity.implausible-dose-unit",
  },
  {
    name: "documented hypercalcemia (E83.52), D3 1,000/day, no current calcium → warning",
    facts: facts({ vitaminD: [d3Daily(1000)], conditions: [condition("hypercalcemia", 200, "Hypercalcemia")] }),
    cramp: null,
    tox: "warning:toxicity.hypercalcemia-unmonitored",
  },
  {
    name: "documented hypercalcemia with a current normal calcium → no card",
    facts: facts({ labs: [ca(9.4, 10)], vitaminD: [d3Daily(1000)], conditions: [condition("hypercalcemia", 200)] }),
    cramp: null,
    tox: null,
  },
  {
    name: "one-time 300,000 IU bolus being ordered → warning",
    facts: facts({ vitaminD: [draft({ bolusIU: 300_000 })] }),
    cramp: null,
    tox: "warning:toxicity.bolus-very-high",
  },
  {
    name: "one-time 150,000 IU bolus being ordered → info",
    facts: facts({ vitaminD: [draft({ bolusIU: 150_000 })] }),
    cramp: null,
    tox: "info:toxicity.bolus-high",
  },
  {
    name: "child of 2 years, one-time 200,000 IU bolus being ordered (maximum 150,000 at 1–12 y) → warning",
    facts: facts({ birthDate: bornYearsAgo(2), vitaminD: [draft({ bolusIU: 200_000 })] }),
    cramp: null,
    tox: "warning:toxicity.bolus-above-pediatric-max",
  },
  {
    name: "one-time 100,000 IU bolus (not above 100,000) → no card",
    facts: facts({ vitaminD: [draft({ bolusIU: 100_000 })] }),
    cramp: null,
    tox: null,
  },
  {
    name: "calcifediol 30 mcg/day with 25(OH)D 130 → warning high level",
    facts: facts({ labs: [vitd(130, 5)], vitaminD: [product({ ingredient: "calcifediol", dailyMcg: 30, startAgo: 200 })] }),
    cramp: null,
    tox: "warning:toxicity.25ohd-high",
  },
  {
    name: "child of 6 years, D3 7,000 IU/day for 6 months, no calcium → warning (toxic above 6,000 IU/day at 1–12 y)",
    facts: facts({ birthDate: bornYearsAgo(6), vitaminD: [d3Daily(7000, 180)] }),
    cramp: null,
    tox: "warning:toxicity.prolonged-high-dose-unmonitored",
    check: ({ tox }) => expect(tox?.flags.pediatric?.band).toBe("4-8 years"),
  },
  {
    name: "adult, D3 7,000 IU/day for 6 months, no calcium → no card",
    facts: facts({ vitaminD: [d3Daily(7000, 180)] }),
    cramp: null,
    tox: null,
  },
  {
    name: "digoxin with Ca 11.0 on D3 10,000/day → warning raised to critical",
    facts: facts({ labs: [ca(11.0, 2)], vitaminD: [d3Daily(10_000)], meds: [med(["digoxin"], "digoxin 0.125 MG")] }),
    cramp: null,
    tox: "critical:toxicity.ca-high-with-high-intake",
  },
  {
    name: "digoxin but Ca high only after correction → raised, then capped at warning",
    facts: facts({ labs: [ca(10.3, 2), alb(3.0, 2)], vitaminD: [d3Daily(10_000)], meds: [med(["digoxin"], "digoxin")] }),
    cramp: null,
    tox: "warning:toxicity.ca-high-with-high-intake",
  },
  {
    name: "unknown dose D3 with Ca 11.0 → warning (lab row fires, dose unknown)",
    facts: facts({ labs: [ca(11.0, 2)], vitaminD: [product({ doseUnknown: true, startAgo: 300 })] }),
    cramp: null,
    tox: "warning:toxicity.ca-high-with-vitamin-d",
    check: ({ tox }) => expect(tox?.flags.doseUnknown).toBe(true),
  },
  {
    name: "unknown dose D3 for a year without calcium → no card (dose-only rows cannot fire)",
    facts: facts({ vitaminD: [product({ doseUnknown: true, startAgo: 365 })] }),
    cramp: null,
    tox: null,
  },
  {
    name: "eGFR 25 with computed corrected Ca 11.0 (total 10.6, albumin 3.5) → warning, renal note, ionized Ca ordered",
    facts: facts({ labs: [ca(10.6, 2), alb(3.5, 2), egfr(25, 2)], vitaminD: [d3Daily(10_000)] }),
    cramp: null,
    tox: "warning:toxicity.ca-high-with-high-intake",
    check: ({ tox }) => {
      expect(tox?.notes).toContain("renal-corrected-calcium-unreliable");
      const labs = tox?.suggestions.find((s) => s.kind === "order-labs");
      expect(labs && "labs" in labs ? labs.labs[0]?.key : undefined).toBe("calciumIonized");
    },
  },
  {
    name: "normal patient: D3 1,000/day, Ca 9.5, Mg 2.0, 25(OH)D 35 → no cards",
    facts: facts({ labs: [ca(9.5, 10), mg(2.0, 10), vitd(35, 10)], vitaminD: [d3Daily(1000)] }),
    cramp: null,
    tox: null,
  },
  {
    name: "no vitamin D at all, Ca 11.5 → no cards",
    facts: facts({ labs: [ca(11.5, 2)] }),
    cramp: null,
    tox: null,
  },
  {
    name: "two concurrent products D3 5,000/day + D2 50,000/wk (12,143 IU/day) for 6 months, no calcium → warning",
    facts: facts({ vitaminD: [d3Daily(5000, 200), product({ ingredient: "ergocalciferol", weeklyIU: 50_000, startAgo: 180 })] }),
    cramp: null,
    tox: "warning:toxicity.prolonged-high-dose-unmonitored",
    check: ({ tox }) => expect(tox?.regimen.dailyIU).toBeCloseTo(12_142.86, 1),
  },
  {
    name: "patient-reported statement and an order for the same D3 6,000/day count once → no card",
    facts: facts({ vitaminD: [d3Daily(6000, 300), product({ dailyIU: 6000, startAgo: 280, source: "request" })] }),
    cramp: null,
    tox: null,
  },
  {
    name: "D3 10,000/day stopped 4 weeks ago, Ca 11.2 now → warning, card says stopped",
    facts: facts({ labs: [ca(11.2, 1)], vitaminD: [product({ dailyIU: 10_000, startAgo: 300, stoppedAgo: 28 })] }),
    cramp: null,
    tox: "warning:toxicity.ca-high-with-high-intake",
    check: ({ tox }) => expect(tox?.flags.stoppedDaysAgo).toBe(28),
  },
  {
    name: "D3 2,000/day stopped 4 weeks ago, Ca 11.2 → no card (modest dose, not taken now)",
    facts: facts({ labs: [ca(11.2, 1)], vitaminD: [product({ dailyIU: 2000, startAgo: 300, stoppedAgo: 28 })] }),
    cramp: null,
    tox: null,
  },
  {
    name: "25(OH)D3 90 + same-day 25(OH)D2 20 = 110 → warning (D3 alone would not fire)",
    facts: facts({ labs: [d3lab(90, 5), d2lab(20, 5)], vitaminD: [d3Daily(4000)] }),
    cramp: null,
    tox: "warning:toxicity.25ohd-high",
    check: ({ tox }) => expect(tox?.evidence[0]?.derivation?.kind).toBe("vitamin-d-sum"),
  },
  {
    name: "same-day total 95 wins over D3 105 → no card",
    facts: facts({ labs: [vitd(95, 5), d3lab(105, 5)], vitaminD: [d3Daily(4000)] }),
    cramp: null,
    tox: null,
  },
  {
    name: "only 35365-6 (vitamin D + metabolites) 130 → used as last fallback → warning",
    facts: facts({ labs: [lab("vitd-metabolites", 130, 5)], vitaminD: [d3Daily(4000)] }),
    cramp: null,
    tox: "warning:toxicity.25ohd-high",
  },
  {
    name: "35365-6 130 newer but a current D3 60 exists → D3 used → no card",
    facts: facts({ labs: [lab("vitd-metabolites", 130, 5), d3lab(60, 40)], vitaminD: [d3Daily(4000)] }),
    cramp: null,
    tox: null,
  },
  {
    name: "D3-only 25(OH)D 120 while taking ergocalciferol → warning, '25(OH)D2 not measured'",
    facts: facts({ labs: [d3lab(120, 5)], vitaminD: [product({ ingredient: "ergocalciferol", weeklyIU: 50_000, startAgo: 200 })] }),
    cramp: null,
    tox: "warning:toxicity.25ohd-high",
    check: ({ tox }) => expect(tox?.notes).toContain("d2-not-measured"),
  },
  {
    name: "stale 25(OH)D 160 (200 days) on D3 5,000/day → no card",
    facts: facts({ labs: [vitd(160, 200)], vitaminD: [d3Daily(5000)] }),
    cramp: null,
    tox: null,
  },
  {
    name: "Ca 2.8 mmol/L (11.22 mg/dL) with sarcoidosis and a calcium supplement on D3 2,000/day → warning, cause and co-factor named",
    facts: facts({
      labs: [ca(11.22, 3, { original: { value: "2.8", unit: "mmol/L" } })],
      vitaminD: [d3Daily(2000)],
      meds: [med(["calcium-supplement"], "calcium carbonate 500 MG")],
      conditions: [condition("granulomatous-disease", 500, "Sarcoidosis")],
    }),
    cramp: null,
    tox: "warning:toxicity.ca-high-with-vitamin-d",
    check: ({ tox }) => {
      expect(tox?.modifiers.map((m) => m.kind)).toEqual(expect.arrayContaining(["calcium-raising-medication", "hypercalcemia-cause"]));
      expect(tox?.suggestions.map((s) => s.kind)).toContain("stop-co-factor");
    },
  },
  {
    name: "known primary hyperparathyroidism, D3 1,000 IU/day, Ca 10.7 → info (repletion with monitoring supported)",
    facts: facts({
      labs: [ca(10.7, 3)],
      vitaminD: [d3Daily(1000)],
      conditions: [condition("primary-hyperparathyroidism", 800, "Primary hyperparathyroidism")],
    }),
    cramp: null,
    tox: "info:toxicity.ca-high-known-phpt",
  },
];
