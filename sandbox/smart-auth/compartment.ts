/**
 * The patient compartment the FHIR proxy enforces, as allow-lists (anything not listed is refused):
 * which types belong to a patient and through which reference, which shared types may be read,
 * and which search parameters cannot reach outside the one patient a search must name.
 */
export type Pair = [string, string];
type Json = Record<string, unknown>;

/** Patient-compartment types and the reference naming their patient (also their search parameter). */
const COMPARTMENT: Record<string, "subject" | "patient"> = {
  Observation: "subject",
  Condition: "subject",
  MedicationRequest: "subject",
  MedicationStatement: "subject",
  MedicationAdministration: "subject",
  MedicationDispense: "subject",
  ServiceRequest: "subject",
  DiagnosticReport: "subject",
  Procedure: "subject",
  Encounter: "subject",
  AllergyIntolerance: "patient",
  Immunization: "patient",
};
/** Not patient data: readable by id, and as `_include`d targets. */
const SHARED = new Set(["Medication", "Practitioner", "PractitionerRole", "Organization", "Location"]);
/** Filters that only narrow a search (AND-ed with the patient). */
const FILTERS = new Set([
  "code",
  "category",
  "date",
  "status",
  "clinical-status",
  "verification-status",
  "intent",
  "authoredon",
  "effective",
  "onset-date",
  "_lastUpdated",
]);
/** Result parameters without reach: paging, sorting, counting. */
const RESULT = new Set(["_count", "_offset", "_sort", "_total", "_summary", "_elements"]);
/** `_include`s allowed (they reach shared types only). */
const INCLUDES = new Set([
  "MedicationRequest:medication",
  "MedicationStatement:medication",
  "MedicationAdministration:medication",
  "MedicationDispense:medication",
]);

const TYPE = /^[A-Z][A-Za-z]{1,63}$/;
const ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** Parses a query string the way the upstream does (decodeURIComponent; "+" stays "+"); undefined when malformed. */
export function parseQuery(search: string): Pair[] | undefined {
  try {
    return search
      .replace(/^\?/, "")
      .split("&")
      .filter(Boolean)
      .map((part): Pair => {
        const eq = part.indexOf("=");
        return eq < 0 ? [decodeURIComponent(part), ""] : [decodeURIComponent(part.slice(0, eq)), decodeURIComponent(part.slice(eq + 1))];
      });
  } catch {
    return undefined;
  }
}

export const serializeQuery = (pairs: Pair[]): string =>
  pairs.length === 0 ? "" : `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&")}`;

/** Why a read of `type/id` may not be forwarded (before the fetch), or undefined. */
export function readDenial(type: string, id: string, query: Pair[], patient: string): string | undefined {
  if (!TYPE.test(type) || !ID.test(id)) return `not a FHIR read: ${type}/${id}`;
  if (query.length > 0) return "parameters are not supported on a read";
  if (type === "Patient") return id === patient ? undefined : "outside the patient in context";
  return COMPARTMENT[type] || SHARED.has(type) ? undefined : `${type} is neither in the patient compartment nor a shared resource type`;
}

/** Why a search of `type` may not be forwarded, or undefined: it must name exactly the patient in context. */
export function searchDenial(type: string, query: Pair[], patient: string): string | undefined {
  const field = COMPARTMENT[type];
  if (type !== "Patient" && !field) return `${type} is not searchable through this proxy (not in the patient compartment)`;
  const patientParams = type === "Patient" ? ["_id"] : field === "subject" ? ["patient", "subject"] : ["patient"];
  const naming = query.filter(([k]) => patientParams.includes(k));
  if (naming.length !== 1) return `search must be limited to the patient in context: exactly one ${patientParams.join(" or ")} parameter`;
  const value = naming[0]?.[1];
  if (value !== patient && (type === "Patient" || value !== `Patient/${patient}`))
    return "search must be limited to the patient in context";
  for (const [key, v] of query) {
    if (patientParams.includes(key) || RESULT.has(key) || (type !== "Patient" && FILTERS.has(key))) continue;
    if (key === "_include" && INCLUDES.has(v)) continue;
    return `search parameter "${key}${key === "_include" ? `=${v}` : ""}" is not allowed through this proxy`;
  }
  return undefined;
}

const refersTo = (value: unknown, patient: string, upstream: string) => {
  const ref = typeof value === "object" && value !== null ? (value as Json)["reference"] : undefined;
  return ref === `Patient/${patient}` || ref === `${upstream}/Patient/${patient}`;
};

/** Whether a resource belongs to the patient's record (the Patient itself, or a compartment type naming them). */
export function inCompartment(resource: Json, patient: string, upstream: string): boolean {
  const type = resource["resourceType"];
  if (type === "Patient") return resource["id"] === patient;
  const field = typeof type === "string" ? COMPARTMENT[type] : undefined;
  return field !== undefined && refersTo(resource[field], patient, upstream);
}

/** Whether a resource fetched for a read of `type/id` may be shown: the one asked for, shared or in the compartment. */
export function readable(resource: Json, type: string, id: string, patient: string, upstream: string): boolean {
  if (resource["resourceType"] !== type || resource["id"] !== id) return false;
  return SHARED.has(type) || inCompartment(resource, patient, upstream);
}

/** A search result entry the token may see: a match of the searched type in the compartment, a shared include, an outcome. */
export function entryAllowed(entry: Json, type: string, patient: string, upstream: string): boolean {
  const resource = entry["resource"];
  if (typeof resource !== "object" || resource === null) return false;
  const r = resource as Json;
  const mode = (entry["search"] as Json | undefined)?.["mode"] ?? "match";
  if (mode === "outcome") return r["resourceType"] === "OperationOutcome";
  if (mode === "match") return r["resourceType"] === type && inCompartment(r, patient, upstream);
  return mode === "include" && (inCompartment(r, patient, upstream) || SHARED.has(String(r["resourceType"])));
}
