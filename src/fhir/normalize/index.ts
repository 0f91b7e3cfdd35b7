/**
 * FHIR R4 → Facts (docs/clinical-logic.md §13). Pure, synchronous, no I/O and no clock; runs in Node
 * and in the browser bundle. Linear in the number of resources (code tables compiled once
 * per CodeSets object, UCUM factors cached).
 */
import type { Condition, Medication, MedicationRequest, MedicationStatement, Observation, Patient } from "fhir/r4";
import type { CodeSets } from "../code-sets";
import { defaultCodeSets } from "../code-sets";
import type { Facts, NotUsedResource, PatientFacts, TruncatedSearch } from "../facts";
import { compile } from "./compile";
import { normalizeConditions } from "./conditions";
import { normalizeLabs } from "./labs";
import { normalizeMedications } from "./medications";

export { defaultCodeSets, extendCodeSets, SYSTEMS } from "../code-sets";
export type { CodeSets } from "../code-sets";

export interface ClinicalResources {
  /** context.patientId (bare id). */
  patientId: string;
  patient?: Patient;
  observations: Observation[];
  medicationStatements: MedicationStatement[];
  /** The patient's existing requests. */
  medicationRequests: MedicationRequest[];
  /** Referenced Medication resources found alongside (contained ones are read from the resource itself). */
  medications: Medication[];
  conditions: Condition[];
  /** MedicationRequests from context.draftOrders (order-select / order-sign). */
  draftOrders: MedicationRequest[];
  /** order-select context.selections, e.g. ["MedicationRequest/abc"]. */
  selections?: string[];
  /** Resources left out because they could not be read (read-resources.ts). */
  notUsed?: NotUsedResource[];
  /** Searches cut short by the page limit. */
  truncated?: TruncatedSearch[];
}

function patientFacts(patientId: string, patient: Patient | undefined): PatientFacts {
  const facts: PatientFacts = { id: patientId };
  if (patient?.birthDate) facts.birthDate = patient.birthDate;
  const gender: unknown = patient?.gender;
  if (gender === "male" || gender === "female" || gender === "other" || gender === "unknown") facts.gender = gender;
  const name = patient?.name?.find((n) => n.use === "official") ?? patient?.name?.[0];
  const text = name?.text ?? [...(name?.given ?? []), name?.family].filter((s): s is string => !!s).join(" ");
  if (text) facts.name = text;
  return facts;
}

export function normalizeFacts(resources: ClinicalResources, codeSets: CodeSets = defaultCodeSets): Facts {
  const c = compile(codeSets);
  const { labs, ignored } = normalizeLabs(resources.observations, c);
  const meds = normalizeMedications(
    {
      medicationStatements: resources.medicationStatements,
      medicationRequests: resources.medicationRequests,
      medications: resources.medications,
      draftOrders: resources.draftOrders,
      ...(resources.selections ? { selections: resources.selections } : {}),
    },
    c,
  );
  return {
    patient: patientFacts(resources.patientId, resources.patient),
    labs,
    ignoredObservations: ignored,
    notUsed: resources.notUsed ?? [],
    truncated: resources.truncated ?? [],
    vitaminD: meds.vitaminD,
    otherMedications: meds.otherMedications,
    conditions: normalizeConditions(resources.conditions, c),
  };
}
