/**
 * Malformed FHIR resources inside an otherwise valid hook request (prefetch values, Bundle entries,
 * contained and referenced Medications, draft orders) → 400 whose `field` is the exact path of the
 * bad value — never a 500 from a normalizer reading a field of the wrong type. And what is
 * deliberately accepted (see src/fhir/resource-schemas.ts) still answers 200.
 */
import nock from "nock";
import request from "supertest";
import { conditionFixture, medicationFixture, requestFixture, statementFixture } from "../fixtures/fhir";
import { deficientOn50000Weekly as fixture } from "../fixtures/hooks";
import { draftOrderFixture } from "../fixtures/fhir";
import { fullPrefetch, orderSelectBody, orderSignBody, patientViewBody } from "../helpers/hook-requests";
import { buildTestApp } from "../helpers/test-app";

type Path = (string | number)[];
type Body = Record<string, unknown>;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
});
afterAll(() => nock.enableNetConnect());

/**
 * prefetch: patient pat-1; vitaminD [vitd-1]; calcium [ca-1, alb-1]; magnesium [mg-1];
 * medicationStatements [ms-d3, ms-ref-med, Medication med-d3-50000]; medicationRequests [mr-contained-d3
 * (contained Medication #med1)]; conditions [cond-cramp]; renal and relatedLabs null.
 */
function prefetch() {
  const resources = [
    ...fixture.resources,
    statementFixture("statement-referenced-medication"),
    medicationFixture("medication-cholecalciferol-1.25-mg"),
    requestFixture("request-contained-d3-every-2-weeks"),
    { ...conditionFixture("cramp-snomed"), id: "cond-cramp" },
  ];
  return JSON.parse(JSON.stringify(fullPrefetch(fixture.patient, resources))) as Body;
}

const pv = () => patientViewBody({ prefetch: prefetch() }) as Body;
const sign = () => orderSignBody({ prefetch: prefetch(), draftOrders: [draftOrderFixture("draft-d3-50000-weekly")] }) as Body;
const select = () => orderSelectBody({ prefetch: prefetch(), draftOrders: [draftOrderFixture("draft-d3-50000-weekly")] }) as Body;

/** Sets the value at `path` (creating objects on the way), on a fresh body. */
function withValue(body: Body, path: Path, value: unknown): Body {
  let at = body as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    at[key] ??= {};
    at = at[key] as Record<string | number, unknown>;
  }
  at[path[path.length - 1]!] = value;
  return body;
}

const VITD = ["prefetch", "vitaminD", "entry", 0, "resource"];
const MS = ["prefetch", "medicationStatements", "entry", 0, "resource"];
const MED = ["prefetch", "medicationStatements", "entry", 2, "resource"];
const MR = ["prefetch", "medicationRequests", "entry", 0, "resource"];
const COND = ["prefetch", "conditions", "entry", 0, "resource"];
const DRAFT = ["context", "draftOrders", "entry", 0, "resource"];

/** [class of malformed input, service, body builder, path damaged, value put there, field the 400 names] */
const malformed: Array<[string, string, () => Body, Path, unknown, string]> = [
  ["Patient.name not an array", "vitd-patient-view", pv, ["prefetch", "patient", "name"], { family: "Okafor" }, "prefetch.patient.name"],
  ["Patient.name[0].given a string", "vitd-patient-view", pv, ["prefetch", "patient", "name", 0, "given"], "Grace", "prefetch.patient.name[0].given"],
  ["Patient.birthDate a number", "vitd-patient-view", pv, ["prefetch", "patient", "birthDate"], 19600101, "prefetch.patient.birthDate"],
  ["Patient.id a number", "vitd-patient-view", pv, ["prefetch", "patient", "id"], 1, "prefetch.patient.id"],
  ["Bundle.entry null", "vitd-patient-view", pv, ["prefetch", "vitaminD", "entry", 0], null, "prefetch.vitaminD.entry[0]"],
  ["Bundle.entry not an array", "vitd-patient-view", pv, ["prefetch", "vitaminD", "entry"], { resource: {} }, "prefetch.vitaminD.entry"],
  ["Bundle.entry.resource without resourceType", "vitd-patient-view", pv, [...VITD, "resourceType"], 7, "prefetch.vitaminD.entry[0].resource.resourceType"],
  ["Bundle.entry.search.mode a number", "vitd-patient-view", pv, ["prefetch", "vitaminD", "entry", 0, "search", "mode"], 1, "prefetch.vitaminD.entry[0].search.mode"],
  ["Bundle.link not an array", "vitd-patient-view", pv, ["prefetch", "calcium", "link"], { relation: "next" }, "prefetch.calcium.link"],
  ["Observation.valueQuantity.value a string (decimal as string)", "vitd-patient-view", pv, [...VITD, "valueQuantity", "value"], "11", "prefetch.vitaminD.entry[0].resource.valueQuantity.value"],
  ["Observation.valueQuantity.comparator not a comparator", "vitd-patient-view", pv, [...VITD, "valueQuantity", "comparator"], "~", "prefetch.vitaminD.entry[0].resource.valueQuantity.comparator"],
  ["Observation.valueQuantity.unit a number", "vitd-patient-view", pv, [...VITD, "valueQuantity", "unit"], 5, "prefetch.vitaminD.entry[0].resource.valueQuantity.unit"],
  ["Observation.valueQuantity an array", "vitd-patient-view", pv, [...VITD, "valueQuantity"], [{ value: 11 }], "prefetch.vitaminD.entry[0].resource.valueQuantity"],
  ["Observation.code.coding not an array", "vitd-patient-view", pv, [...VITD, "code", "coding"], { system: "http://loinc.org", code: "62292-8" }, "prefetch.vitaminD.entry[0].resource.code.coding"],
  ["Observation.code.coding[0] null", "vitd-patient-view", pv, [...VITD, "code", "coding", 0], null, "prefetch.vitaminD.entry[0].resource.code.coding[0]"],
  ["Observation.code.coding[0].code a number", "vitd-patient-view", pv, [...VITD, "code", "coding", 0, "code"], 622928, "prefetch.vitaminD.entry[0].resource.code.coding[0].code"],
  ["Observation.effectiveDateTime a number", "vitd-patient-view", pv, [...VITD, "effectiveDateTime"], 20260511, "prefetch.vitaminD.entry[0].resource.effectiveDateTime"],
  ["Observation.status an object", "vitd-patient-view", pv, [...VITD, "status"], { code: "final" }, "prefetch.vitaminD.entry[0].resource.status"],
  ["Observation.valueString a number", "vitd-patient-view", pv, [...VITD, "valueString"], 11, "prefetch.vitaminD.entry[0].resource.valueString"],
  ["Observation.referenceRange not an array", "vitd-patient-view", pv, [...VITD, "referenceRange"], { low: { value: 30 } }, "prefetch.vitaminD.entry[0].resource.referenceRange"],
  ["Observation.referenceRange[0].low.value a string", "vitd-patient-view", pv, [...VITD, "referenceRange", 0, "low", "value"], "30", "prefetch.vitaminD.entry[0].resource.referenceRange[0].low.value"],
  ["Observation.interpretation an object", "vitd-patient-view", pv, ["prefetch", "magnesium", "entry", 0, "resource", "interpretation"], { text: "L" }, "prefetch.magnesium.entry[0].resource.interpretation"],
  ["MedicationStatement.dosage a string", "vitd-patient-view", pv, [...MS, "dosage"], "x".repeat(220_000), "prefetch.medicationStatements.entry[0].resource.dosage"],
  ["Dosage.timing.repeat.period a string", "vitd-patient-view", pv, [...MS, "dosage", 0, "timing", "repeat", "period"], "1", "prefetch.medicationStatements.entry[0].resource.dosage[0].timing.repeat.period"],
  ["Dosage.timing.repeat.dayOfWeek a string", "vitd-patient-view", pv, [...MS, "dosage", 0, "timing", "repeat", "dayOfWeek"], "mon", "prefetch.medicationStatements.entry[0].resource.dosage[0].timing.repeat.dayOfWeek"],
  ["Dosage.doseAndRate[0].doseQuantity.value a string", "vitd-patient-view", pv, [...MS, "dosage", 0, "doseAndRate", 0, "doseQuantity", "value"], "50000", "prefetch.medicationStatements.entry[0].resource.dosage[0].doseAndRate[0].doseQuantity.value"],
  ["Dosage.text a number", "vitd-patient-view", pv, [...MS, "dosage", 0, "text"], 50000, "prefetch.medicationStatements.entry[0].resource.dosage[0].text"],
  ["Dosage.sequence a string", "vitd-patient-view", pv, [...MS, "dosage", 0, "sequence"], "1", "prefetch.medicationStatements.entry[0].resource.dosage[0].sequence"],
  ["MedicationStatement.medicationCodeableConcept.text a number", "vitd-patient-view", pv, [...MS, "medicationCodeableConcept", "text"], 42, "prefetch.medicationStatements.entry[0].resource.medicationCodeableConcept.text"],
  ["MedicationStatement.note[0].text a number", "vitd-patient-view", pv, [...MS, "note"], [{ text: 1 }], "prefetch.medicationStatements.entry[0].resource.note[0].text"],
  ["MedicationStatement.effectivePeriod.start a number", "vitd-patient-view", pv, [...MS, "effectivePeriod", "start"], 2026, "prefetch.medicationStatements.entry[0].resource.effectivePeriod.start"],
  ["MedicationStatement.medicationReference a string", "vitd-patient-view", pv, ["prefetch", "medicationStatements", "entry", 1, "resource", "medicationReference"], "Medication/med-d3-50000", "prefetch.medicationStatements.entry[1].resource.medicationReference"],
  ["Medication.ingredient[0].strength.numerator.value a string", "vitd-patient-view", pv, [...MED, "ingredient", 0, "strength", "numerator", "value"], "1.25", "prefetch.medicationStatements.entry[2].resource.ingredient[0].strength.numerator.value"],
  ["Medication.code.coding a string", "vitd-patient-view", pv, [...MED, "code", "coding"], "2418", "prefetch.medicationStatements.entry[2].resource.code.coding"],
  ["contained Medication strength.numerator.value a string", "vitd-patient-view", pv, [...MR, "contained", 0, "ingredient", 0, "strength", "numerator", "value"], "50000", "prefetch.medicationRequests.entry[0].resource.contained[0].ingredient[0].strength.numerator.value"],
  ["contained resource null", "vitd-patient-view", pv, [...MR, "contained", 0], null, "prefetch.medicationRequests.entry[0].resource.contained[0]"],
  ["MedicationRequest.doNotPerform a string", "vitd-patient-view", pv, [...MR, "doNotPerform"], "true", "prefetch.medicationRequests.entry[0].resource.doNotPerform"],
  ["MedicationRequest.dosageInstruction an object", "vitd-patient-view", pv, [...MR, "dosageInstruction"], { text: "weekly" }, "prefetch.medicationRequests.entry[0].resource.dosageInstruction"],
  ["MedicationRequest.dispenseRequest.validityPeriod.end a number", "vitd-patient-view", pv, [...MR, "dispenseRequest", "validityPeriod", "end"], 1, "prefetch.medicationRequests.entry[0].resource.dispenseRequest.validityPeriod.end"],
  ["MedicationRequest.meta.lastUpdated a number", "vitd-patient-view", pv, [...MR, "meta", "lastUpdated"], 1, "prefetch.medicationRequests.entry[0].resource.meta.lastUpdated"],
  ["Condition.clinicalStatus.coding a string", "vitd-patient-view", pv, [...COND, "clinicalStatus", "coding"], "active", "prefetch.conditions.entry[0].resource.clinicalStatus.coding"],
  ["Condition.onsetDateTime a number", "vitd-patient-view", pv, [...COND, "onsetDateTime"], 2026, "prefetch.conditions.entry[0].resource.onsetDateTime"],
  ["order-sign draft dosageInstruction a string", "vitd-order-sign", sign, [...DRAFT, "dosageInstruction"], "50,000 IU weekly", "context.draftOrders.entry[0].resource.dosageInstruction"],
  ["order-sign draft doseQuantity.value a string", "vitd-order-sign", sign, [...DRAFT, "dosageInstruction", 0, "doseAndRate", 0, "doseQuantity", "value"], "1", "context.draftOrders.entry[0].resource.dosageInstruction[0].doseAndRate[0].doseQuantity.value"],
  ["order-select draft coding[0].code a number", "vitd-order-select", select, [...DRAFT, "medicationCodeableConcept", "coding"], [{ code: 2418 }], "context.draftOrders.entry[0].resource.medicationCodeableConcept.coding[0].code"],
];

/** [class deliberately accepted, body builder, path, value] → 200. */
const accepted: Array<[string, () => Body, Path, unknown]> = [
  ["unknown fields anywhere", pv, [...VITD, "valueQuantity", "x-vendor"], { anything: [1, "two"] }],
  ["a resource type the service does not read", pv, ["prefetch", "vitaminD", "entry", 1], { resource: { resourceType: "Basic", code: 5 } }],
  ["comparator spelled ≤", pv, [...VITD, "valueQuantity", "comparator"], "≤"],
  ["a date that is not a date (reported as an ignored result)", pv, [...VITD, "effectiveDateTime"], "yesterday"],
  ["Observation without status (dropped, as before)", pv, [...VITD, "status"], undefined],
  ["Annotation without text", pv, [...MS, "note"], [{ authorString: "patient" }]],
  ["a status that names an Object.prototype member", pv, [...MS, "status"], "constructor"],
  ["a unit that names an Object.prototype member", pv, [...MS, "dosage", 0, "doseAndRate", 0, "doseQuantity", "unit"], "__proto__"],
];

describe("malformed FHIR resources in a hook request → 400 naming the exact field", () => {
  const app = buildTestApp();

  it("the undamaged bodies are answered 200 without any FHIR call", async () => {
    for (const [service, body] of [["vitd-patient-view", pv()], ["vitd-order-sign", sign()], ["vitd-order-select", select()]] as const) {
      const res = await request(app).post(`/cds-services/${service}`).send(body);
      expect(res.status).toBe(200);
    }
  });

  it.each(malformed)("%s", async (_class, service, build, path, value, field) => {
    const res = await request(app).post(`/cds-services/${service}`).send(withValue(build(), path, value));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("invalid_request");
    expect(res.body.field).toBe(field);
    expect(res.body.message).toMatch(new RegExp(`^${field.replace(/[[\].]/g, "\\$&")}: `));
  });

  it.each(accepted)("accepted: %s", async (_class, build, path, value) => {
    const res = await request(app).post("/cds-services/vitd-patient-view").send(withValue(build(), path, value));
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body.cards)).toBe(true);
  });
});
