/** Suggestions: real FHIR resources, delete/update of the draft vitamin D order in order-sign, stable uuids. */
import type { MedicationRequest } from "fhir/r4";
import { defaultClinicalConfig } from "../../src/config/clinical-config";
import type { Facts } from "../../src/fhir/facts";
import { cardSchema, renderCards, type Card, type RenderContext } from "../../src/render";
import { evaluateRules } from "../../src/rules";
import { ca, draft, egfr, facts, mg, NOW, product, vitd } from "../rules/facts-builder";

function draftOrder(id: string, text = "cholecalciferol 1.25 MG Oral Capsule"): MedicationRequest {
  return {
    resourceType: "MedicationRequest",
    id,
    status: "draft",
    intent: "order",
    subject: { reference: "Patient/p1" },
    medicationCodeableConcept: { text },
    dosageInstruction: [{ text: "1 capsule weekly", route: { text: "oral" }, doseAndRate: [] }],
    note: [],
  };
}

function render(f: Facts, hook: RenderContext["hook"], draftOrders: MedicationRequest[] = []): Card[] {
  const cards = renderCards(evaluateRules(f, defaultClinicalConfig, NOW), { hook, patientId: "p1", serviceLabel: "vitd-cds", draftOrders });
  for (const card of cards) expect(cardSchema.safeParse(card).success).toBe(true);
  return cards;
}

const actions = (card: Card | undefined) => card?.suggestions?.flatMap((s) => s.actions ?? []) ?? [];
const tox = (cards: Card[]) => cards.find((c) => c.source.topic?.code === "vitamin-d-toxicity");
const cramp = (cards: Card[]) => cards.find((c) => c.source.topic?.code === "repletion-cramp");

describe("suggestions", () => {
  test("order-sign with high Ca: delete the draft vitamin D order by resourceId", () => {
    const f = facts({ labs: [ca(10.9, 3)], vitaminD: [draft({ weeklyIU: 50_000, id: "MedicationRequest/d1" })] });
    const card = tox(render(f, "order-sign", [draftOrder("d1")]));
    expect(card?.selectionBehavior).toBe("any");
    expect(actions(card)).toContainEqual({ type: "delete", description: expect.any(String), resourceId: "MedicationRequest/d1" });
  });

  test("order-sign with a new 50,000 IU/day order: update the draft to 4,000 IU/day", () => {
    const f = facts({ vitaminD: [draft({ dailyIU: 50_000, id: "MedicationRequest/d2" })] });
    const update = actions(tox(render(f, "order-sign", [draftOrder("d2")]))).find((a) => a.type === "update");
    expect(update?.resource).toMatchObject({
      resourceType: "MedicationRequest",
      id: "d2",
      status: "draft",
      medicationCodeableConcept: { text: "cholecalciferol 1.25 MG Oral Capsule" },
      dosageInstruction: [
        {
          timing: { repeat: { frequency: 1, period: 1, periodUnit: "d" } },
          route: { text: "oral" },
          doseAndRate: [{ doseQuantity: { value: 4000, code: "[iU]", system: "http://unitsofmeasure.org" } }],
        },
      ],
    });
    expect(update?.resource).not.toHaveProperty("note");
  });

  test("a child's reduced dose targets the age-specific upper limit", () => {
    const f = facts({ birthDate: "2019-01-01", vitaminD: [draft({ dailyIU: 8000, id: "MedicationRequest/d3" })] });
    const update = actions(tox(render(f, "order-sign", [draftOrder("d3")]))).find((a) => a.type === "update");
    expect(update?.resource).toMatchObject({ dosageInstruction: [{ doseAndRate: [{ doseQuantity: { value: 3000 } }] }] });
  });

  test("patient-view: a statement cannot be deleted — the stop advice is text", () => {
    const f = facts({ labs: [ca(12.5, 2)], vitaminD: [product({ dailyIU: 10_000, startAgo: 300 })] });
    const card = tox(render(f, "patient-view"));
    expect(actions(card).map((a) => a.type)).toEqual(["create", "create", "create", "create", "create"]);
    expect(card?.detail).toMatch(/Ask the patient to stop cholecalciferol product/);
  });

  test("lab orders are ServiceRequest drafts coded with LOINC", () => {
    const f = facts({ labs: [vitd(160, 3)], vitaminD: [product({ dailyIU: 10_000, startAgo: 60 })] });
    const creates = actions(tox(render(f, "patient-view"))).filter((a) => a.type === "create");
    expect(creates.map((a) => (a.resource as unknown as { code: { coding: { code: string }[] } }).code.coding[0]?.code)).toEqual([
      "17861-6",
      "2731-8",
      "2160-0",
      "2777-1",
    ]);
    expect(creates[0]?.resource).toMatchObject({
      resourceType: "ServiceRequest",
      status: "draft",
      intent: "order",
      subject: { reference: "Patient/p1" },
    });
  });

  test("low Mg: a magnesium supplement MedicationRequest draft", () => {
    const f = facts({ labs: [mg(1.4, 1)], vitaminD: [product({ weeklyIU: 50_000, startAgo: 21 })] });
    const create = actions(cramp(render(f, "patient-view"))).find(
      (a) => (a.resource as { resourceType?: string } | undefined)?.resourceType === "MedicationRequest",
    );
    expect(create?.resource).toMatchObject({
      status: "draft",
      intent: "order",
      subject: { reference: "Patient/p1" },
      medicationCodeableConcept: { text: expect.stringMatching(/magnesium/i) },
    });
  });

  test("low Mg with eGFR < 30: no magnesium draft, caution text instead", () => {
    const f = facts({ labs: [mg(1.4, 1), egfr(22, 1)], vitaminD: [product({ weeklyIU: 50_000, startAgo: 21 })] });
    const card = cramp(render(f, "patient-view"));
    expect(actions(card).some((a) => (a.resource as { resourceType?: string } | undefined)?.resourceType === "MedicationRequest")).toBe(
      false,
    );
    expect(card?.detail).toMatch(/no supplement is drafted/);
  });

  test("suggestion uuids are stable and distinct", () => {
    const f = facts({ labs: [ca(10.9, 3)], vitaminD: [draft({ weeklyIU: 50_000, id: "MedicationRequest/d9" })] });
    const a = tox(render(f, "order-sign", [draftOrder("d9")]))?.suggestions?.map((s) => s.uuid);
    const b = tox(render(f, "order-sign", [draftOrder("d9")]))?.suggestions?.map((s) => s.uuid);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(a?.length);
  });

  test("a draft not present in draftOrders is not deleted (text instead)", () => {
    const f = facts({ labs: [ca(10.9, 3)], vitaminD: [draft({ weeklyIU: 50_000, id: "MedicationRequest/d5" })] });
    const card = tox(render(f, "order-sign", [draftOrder("other")]));
    expect(actions(card).some((a) => a.type === "delete")).toBe(false);
    expect(card?.detail).toMatch(/Discontinue/);
  });
});
