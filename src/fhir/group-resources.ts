/**
 * Sorts a flat list of FHIR resources (from prefetch bundles and fallback searches) into the
 * typed buckets the normalizer takes, dropping duplicates (same type and id) and unrelated types.
 */
import type { FhirResource, MedicationRequest } from "fhir/r4";
import type { ClinicalResources } from "./normalize";

export function groupResources(
  resources: FhirResource[],
  context: { patientId: string; draftOrders: MedicationRequest[]; selections?: string[] },
): ClinicalResources {
  const out: ClinicalResources = {
    patientId: context.patientId,
    observations: [],
    medicationStatements: [],
    medicationRequests: [],
    medications: [],
    conditions: [],
    draftOrders: context.draftOrders,
    ...(context.selections ? { selections: context.selections } : {}),
  };
  // A draft being signed may already be stored on the EHR's server: count it once, as the draft.
  const seen = new Set<string>(context.draftOrders.flatMap((d) => (d.id ? [`MedicationRequest/${d.id}`] : [])));
  for (const r of resources) {
    if (r.id !== undefined) {
      const key = `${r.resourceType}/${r.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
    }
    switch (r.resourceType) {
      case "Patient":
        if (!out.patient || r.id === context.patientId) out.patient = r;
        break;
      case "Observation":
        out.observations.push(r);
        break;
      case "MedicationStatement":
        out.medicationStatements.push(r);
        break;
      case "MedicationRequest":
        out.medicationRequests.push(r);
        break;
      case "Medication":
        out.medications.push(r);
        break;
      case "Condition":
        out.conditions.push(r);
        break;
      default:
        break;
    }
  }
  return out;
}

const MEDICATION_REF = /^Medication\/[A-Za-z0-9\-.]{1,64}$/;
const MAX_MEDICATION_READS = 50;

/** Medication resources referenced (not contained) by statements/requests and not already in the list. */
export function unresolvedMedicationRefs(resources: FhirResource[]): string[] {
  const present = new Set(resources.filter((r) => r.resourceType === "Medication").map((r) => `Medication/${r.id ?? ""}`));
  const refs = new Set<string>();
  for (const r of resources) {
    if (r.resourceType !== "MedicationStatement" && r.resourceType !== "MedicationRequest") continue;
    const ref = r.medicationReference?.reference;
    if (ref && MEDICATION_REF.test(ref) && !present.has(ref)) refs.add(ref);
  }
  return [...refs].slice(0, MAX_MEDICATION_READS);
}
