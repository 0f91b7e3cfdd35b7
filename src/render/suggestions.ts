/**
 * Suggestion intents → CDS Hooks suggestions with real FHIR resources: ServiceRequest drafts
 * for labs (LOINC), a MedicationRequest draft for a magnesium supplement, and delete/update of
 * the draft vitamin D order in order-select/order-sign. Intents that cannot be actions
 * (patient-reported statements, active orders outside the draft bundle) become text lines.
 */
import type { MedicationRequest, Dosage } from "fhir/r4";
import type { Finding, SuggestionIntent } from "../rules";
import type { Action, Suggestion } from "./card-schema";
import { formatInteger } from "./format";
import type { RenderContext } from "./render-context";
import { fill, type CommonTemplates } from "./templates";
import { inertMarkdown } from "./inert-markdown";
import { uuidV5 } from "./uuid";

const UCUM = "http://unitsofmeasure.org";

export interface BuiltSuggestions {
  suggestions: Suggestion[];
  textLines: string[];
}

/** Drops null, "", [] and {} (a copied EHR draft must not make the card invalid). */
export function prune(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(prune).filter((v) => v !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .map(([k, v]) => [k, prune(v)] as const)
      .filter(([, v]) => v !== undefined);
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  }
  return value === null || value === "" ? undefined : value;
}

function draftOrder(ctx: RenderContext, productId: string): MedicationRequest | undefined {
  if (ctx.hook === "patient-view") return undefined;
  return ctx.draftOrders.find((mr) => mr.id !== undefined && (productId === `MedicationRequest/${mr.id}` || productId === mr.id));
}

function reducedDosage(original: Dosage | undefined, dailyIU: number, c: CommonTemplates): Dosage {
  const dose = formatInteger(dailyIU);
  return {
    text: fill(c.suggestions.reducedDosage, { dose }),
    timing: { repeat: { frequency: 1, period: 1, periodUnit: "d" } },
    ...(original?.route ? { route: original.route } : {}),
    doseAndRate: [{ doseQuantity: { value: dailyIU, unit: "IU", system: UCUM, code: "[iU]" } }],
  };
}

export function buildSuggestions(f: Finding, ctx: RenderContext, cardUuid: string, c: CommonTemplates): BuiltSuggestions {
  const suggestions: Suggestion[] = [];
  const textLines: string[] = [];
  const subject = { reference: `Patient/${ctx.patientId}` };
  const nameOf = (id: string) => f.regimen.products.find((p) => p.id === id)?.name ?? id;
  const sourceOf = (id: string) => f.regimen.products.find((p) => p.id === id)?.source;
  const add = (key: string, label: string, actions: Action[]) => suggestions.push({ label, uuid: uuidV5(`${cardUuid}|${key}`), actions });

  const handlers: { [K in SuggestionIntent["kind"]]: (i: Extract<SuggestionIntent, { kind: K }>) => void } = {
    "order-labs": (i) => {
      const labels = i.labs.map((l) => c.labLabels[l.key]).join(", ");
      const actions: Action[] = i.labs.map((l) => ({
        type: "create",
        description: fill(c.suggestions.orderLab, { display: l.code.display ?? l.code.code }),
        resource: {
          resourceType: "ServiceRequest",
          status: "draft",
          intent: "order",
          subject,
          code: { coding: [l.code], text: l.code.display ?? c.labLabels[l.key] },
        },
      }));
      add(`labs|${i.labs.map((l) => l.code.code).join(",")}`, fill(c.suggestions.orderLabs, { labs: labels }), actions);
    },
    "magnesium-supplement": (i) => {
      // Never a magnesium supplement draft with severe renal impairment (hypermagnesemia), whatever the intents say.
      if (f.flags.renalSevere) {
        if (!f.suggestions.some((x) => x.kind === "magnesium-renal-caution")) textLines.push(c.textActions.magnesiumRenalCaution);
        return;
      }
      const resource = {
        resourceType: "MedicationRequest",
        status: "draft",
        intent: "order",
        subject,
        medicationCodeableConcept: { text: i.text, ...(i.coding ? { coding: [i.coding] } : {}) },
        dosageInstruction: [{ text: i.dosageText }],
      };
      add("magnesium", fill(c.suggestions.magnesiumSupplement, { text: i.text }), [
        { type: "create", description: fill(c.suggestions.magnesiumSupplementAction, { text: i.text, dosage: i.dosageText }), resource },
      ]);
    },
    "magnesium-renal-caution": () => textLines.push(c.textActions.magnesiumRenalCaution),
    "continue-vitamin-d": () => textLines.push(c.textActions.continueVitaminD),
    "stop-vitamin-d": (i) => {
      for (const id of i.productIds) {
        const draft = draftOrder(ctx, id);
        if (draft?.id) {
          add(`delete|${id}`, fill(c.suggestions.deleteDraft, { name: nameOf(id) }), [
            {
              type: "delete",
              description: fill(c.suggestions.deleteDraftAction, { id: `MedicationRequest/${draft.id}` }),
              resourceId: `MedicationRequest/${draft.id}`,
            },
          ]);
        } else
          textLines.push(
            fill(sourceOf(id) === "statement" ? c.textActions.stopStatement : c.textActions.stopOrder, { name: inertMarkdown(nameOf(id)) }),
          );
      }
    },
    "reduce-vitamin-d": (i) => {
      const dose = formatInteger(i.targetDailyIU);
      for (const id of i.productIds) {
        const draft = draftOrder(ctx, id);
        if (draft?.id) {
          const resource = prune({
            ...draft,
            dosageInstruction: [reducedDosage(draft.dosageInstruction?.[0], i.targetDailyIU, c)],
          }) as NonNullable<Action["resource"]>;
          add(`update|${id}|${i.targetDailyIU}`, fill(c.suggestions.updateDraft, { name: nameOf(id), dose }), [
            { type: "update", description: fill(c.suggestions.updateDraftAction, { id: `MedicationRequest/${draft.id}`, dose }), resource },
          ]);
        } else textLines.push(fill(c.textActions.reduceOrder, { name: inertMarkdown(nameOf(id)), dose }));
      }
    },
    "others-exceed-limit": (i) =>
      textLines.push(fill(c.textActions.othersExceedLimit, { limit: formatInteger(i.limitIU), others: formatInteger(i.othersIU) })),
    "stop-co-factor": (i) =>
      i.medications.forEach((m) => textLines.push(fill(c.textActions.stopCoFactor, { name: inertMarkdown(m.name) }))),
  };
  for (const intent of f.suggestions) (handlers[intent.kind] as (i: SuggestionIntent) => void)(intent);
  return { suggestions, textLines };
}
