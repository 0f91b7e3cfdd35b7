/**
 * Builders for CDS Hooks 2.0 request bodies, shaped like the cds-hooks/docs examples, plus a helper
 * that turns a patient's resources into a full prefetch answering every discovery template.
 */
import type { Bundle, FhirResource, MedicationRequest } from "fhir/r4";
import { prefetchQueries } from "../src/fhir/queries";
import { labQueryGroups } from "../src/fhir/lab-query-codes";

export const FHIR_BASE = "https://ehr.example.org/fhir";
export const ACCESS_TOKEN = "ehr-access-token-123";
export const PATIENT_ID = "pat-1";

/** A searchset Bundle of `resources` on the FHIR server at `base`, with a `next` link when given. */
export function searchsetAt(base: string, resources: FhirResource[], next?: string): Bundle<FhirResource> {
  return {
    resourceType: "Bundle",
    type: "searchset",
    total: resources.length,
    ...(next ? { link: [{ relation: "next", url: next }] } : {}),
    entry: resources.map((resource) => ({
      fullUrl: `${base}/${resource.resourceType}/${resource.id ?? ""}`,
      resource,
      search: { mode: "match" },
    })),
  };
}

export function searchset(resources: FhirResource[], next?: string): Bundle<FhirResource> {
  return searchsetAt(FHIR_BASE, resources, next);
}

const codeTokensOf = (r: FhirResource) =>
  r.resourceType === "Observation" ? (r.code.coding ?? []).map((c) => `${c.system ?? ""}|${c.code ?? ""}`) : [];

const groupOfKey: Record<string, readonly string[]> = {
  vitaminD: labQueryGroups.vitaminD,
  calcium: labQueryGroups.calcium,
  magnesium: labQueryGroups.magnesium,
  renal: labQueryGroups.renal,
  relatedLabs: labQueryGroups.related,
};

/** Every prefetch key filled from `resources` (searchsets; empty searches as null, as an EHR would send). */
export function fullPrefetch(patient: FhirResource, resources: FhirResource[]): Record<string, FhirResource | null> {
  const out: Record<string, FhirResource | null> = {};
  for (const q of prefetchQueries) {
    let matched: FhirResource[];
    if (q.key === "patient") {
      out[q.key] = patient;
      continue;
    } else if (q.key in groupOfKey) {
      const codes = groupOfKey[q.key] ?? [];
      matched = resources.filter((r) => codeTokensOf(r).some((t) => codes.includes(t)));
    } else {
      const type = { medicationStatements: "MedicationStatement", medicationRequests: "MedicationRequest", conditions: "Condition" }[q.key];
      matched = resources.filter((r) => r.resourceType === type);
      // `_include=…:medication`: the referenced Medication resources come along
      const refs = new Set(
        matched.flatMap((r) => ("medicationReference" in r && r.medicationReference?.reference ? [r.medicationReference.reference] : [])),
      );
      matched.push(...resources.filter((r) => r.resourceType === "Medication" && refs.has(`Medication/${r.id ?? ""}`)));
    }
    out[q.key] = matched.length > 0 ? searchset(matched) : null;
  }
  return out;
}

interface BodyOptions {
  prefetch?: Record<string, unknown>;
  fhirServer?: string | null;
  draftOrders?: MedicationRequest[];
  selections?: string[];
  patientId?: string;
}

function common(hook: string, o: BodyOptions) {
  const server = o.fhirServer === undefined ? FHIR_BASE : o.fhirServer;
  return {
    hook,
    hookInstance: "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
    ...(server
      ? {
          fhirServer: server,
          fhirAuthorization: {
            access_token: ACCESS_TOKEN,
            token_type: "Bearer",
            expires_in: 300,
            scope: "patient/Patient.read patient/Observation.read",
            subject: "vitd-cds",
          },
        }
      : {}),
    ...(o.prefetch ? { prefetch: o.prefetch } : {}),
  };
}

export function patientViewBody(o: BodyOptions = {}) {
  return { ...common("patient-view", o), context: { userId: "Practitioner/example", patientId: o.patientId ?? PATIENT_ID } };
}

export function orderSignBody(o: BodyOptions = {}) {
  return {
    ...common("order-sign", o),
    context: {
      userId: "Practitioner/example",
      patientId: o.patientId ?? PATIENT_ID,
      draftOrders: { resourceType: "Bundle", type: "collection", entry: (o.draftOrders ?? []).map((resource) => ({ resource })) },
    },
  };
}

export function orderSelectBody(o: BodyOptions = {}) {
  const drafts = o.draftOrders ?? [];
  return {
    ...common("order-select", o),
    context: {
      userId: "Practitioner/example",
      patientId: o.patientId ?? PATIENT_ID,
      selections: o.selections ?? drafts.map((d) => `MedicationRequest/${d.id ?? ""}`),
      draftOrders: { resourceType: "Bundle", type: "collection", entry: drafts.map((resource) => ({ resource })) },
    },
  };
}
