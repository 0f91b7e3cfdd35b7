/**
 * Severe renal impairment (docs/clinical-logic.md §10): the card summary alone must be safe to act on — it never
 * suggests a magnesium supplement, names the renal impairment and keeps its whole action (never cut with "…"),
 * and no magnesium MedicationRequest is ever drafted, even from an intent that asks for one.
 */
import { defaultClinicalConfig } from "../../src/config/clinical-config";
import type { Facts } from "../../src/fhir/facts";
import { renderCards, type Card, type RenderContext } from "../../src/render";
import { evaluateRules, type Finding } from "../../src/rules";
import { condition, creat, draft, egfr, facts, mg, NOW, product, vitd, bornYearsAgo } from "../rules/facts-builder";

const ctx: RenderContext = { hook: "patient-view", patientId: "p1", serviceLabel: "vitd-cds", draftOrders: [] };
const crampCard = (findings: Finding[]): Card | undefined =>
  renderCards(findings, ctx).find((c) => c.source.topic?.code === "repletion-cramp");
const render = (f: Facts) => crampCard(evaluateRules(f, defaultClinicalConfig, NOW));
const mgDrafts = (card: Card | undefined) =>
  (card?.suggestions ?? [])
    .flatMap((s) => s.actions ?? [])
    .filter((a) => (a.resource as { resourceType?: string } | undefined)?.resourceType === "MedicationRequest");

const LOW = "renal impairment: replace Mg only with monitoring (hypermagnesemia risk)";
const SEVERE = "renal impairment: replace Mg with caution (IV under monitoring); check K, Ca, ECG";

describe("renal wording of the low-Mg rows", () => {
  test.each([
    ["eGFR 22, Mg 1.4", facts({ labs: [mg(1.4, 2), egfr(22, 2)], vitaminD: [product({ weeklyIU: 50_000, startAgo: 21 })] }), LOW],
    [
      "dialysis, Mg 1.1",
      facts({ labs: [mg(1.1, 1)], vitaminD: [product({ weeklyIU: 50_000, startAgo: 21 })], conditions: [condition("ckd-stage-4-5", 400)] }),
      SEVERE,
    ],
    [
      "computed eGFR 18 (woman 70 y, creatinine 2.8), Mg 1.4",
      facts({
        labs: [mg(1.4, 2), creat(2.8, 3)],
        vitaminD: [product({ weeklyIU: 50_000, startAgo: 21 })],
        birthDate: bornYearsAgo(70, 1),
        gender: "female",
      }),
      LOW,
    ],
    [
      "eGFR '<15', Mg '<1.0' with two products and a draft (the longest summary)",
      facts({
        labs: [mg(1.0, 1, { comparator: "<" }), egfr(15, 1, { comparator: "<" }), vitd(9, 20)],
        vitaminD: [
          product({ weeklyIU: 50_000, startAgo: 30 }),
          product({ ingredient: "ergocalciferol", dailyIU: 2000, startAgo: 30 }),
          draft({ ingredient: "calcifediol", dailyMcg: 30 }),
        ],
      }),
      SEVERE,
    ],
  ])("%s → the summary names the renal impairment, keeps its whole action, suggests no supplement; no Mg draft", (_name, f, action) => {
    const card = render(f);
    expect(card?.summary).toContain(action);
    expect(card?.summary).not.toMatch(/supplement/i);
    expect(card?.summary).not.toContain("…");
    expect(card?.summary.length).toBeLessThan(140);
    expect(mgDrafts(card)).toEqual([]);
    expect(card?.detail).toMatch(/no magnesium supplement is drafted/i);
  });

  test("without renal impairment the ordinary wording stays (consider a Mg supplement, with a draft)", () => {
    const card = render(facts({ labs: [mg(1.4, 2), egfr(75, 2)], vitaminD: [product({ weeklyIU: 50_000, startAgo: 21 })] }));
    expect(card?.summary).toContain("consider a Mg supplement");
    expect(mgDrafts(card)).toHaveLength(1);
  });

  test("a magnesium-supplement intent on a finding with severe renal impairment is never drafted (caution text instead)", () => {
    const findings = evaluateRules(
      facts({ labs: [mg(1.4, 2)], vitaminD: [product({ weeklyIU: 50_000, startAgo: 21 })] }),
      defaultClinicalConfig,
      NOW,
    );
    const forced = findings.map((f) => (f.pattern === "repletion-cramp" ? { ...f, flags: { ...f.flags, renalSevere: true } } : f));
    const card = crampCard(forced);
    expect(mgDrafts(card)).toEqual([]);
    expect(card?.detail).toMatch(/replace magnesium only with caution and monitoring/);
  });
});
