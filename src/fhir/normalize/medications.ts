/**
 * MedicationStatement / MedicationRequest / draft orders → VitaminDProduct and RelatedMedication
 * (docs/clinical-logic.md §5): statuses, start/stop dates, draft orders being signed.
 *
 * Dates (FHIR R4; docs/clinical-logic.md §8):
 * - statement start = effectivePeriod.start | effectiveDateTime | dosage timing.repeat.boundsPeriod.start.
 *   `dateAsserted` is when the statement was recorded, never a start: with no start it only says
 *   "taking since at least" that date (`takingSinceAtLeast`); the start stays unknown.
 * - request start = boundsPeriod.start (when administration starts, more precise than the order's
 *   dates) | dispenseRequest.validityPeriod.start | authoredOn. Draft orders start now (no start).
 * - end (stopped products only) = the recorded end (statement effectivePeriod.end), else the planned
 *   end — boundsPeriod.end, or start + boundsDuration (request: then validityPeriod.end) — else
 *   meta.lastUpdated. A stopped statement's dateAsserted is the latest possible stop date: a planned
 *   end after it is capped at it, and without a planned end it is the end ("stopped by then").
 */
import type { Annotation, Dosage, Medication, MedicationRequest, MedicationStatement } from "fhir/r4";
import type { RelatedMedication, VitaminDProduct } from "../facts";
import type { Compiled } from "./compile";
import { productDose } from "./dose";
import { identify, medicationClasses, vitaminD } from "./medication-identity";
import { dosageBounds, earlierDate } from "./timing";

type Status = "active" | "stopped";

/** Maps, not object literals: a status of "constructor" or "__proto__" must not find Object's prototype. */
const STATEMENT_STATUS = new Map<string | undefined, Status>(
  Object.entries({ active: "active", intended: "active", "on-hold": "active", completed: "stopped", stopped: "stopped" }),
);
const REQUEST_STATUS = new Map<string | undefined, Status>(
  Object.entries({ active: "active", "on-hold": "active", draft: "active", completed: "stopped", stopped: "stopped" }),
);

interface Source {
  id: string;
  source: VitaminDProduct["source"];
  status: Status;
  resource: MedicationStatement | MedicationRequest;
  dosages: readonly Dosage[];
  start?: string;
  end?: string;
  /** Statement with no start: recorded (dateAsserted) on this date, so taken since at least then. */
  takingSinceAtLeast?: string;
  selected?: boolean;
}

/** Annotation.text is required in FHIR but accepted as absent at the boundary (resource-schemas.ts). */
const noteText = (notes: readonly Annotation[] | undefined): string =>
  (notes ?? []).flatMap((n): string[] => (typeof n.text === "string" && n.text.trim() !== "" ? [n.text] : [])).join(". ");
const ref = (type: string, id: string | undefined, i: number): string => `${type}/${id ?? `unknown-${i}`}`;

const parses = (iso: string | undefined): iso is string => iso !== undefined && !Number.isNaN(Date.parse(iso));

function setDates(s: Source, start: string | undefined, end: string | undefined): Source {
  if (start) s.start = start;
  if (s.status === "stopped" && end) s.end = end;
  return s;
}

function fromStatement(r: MedicationStatement, i: number): Source | null {
  const status = STATEMENT_STATUS.get(r.status);
  if (!status) return null;
  const s: Source = { id: ref("MedicationStatement", r.id, i), source: "statement", status, resource: r, dosages: r.dosage ?? [] };
  const bounds = dosageBounds(s.dosages);
  const start = r.effectivePeriod?.start ?? r.effectiveDateTime ?? bounds.start;
  // dateAsserted is when the statement was recorded, never the start. For a stopped statement it is the latest
  // possible stop date ("stopped by then"): a planned end after it (bounds) is capped at it, and with no planned
  // end it is the end (as meta.lastUpdated is when there is no dateAsserted either).
  const planned = bounds.end(start);
  const end =
    r.effectivePeriod?.end ?? (r.dateAsserted !== undefined ? earlierDate(planned, r.dateAsserted) : (planned ?? r.meta?.lastUpdated));
  if (!start && status === "active" && parses(r.dateAsserted)) s.takingSinceAtLeast = r.dateAsserted;
  return setDates(s, start, end);
}

function fromRequest(r: MedicationRequest, i: number): Source | null {
  const status = REQUEST_STATUS.get(r.status);
  if (!status || r.doNotPerform === true) return null;
  const s: Source = { id: ref("MedicationRequest", r.id, i), source: "request", status, resource: r, dosages: r.dosageInstruction ?? [] };
  const validity = r.dispenseRequest?.validityPeriod;
  const bounds = dosageBounds(s.dosages);
  // An explicit boundsPeriod.start is when administration starts: more precise than the order's validity or authoring date.
  const start = bounds.start ?? validity?.start ?? r.authoredOn;
  // The planned end (bounds, then the prescription's validity), else meta.lastUpdated (stopped by then at the latest).
  return setDates(s, start, bounds.end(start) ?? validity?.end ?? r.meta?.lastUpdated);
}

/** Draft orders are being ordered now: active, no start (starts now), `selected` in order-select. */
function fromDraft(r: MedicationRequest, i: number, selections: ReadonlySet<string> | undefined): Source | null {
  if (r.doNotPerform === true || r.status === "entered-in-error" || r.status === "cancelled") return null;
  const s: Source = {
    id: ref("MedicationRequest", r.id, i),
    source: "draft-order",
    status: "active",
    resource: r,
    dosages: r.dosageInstruction ?? [],
  };
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

export function normalizeMedications(
  input: MedicationInputs,
  c: Compiled,
): { vitaminD: VitaminDProduct[]; otherMedications: RelatedMedication[] } {
  const byId = new Map(input.medications.filter((m) => m.id).map((m) => [m.id!, m] as const));
  const selections = input.selections ? new Set(input.selections) : undefined;
  const draftIds = new Set(input.draftOrders.map((d) => d.id).filter((id): id is string => !!id));
  const sources = new UniqueSources();
  input.medicationStatements.forEach((r, i) => sources.add(fromStatement(r, i)));
  // A draft order that the server also returned as the patient's request is counted once, as the draft.
  input.medicationRequests.forEach((r, i) => sources.add(r.id && draftIds.has(r.id) ? null : fromRequest(r, i)));
  input.draftOrders.forEach((r, i) => sources.add(fromDraft(r, i, selections)));

  const products: VitaminDProduct[] = [];
  const others: RelatedMedication[] = [];
  for (const s of sources.list) {
    const identity = identify(s.resource, byId);
    const vd = vitaminD(identity, c);
    if (vd) {
      const dose = productDose(s.dosages, noteText(s.resource.note), vd.strength, vd.productClass, c);
      const p: VitaminDProduct = {
        id: s.id,
        source: s.source,
        ingredient: vd.ingredient,
        productClass: vd.productClass,
        name: identity.name,
        status: s.status,
        ...dose,
      };
      if (s.start) p.start = s.start;
      if (s.takingSinceAtLeast) p.takingSinceAtLeast = s.takingSinceAtLeast;
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

/**
 * The same resource (type + id) seen twice — two result pages, prefetch plus fallback, a Bundle
 * listing it twice — counts once: the copy with the newer meta.lastUpdated, else the first.
 * Resources without an id are all kept (their references carry their position).
 */
class UniqueSources {
  readonly list: Source[] = [];
  private readonly at = new Map<string, number>();
  add(s: Source | null): void {
    if (s === null) return;
    if (s.resource.id === undefined) {
      this.list.push(s);
      return;
    }
    const seen = this.at.get(s.id);
    if (seen === undefined) {
      this.at.set(s.id, this.list.length);
      this.list.push(s);
    } else if (newer(s.resource.meta?.lastUpdated, this.list[seen]!.resource.meta?.lastUpdated)) this.list[seen] = s;
  }
}

const newer = (a: string | undefined, b: string | undefined): boolean => parses(a) && parses(b) && Date.parse(a) > Date.parse(b);
