/** Statuses, start/stop dates and draft orders of vitamin D products (docs/clinical-logic.md §5). */
import { normalizeFacts } from "../../../src/fhir/normalize";
import type { ClinicalResources } from "../../../src/fhir/normalize";
import { clinicalResources, draftOrder, medicationRequest, medicationStatement } from "../../fixtures/fhir/builders";

const facts = (partial: Partial<ClinicalResources>) => normalizeFacts(clinicalResources(partial));

test("a referenced Medication that was not found: the reference display names the product", () => {
  const ms = medicationStatement({ id: "r", name: "Vitamin D3 2000 UNT Oral Capsule", medicationRef: "missing", text: "1 capsule daily" });
  expect(facts({ medicationStatements: [ms] }).vitaminD).toEqual([
    expect.objectContaining({ name: "Vitamin D3 2000 UNT Oral Capsule", dailyIU: 2000 }),
  ]);
});

describe("statuses", () => {
  test.each([
    ["active", "active"],
    ["intended", "active"],
    ["on-hold", "active"],
    ["completed", "stopped"],
    ["stopped", "stopped"],
    ["entered-in-error", null],
    ["not-taken", null],
    ["unknown", null],
  ] as const)("MedicationStatement %s → %s", (status, expected) => {
    const f = facts({ medicationStatements: [medicationStatement({ name: "Vitamin D3", status, text: "2000 IU daily" })] });
    expect(f.vitaminD.map((p) => p.status)).toEqual(expected === null ? [] : [expected]);
  });

  test.each([
    ["active", "active"],
    ["on-hold", "active"],
    ["draft", "active"],
    ["completed", "stopped"],
    ["stopped", "stopped"],
    ["cancelled", null],
    ["entered-in-error", null],
    ["unknown", null],
  ] as const)("MedicationRequest %s → %s", (status, expected) => {
    const f = facts({ medicationRequests: [medicationRequest({ name: "Vitamin D3", status, text: "2000 IU daily" })] });
    expect(f.vitaminD.map((p) => p.status)).toEqual(expected === null ? [] : [expected]);
  });

  test("a request with doNotPerform is not an intake", () => {
    const r = { ...medicationRequest({ name: "Vitamin D3", text: "2000 IU daily" }), doNotPerform: true };
    expect(facts({ medicationRequests: [r] }).vitaminD).toEqual([]);
  });
});

describe("start and stop dates", () => {
  test("statement start: effectivePeriod.start, else effectiveDateTime; dateAsserted is not a start (taking since at least then)", () => {
    const a = medicationStatement({ id: "a", name: "Vitamin D3", start: "2026-03-01", dateAsserted: "2026-03-20" });
    const b = { ...medicationStatement({ id: "b", name: "Vitamin D3", dateAsserted: "2026-03-20" }), effectiveDateTime: "2026-02-01" };
    const c = medicationStatement({ id: "c", name: "Vitamin D3", dateAsserted: "2026-03-20" });
    expect(facts({ medicationStatements: [a, b, c] }).vitaminD.map((p) => [p.start, p.takingSinceAtLeast])).toEqual([
      ["2026-03-01", undefined],
      ["2026-02-01", undefined],
      [undefined, "2026-03-20"],
    ]);
  });

  test("a stopped statement ends at effectivePeriod.end, else dateAsserted, else meta.lastUpdated", () => {
    const a = medicationStatement({
      id: "a",
      name: "Vitamin D3",
      status: "stopped",
      start: "2025-01-01",
      end: "2026-01-31",
      dateAsserted: "2026-02-10",
    });
    const b = medicationStatement({ id: "b", name: "Vitamin D3", status: "completed", start: "2025-01-01", dateAsserted: "2026-02-10" });
    const c = {
      ...medicationStatement({ id: "c", name: "Vitamin D3", status: "stopped", start: "2025-01-01" }),
      meta: { lastUpdated: "2026-02-15T09:00:00Z" },
    };
    expect(facts({ medicationStatements: [a, b, c] }).vitaminD.map((p) => p.end)).toEqual([
      "2026-01-31",
      "2026-02-10",
      "2026-02-15T09:00:00Z",
    ]);
  });

  test("an active product has no end date", () => {
    const a = medicationStatement({ name: "Vitamin D3", start: "2025-01-01", end: "2026-12-31" });
    expect(facts({ medicationStatements: [a] }).vitaminD[0]).not.toHaveProperty("end");
  });

  test("request start: dispenseRequest.validityPeriod.start, else authoredOn; stop: validityPeriod.end, else meta.lastUpdated", () => {
    const a = medicationRequest({
      id: "a",
      name: "Vitamin D3",
      status: "completed",
      authoredOn: "2025-10-01",
      start: "2025-10-02",
      end: "2025-11-26",
    });
    const b = {
      ...medicationRequest({ id: "b", name: "Vitamin D3", status: "stopped", authoredOn: "2025-09-01" }),
      meta: { lastUpdated: "2025-12-01T10:00:00Z" },
    };
    const f = facts({ medicationRequests: [a, b] });
    expect(f.vitaminD.map((p) => [p.start, p.end])).toEqual([
      ["2025-10-02", "2025-11-26"],
      ["2025-09-01", "2025-12-01T10:00:00Z"],
    ]);
  });
});

describe("draft orders (order-select / order-sign) count as being ordered now", () => {
  const draft = draftOrder({
    id: "d1",
    name: "cholecalciferol 1.25 MG Oral Capsule",
    dose: { value: 1, unit: "{capsule}" },
    timing: "QW",
    start: "2026-06-01",
  });

  test("order-sign: source draft-order, active, no start (starts now), no `selected`", () => {
    const p = facts({ draftOrders: [draft] }).vitaminD[0]!;
    expect(p).toEqual(
      expect.objectContaining({
        id: "MedicationRequest/d1",
        source: "draft-order",
        status: "active",
        dailyIU: expect.closeTo(50000 / 7, 6),
      }),
    );
    expect(p).not.toHaveProperty("start");
    expect(p).not.toHaveProperty("selected");
  });

  test("order-select: `selected` is true only for the drafts in context.selections", () => {
    const other = draftOrder({ id: "d2", name: "Vitamin D3", text: "2000 IU daily" });
    const f = facts({ draftOrders: [draft, other], selections: ["MedicationRequest/d1"] });
    expect(f.vitaminD.map((p) => [p.id, p.selected])).toEqual([
      ["MedicationRequest/d1", true],
      ["MedicationRequest/d2", false],
    ]);
  });

  test("a draft also returned by the server as the patient's request is counted once, as the draft", () => {
    const f = facts({ draftOrders: [draft], medicationRequests: [{ ...draft }] });
    expect(f.vitaminD.map((p) => p.source)).toEqual(["draft-order"]);
  });

  test("a cancelled draft is dropped", () => {
    expect(facts({ draftOrders: [{ ...draft, status: "cancelled" }] }).vitaminD).toEqual([]);
  });
});
