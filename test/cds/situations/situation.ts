/**
 * A named clinical situation (resources + hook) and the cards docs/clinical-logic.md §2–§3 expects for it,
 * plus `checkSituation`, which sends it through the real HTTP pipeline and asserts the result.
 * Every expectation is derived by hand from docs/clinical-logic.md (row ids: docs/clinical-logic.md).
 */
import type { Express } from "express";
import type { FhirResource, MedicationRequest, Patient } from "fhir/r4";
import request from "supertest";
import { cardSchema } from "../../../src/render/card-schema";
import type { RuleId } from "../../../src/rules";
import { fullPrefetch, orderSelectBody, orderSignBody, patientViewBody } from "../../../devkit/hook-requests";
import { ADULT } from "./kit";

export type Topic = "repletion-cramp" | "vitamin-d-toxicity";
export type Indicator = "info" | "warning" | "critical";
export type Hook = "patient-view" | "order-sign" | "order-select";

export interface ExpectedCard {
  topic: Topic;
  indicator: Indicator;
  /** Row id (docs/clinical-logic.md §2–§3) of the spec row expected to win; carried in the card's "vitd-cds-rule" extension. */
  rule: RuleId;
  /** Key numbers/phrases the summary must contain (docs/clinical-logic.md: lead with the number). */
  summaryHas?: string[];
  summaryLacks?: string[];
  /** Patterns that summary + detail together must match. */
  textHas?: RegExp[];
  /** Patterns that neither summary nor detail may match. */
  textLacks?: RegExp[];
  /** Patterns a suggestion label must match (e.g. the dose an update proposes). */
  suggestionHas?: RegExp[];
  /** Id of a draft MedicationRequest that a suggestion must `delete` or `update`. */
  draftAction?: string;
  /** Each entry: LOINC codes of which at least one must be ordered as a ServiceRequest draft. */
  orders?: string[][];
  /** Whether a magnesium supplement MedicationRequest draft is suggested (repletion-cramp). */
  mgSupplement?: boolean;
}

export interface Situation {
  name: string;
  /** The spec row or input case it exercises, e.g. "§3 repletion row 1" — kept for the report. */
  covers: string;
  hook?: Hook;
  patient?: Patient;
  resources: FhirResource[];
  drafts?: MedicationRequest[];
  cards: ExpectedCard[];
}

export const MG_CODES = ["19123-9", "2601-3"];
export const CA_CODES = ["17861-6", "2000-8", "1994-3", "1995-0", "12180-6", "17864-0", "29265-6", "46099-8"];
export const IONIZED_CODES = ["1994-3", "1995-0", "12180-6", "17864-0"];
export const PTH_CODES = ["2731-8"];

interface WireAction {
  type: string;
  resourceId?: string;
  resource?: { resourceType: string; id?: string; code?: { coding?: { system?: string; code?: string }[] } };
}
interface WireCard {
  summary: string;
  detail?: string;
  indicator: string;
  source: { topic?: { code: string } };
  suggestions?: { label?: string; actions?: WireAction[] }[];
  extension?: Record<string, unknown>;
}

/** The rule that fired, from the card extension (clinicians never see rule ids in the text). */
const ruleOf = (c: WireCard): string => (c.extension?.["vitd-cds-rule"] as { rule?: string } | undefined)?.rule ?? "(no rule extension)";
const actionsOf = (c: WireCard): WireAction[] => (c.suggestions ?? []).flatMap((s) => s.actions ?? []);
const orderedCodes = (c: WireCard): string[] =>
  actionsOf(c).flatMap((a) =>
    a.type === "create" && a.resource?.resourceType === "ServiceRequest"
      ? (a.resource.code?.coding ?? []).filter((x) => x.system === "http://loinc.org").map((x) => x.code ?? "")
      : [],
  );

const HOOK_BODY = { "patient-view": patientViewBody, "order-sign": orderSignBody, "order-select": orderSelectBody } as const;

export async function checkSituation(app: Express, s: Situation): Promise<void> {
  const hook = s.hook ?? "patient-view";
  const prefetch = fullPrefetch(s.patient ?? ADULT, s.resources);
  const body = HOOK_BODY[hook]({ prefetch, ...(s.drafts ? { draftOrders: s.drafts } : {}) });
  const res = await request(app).post(`/cds-services/vitd-${hook}`).send(body);
  expect(res.status).toBe(200);
  if (s.cards.length === 0) {
    expect(res.body).toEqual({ cards: [] });
    return;
  }
  const cards = res.body.cards as WireCard[];
  for (const card of cards) {
    expect(cardSchema.safeParse(card).error?.issues ?? []).toEqual([]);
    expect(card.summary.length).toBeLessThan(140);
  }
  // the exact set of cards, by topic; the rule fired is shown too so a mismatch names the engine's row
  const byTopic = <T extends { topic: string }>(xs: T[]) => [...xs].sort((a, b) => a.topic.localeCompare(b.topic));
  const got = byTopic(cards.map((c) => ({ topic: c.source.topic?.code ?? "(none)", indicator: c.indicator, rule: ruleOf(c) })));
  expect(got).toEqual(byTopic(s.cards.map((e) => ({ topic: e.topic, indicator: e.indicator, rule: e.rule }))));

  for (const e of s.cards) {
    const card = cards.find((c) => c.source.topic?.code === e.topic)!;
    for (const text of e.summaryHas ?? []) expect(card.summary).toContain(text);
    for (const text of e.summaryLacks ?? []) expect(card.summary.toLowerCase()).not.toContain(text.toLowerCase());
    for (const re of e.textHas ?? []) expect(`${card.summary}\n${card.detail ?? ""}`).toMatch(re);
    for (const re of e.textLacks ?? []) expect(`${card.summary}\n${card.detail ?? ""}`).not.toMatch(re);
    for (const re of e.suggestionHas ?? []) expect((card.suggestions ?? []).map((s) => s.label ?? "").join("\n")).toMatch(re);
    if (e.draftAction !== undefined) {
      const id = e.draftAction;
      const hits = actionsOf(card).filter(
        (a) =>
          (a.type === "delete" && a.resourceId === `MedicationRequest/${id}`) ||
          (a.type === "update" && a.resource?.resourceType === "MedicationRequest" && a.resource.id === id),
      );
      expect(hits.length).toBeGreaterThan(0);
    }
    const codes = orderedCodes(card);
    for (const alternatives of e.orders ?? []) expect(codes.filter((c) => alternatives.includes(c))).not.toEqual([]);
    if (e.mgSupplement !== undefined) {
      const supplement = actionsOf(card).some((a) => a.type === "create" && a.resource?.resourceType === "MedicationRequest");
      expect(supplement).toBe(e.mgSupplement);
    }
  }
}
