/** The CapabilityStatement served at `[base]/metadata`: what this in-process server really supports. */
import type { CapabilityStatement, CapabilityStatementRestResource, CapabilityStatementRestResourceSearchParam } from "fhir/r4";

type ParamType = CapabilityStatementRestResourceSearchParam["type"];

const SEARCHABLE: Record<string, Record<string, ParamType>> = {
  Patient: { _id: "token", name: "string", birthdate: "date", gender: "token", identifier: "token" },
  Observation: {
    _id: "token",
    patient: "reference",
    subject: "reference",
    code: "token",
    date: "date",
    status: "token",
    category: "token",
  },
  MedicationStatement: {
    _id: "token",
    patient: "reference",
    subject: "reference",
    code: "token",
    effective: "date",
    status: "token",
    medication: "reference",
  },
  MedicationRequest: {
    _id: "token",
    patient: "reference",
    subject: "reference",
    code: "token",
    authoredon: "date",
    status: "token",
    intent: "token",
    medication: "reference",
  },
  Condition: {
    _id: "token",
    patient: "reference",
    subject: "reference",
    code: "token",
    "clinical-status": "token",
    "onset-date": "date",
    "recorded-date": "date",
  },
  Medication: { _id: "token", code: "token" },
  Practitioner: { _id: "token", name: "string", identifier: "token" },
  ServiceRequest: { _id: "token", patient: "reference", subject: "reference", code: "token", status: "token" },
};

const INCLUDES: Record<string, string[]> = {
  MedicationStatement: ["MedicationStatement:medication"],
  MedicationRequest: ["MedicationRequest:medication"],
};

const INTERACTIONS = ["read", "vread", "search-type", "create", "update", "delete", "history-instance"] as const;

export function capabilityStatement(baseUrl: string, now: Date): CapabilityStatement {
  const resource = Object.entries(SEARCHABLE).map(([type, params]): CapabilityStatementRestResource => {
    const entry: CapabilityStatementRestResource = {
      type: type as CapabilityStatementRestResource["type"],
      interaction: INTERACTIONS.map((code) => ({ code })),
      searchParam: Object.entries(params).map(([name, paramType]) => ({ name, type: paramType })),
    };
    const includes = INCLUDES[type];
    if (includes) entry.searchInclude = includes;
    return entry;
  });
  return {
    resourceType: "CapabilityStatement",
    status: "active",
    date: now.toISOString(),
    kind: "instance",
    software: { name: "vitd-cds sandbox FHIR server (@medplum/fhir-router MemoryRepository)" },
    implementation: { description: "In-memory FHIR R4 server of the vitd-cds sandbox", url: baseUrl },
    fhirVersion: "4.0.1",
    format: ["application/fhir+json", "json"],
    rest: [{ mode: "server", resource, interaction: [{ code: "transaction" }, { code: "batch" }] }],
  };
}
