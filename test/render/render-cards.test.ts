/**
 * Every clinical situation rendered for patient-view and order-sign: each card must be a valid
 * CDS Hooks 2.0 card, lead with its number, stay under 140 characters and follow §4's wording rules.
 */
import type { MedicationRequest } from "fhir/r4";
import { defaultClinicalConfig } from "../../src/config/clinical-config";
import type { Facts } from "../../src/fhir/facts";
import { cardSchema, renderCards, templates, type RenderContext } from "../../src/render";
import { evaluateRules, REPLETION_ROWS, TOXICITY_ROWS, type Finding } from "../../src/rules";
import { NOW } from "../rules/facts-builder";
import { repletionSituations } from "../rules/situations-repletion";
import { toxicitySituations } from "../rules/situations-toxicity";
import { formatValue } from "../../src/render/format";

const LAUNCH = "https://cds.example.org/smart/launch.html";

/** The draft products of the facts as the MedicationRequests of an order-sign draftOrders bundle. */
export function draftOrdersOf(f: Facts): MedicationRequest[] {
  return f.vitaminD
    .filter((p) => p.source === "draft-order")
    .map((p) => ({
      resourceType: "MedicationRequest",
      id: p.id.split("/")[1] ?? p.id,
      status: "draft",
      intent: "order",
      subject: { reference: `Patient/${f.patient.id}` },
      medicationCodeableConcept: { text: p.name },
      dosageInstruction: [{ text: p.doseText, route: { text: "oral" } }],
    }));
}

const all = [...repletionSituations, ...toxicitySituations];
const cases = all.flatMap((s) =>
  (["patient-view", "order-sign"] as const).map((hook) => {
    const findings = evaluateRules(s.facts, s.config ?? defaultClinicalConfig, NOW);
    const ctx: RenderContext = {
      hook,
      patientId: s.facts.patient.id,
      serviceLabel: "vitd-cds",
      draftOrders: hook === "order-sign" ? draftOrdersOf(s.facts) : [],
      smartLaunchUrl: LAUNCH,
    };
    return { name: `${s.name} [${hook}]`, findings, ctx };
  }),
);

function calciumOrVitdToxic(f: Finding): boolean {
  const key = f.key;
  if (!key) return false;
  if (key.role.startsWith("calcium")) return f.rule.startsWith("toxicity.ca-high");
  return key.role === "vitamin-d" && (key.value > 150 || (key.value === 150 && key.comparator === ">"));
}

describe("rendered cards for every clinical situation", () => {
  test.each(cases.map((c) => [c.name, c] as const))("%s", (_n, { findings, ctx }) => {
    const cards = renderCards(findings, ctx);
    expect(cards).toHaveLength(findings.length);
    const patterns = cards.map((c) => c.source.topic?.code);
    expect(new Set(patterns).size).toBe(patterns.length);
    for (const card of cards) {
      const parsed = cardSchema.safeParse(card);
      expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
      const f = findings.find((x) => x.pattern === card.source.topic?.code);
      if (!f) throw new Error("card without finding");
      expect(card.indicator).toBe(f.indicator);
      expect(card.summary.length).toBeLessThan(140);
      expect(card.source).toMatchObject({ label: "vitd-cds", topic: { system: "https://vitd-cds.example.org/pattern", code: f.pattern } });
      if (f.key)
        expect(card.summary.startsWith(`${templates.common.roleLabels[f.key.role]} ${formatValue(f.key.value, f.key.comparator)}`)).toBe(
          true,
        );
      else expect(card.summary).toMatch(/^\d/);
      if (/toxicity/i.test(card.summary)) expect(calciumOrVitdToxic(f)).toBe(true);
      if (f.flags.doseUnknown) expect(card.summary + card.detail).toMatch(/dose unknown/i);
      expect(card.detail).toContain("| Result | Date | Reported | Converted | Role |");
      // Clinicians never see internal rule ids; support and metrics read them from the extension.
      expect(card.detail).not.toContain(f.rule);
      expect(card.extension?.["vitd-cds-rule"]).toEqual({ rule: f.rule, matchedRules: f.matchedRules });
      if (f.pattern === "repletion-cramp") expect(card.detail).toMatch(/persistent or severe cramps need clinical evaluation/i);
      expect(card.overrideReasons?.map((r) => r.display)).toEqual([
        "Already addressed",
        "Lab ordered",
        "Patient declined",
        "High dose indicated (malabsorption/bariatric)",
        "Clinically not relevant",
      ]);
      expect(card.links).toEqual([
        { label: expect.any(String), url: LAUNCH, type: "smart", appContext: JSON.stringify({ pattern: f.pattern }) },
      ]);
      for (const a of card.suggestions?.flatMap((s) => s.actions ?? []) ?? []) {
        if (ctx.hook === "patient-view") expect(a.type).toBe("create");
      }
    }
  });

  test("every row of both decision tables is rendered by at least one situation", () => {
    const fired = new Set(cases.flatMap((c) => c.findings.map((f) => f.rule)));
    for (const id of [...REPLETION_ROWS, ...TOXICITY_ROWS].map((r) => r.id)) expect(fired).toContain(id);
  });
});
