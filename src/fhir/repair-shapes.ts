/**
 * Shapes real systems send that can be read without guessing (docs/clinical-logic.md, "Real-world
 * data"), rewritten into R4 before a resource is checked:
 * - STU3 `Condition.clinicalStatus` / `verificationStatus` as a code string → a CodeableConcept of the
 *   R4 code system (the STU3 and R4 codes are the same words);
 * - `Observation.interpretation` as one CodeableConcept instead of a list → a list of one;
 * - a Quantity `value` given as a decimal string ("45", "1.25") → the number (FHIR's decimal grammar
 *   only: "45 mg", "1,2" or "" stay as they are and fail the check).
 * Copy-on-write: the input object is never changed; a resource that needs nothing is returned as is.
 */
type Json = Record<string, unknown>;

const CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical";
const CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
/** FHIR R4 `decimal` (without surrounding spaces). */
const FHIR_DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** A Quantity with a decimal-string value → a copy with the number; anything else unchanged. */
function quantity(q: unknown): unknown {
  if (!isObject(q) || typeof q.value !== "string" || !FHIR_DECIMAL.test(q.value)) return q;
  return { ...q, value: Number(q.value) };
}

/** `list` mapped by `fn`; the same array when no element changed (no allocation on that, the usual, path). */
function mapSame(list: unknown, fn: (item: Json) => Json): unknown {
  if (!Array.isArray(list)) return list;
  let out: unknown[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const item: unknown = list[i];
    const next = isObject(item) ? fn(item) : item;
    if (next !== item && !out) out = list.slice(0, i);
    out?.push(next);
  }
  return out ?? list;
}

/** `o` with `changes` applied, or `o` itself when every value is the one already there. */
function withChanges(o: Json, changes: Json): Json {
  for (const k in changes) if (changes[k] !== o[k]) return { ...o, ...changes };
  return o;
}

function codeString(value: unknown, system: string): unknown {
  return typeof value === "string" && value !== "" ? { coding: [{ system, code: value }], text: value } : value;
}

const range = (r: Json): Json => withChanges(r, { low: quantity(r.low), high: quantity(r.high) });

function observationValue(o: Json): Json {
  return withChanges(o, {
    valueQuantity: quantity(o.valueQuantity),
    interpretation: isObject(o.interpretation) ? [o.interpretation] : o.interpretation,
    referenceRange: mapSame(o.referenceRange, range),
  });
}

const observation = (o: Json): Json => withChanges(observationValue(o), { component: mapSame(o.component, observationValue) });

const condition = (c: Json): Json =>
  withChanges(c, {
    clinicalStatus: codeString(c.clinicalStatus, CONDITION_CLINICAL),
    verificationStatus: codeString(c.verificationStatus, CONDITION_VERIFICATION),
  });

const doseAndRate = (r: Json): Json => withChanges(r, { doseQuantity: quantity(r.doseQuantity) });
const dosage = (d: Json): Json => withChanges(d, { doseAndRate: mapSame(d.doseAndRate, doseAndRate) });

/** The resource with the no-guess repairs applied (the same object when none applies). */
export function repairShapes(resource: Json): Json {
  switch (resource.resourceType) {
    case "Observation":
      return observation(resource);
    case "Condition":
      return condition(resource);
    case "MedicationStatement":
      return withChanges(resource, { dosage: mapSame(resource.dosage, dosage) });
    case "MedicationRequest":
      return withChanges(resource, { dosageInstruction: mapSame(resource.dosageInstruction, dosage) });
    default:
      return resource;
  }
}
