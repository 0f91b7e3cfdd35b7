/**
 * MedicationStatement / MedicationRequest / draft orders → VitaminDProduct and RelatedMedication
 * (clinical-spec §2 "Medications"): statuses, start/stop dates, draft orders being signed.
 */
import type { Annotation, Dosage, Medication, MedicationRequest, MedicationStatement } from "fhir/r4";
import type { RelatedMedication, VitaminDProduct } from "../facts";
import type { Compiled } from "./compile";
import { productDose } from "./dose";
import { identify, medicationClasses, vitaminD } from "./medication-identity";

type Status = "active" | "stopped";

/** Maps, not object literals: a status of "constructor" or "__proto__" must not find Object's prototype. */
const STATEMENT_STATUS = new Map<string | undefined, Status>(Object.entries({ active: "active", intended: "active", "on-hold": "active", completed: "stopped", stopped: "stopped" }));
const REQUEST_STATUS = new Map<string | undefined, Status>(Object.entries({ active: "active", "on-hold": "active", draft: "active", completed: "stopped", stopped: "stopped" }));

interface Source {
  id: string;
  source: VitaminDProduct["source"];
  status: Status;
  resource: MedicationStatement | MedicationRequest;
  dosages: readonly Dosage[];
  start?: string;
  end?: string;
  selected?: boolean;
}

/** Annotation.text is required in FHIR but accepted as absent at the boundary (resource-schemas.ts). */
const noteText = (notes: readonly Annotation[] | undefined): string =>
  (notes ?? []).flatMap((n): string[] => (typeof n.text === "string" && n.text.trim() !== "" ? [n.text] : [])).join(". ");
const ref = (type: string, id: string | undefined, i: number): string => `${type}/${id ?? `unknown-${i}`}`;

function setDates(s: Source, start: string | undefined, end: string | undefined): Source {
  if (start) s.start = start;
  if (s.status === "stopped" && end) s.end = end;
  return s;
}

function fromStatement(r: MedicationStatement, i: number): Source | null {
  const status = STATEMENT_STATUS.get(r.status);
  if (!status) return null;
  const s: Source = { id: ref("MedicationStatement", r.id, i), source: "statement", status, resource: r, dosages: r.dosage ?? [] };
  const start = r.effectivePeriod?.start ?? r.effectiveDateTime ?? r.dateAsserted;
  return setDates(s, start, r.effectivePeriod?.end ?? r.dateAsserted ?? r.meta?.lastUpdated);
}

function fromRequest(r: MedicationRequest, i: number): Source | null {
  const status = REQUEST_STATUS.get(r.status);
  if (!status || r.doNotPerform === true) return null;
  const s: Source = { id: ref("MedicationRequest", r.id, i), source: "request", status, resource: r, dosages: r.dosageInstruction ?? [] };
  const validity = r.dispenseRequest?.validityPeriod;
  return setDates(s, validity?.start ?? r.authoredOn, validity?.end ?? r.meta?.lastUpdated);
}

/** Draft orders are being ordered now: active, no start (starts now), `selected` in order-select. */
function fromDraft(r: MedicationRequest, i: number, selections: ReadonlySet<string> | undefined): Source | null {
  if (r.doNotPerform === true || r.status === "entered-in-error" || r.status === "cancelled") return null;
  const s: Source = { id: ref("MedicationRequest", r.id, i), source: "draft-order", status: "active", resource: r, dosages: r.dosageInstruction ?? [] };
  if (selections) s.selected = selections.has(s.id) || (r.id !== undefined && selections.has(r.id));
  return s;
}

export interface MedicationInputs {
  medicationStatements: readonly MedicationStatement[];
  medicationRequests: readonly MedicationRequest[];
  medications: readonly Medication[];
  draftOrders: readonly MedicationRequest[];
  selections?: readonly string[];
}

export function normalizeMedications(input: MedicationInputs, c: Compiled): { vitaminD: VitaminDProduct[]; otherMedications: RelatedMedication[] } {
  const byId = new Map(input.medications.filter((m) => m.id).map((m) => [m.id!, m] as const));
  const selections = input.selections ? new Set(input.selections) : undefined;
  const draftIds = new Set(input.draftOrders.map((d) => d.id).filter((id): id is string => !!id));
  const sources: Source[] = [];
  input.medicationStatements.forEach((r, i) => pushIf(sources, fromStatement(r, i)));
  // A draft order that the server also returned as the patient's request is counted once, as the draft.
  input.medicationRequests.forEach((r, i) => pushIf(sources, r.id && draftIds.has(r.id) ? null : fromRequest(r, i)));
  input.draftOrders.forEach((r, i) => pushIf(sources, fromDraft(r, i, selections)));

  const products: VitaminDProduct[] = [];
  const others: RelatedMedication[] = [];
  for (const s of sources) {
    const identity = identify(s.resource, byId);
    const vd = vitaminD(identity, c);
    if (vd) {
      const dose = productDose(s.dosages, noteText(s.resource.note), vd.strength, vd.productClass, c);
      const p: VitaminDProduct = { id: s.id, source: s.source, ingredient: vd.ingredient, productClass: vd.productClass, name: identity.name, status: s.status, ...dose };
      if (s.start) p.start = s.start;
      if (s.end) p.end = s.end;
      if (s.selected !== undefined) p.selected = s.selected;
      products.push(p);
    }
    const classes = medicationClasses(identity, c);
    if (classes.length > 0) {
      const m: RelatedMedication = { id: s.id, name: identity.name, classes, status: s.status };
      if (s.start) m.start = s.start;
      if (s.end) m.end = s.end;
      others.push(m);
    }
  }
  return { vitaminD: products, otherMedications: others };
}

function pushIf<T>(list: T[], x: T | null): void {
  if (x !== null) list.push(x);
}
