/**
 * A record is never all clean. A malformed FHIR resource inside an otherwise valid hook request
 * (prefetch values, Bundle entries, contained and referenced Medications, draft orders) is left out
 * and listed in every card's "Missing or not used" with its Type/id and the field at fault — the call
 * still answers 200 with the cards the rest of the record supports. Shapes that need no guessing
 * (a decimal as a string, one interpretation object, an STU3 status string) are read. Only a broken
 * envelope (a Bundle's entry/link lists) is a 400 naming the field. Never a 500.
 */
import nock from "nock";
import request from "supertest";
import { conditionFixture, medicationFixture, requestFixture, statementFixture } from "../fixtures/fhir";
import { deficientOn50000Weekly as fixture } from "../fixtures/hooks";
import { draftOrderFixture } from "../fixtures/fhir";
import { fullPrefetch, orderSelectBody, orderSignBody, patientViewBody } from "../../devkit/hook-requests";
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

/** [class of malformed input, service, body builder, path damaged, value put there, the resource left out] */
const malformed: Array<[string, string, () => Body, Path, unknown, string]> = [
  ["Patient.name not an array", "vitd-patient-view", pv, ["prefetch", "patient", "name"], { family: "Okafor" }, "Patient/pat-1"],
  ["Patient.name[0].given a string", "vitd-patient-view", pv, ["prefetch", "patient", "name", 0, "given"], "Grace", "Patient/pat-1"],
  ["Patient.birthDate a number", "vitd-patient-view", pv, ["prefetch", "patient", "birthDate"], 19600101, "Patient/pat-1"],
  ["Bundle.entry.resource without resourceType", "vitd-patient-view", pv, [...VITD, "resourceType"], 7, "resource/vitd-1"],
  [
    "Observation.valueQuantity.comparator not a comparator",
    "vitd-patient-view",
    pv,
    [...VITD, "valueQuantity", "comparator"],
    "~",
    "Observation/vitd-1",
  ],
  ["Observation.valueQuantity.unit a number", "vitd-patient-view", pv, [...VITD, "valueQuantity", "unit"], 5, "Observation/vitd-1"],
  ["Observation.valueQuantity an array", "vitd-patient-view", pv, [...VITD, "valueQuantity"], [{ value: 11 }], "Observation/vitd-1"],
  [
    "Observation.valueQuantity.value a string that is not a decimal",
    "vitd-patient-view",
    pv,
    [...VITD, "valueQuantity", "value"],
    "11 ng",
    "Observation/vitd-1",
  ],
  [
    "Observation.code.coding not an array",
    "vitd-patient-view",
    pv,
    [...VITD, "code", "coding"],
    { system: "http://loinc.org", code: "62292-8" },
    "Observation/vitd-1",
  ],
  ["Observation.code.coding[0] null", "vitd-patient-view", pv, [...VITD, "code", "coding", 0], null, "Observation/vitd-1"],
  [
    "Observation.code.coding[0].code a number",
    "vitd-patient-view",
    pv,
    [...VITD, "code", "coding", 0, "code"],
    622928,
    "Observation/vitd-1",
  ],
  ["Observation.effectiveDateTime a number", "vitd-patient-view", pv, [...VITD, "effectiveDateTime"], 20260511, "Observation/vitd-1"],
  ["Observation.status an object", "vitd-patient-view", pv, [...VITD, "status"], { code: "final" }, "Observation/vitd-1"],
  ["Observation.valueString a number", "vitd-patient-view", pv, [...VITD, "valueString"], 11, "Observation/vitd-1"],
  [
    "Observation.referenceRange not an array",
    "vitd-patient-view",
    pv,
    [...VITD, "referenceRange"],
    { low: { value: 30 } },
    "Observation/vitd-1",
  ],
  [
    "MedicationStatement.dosage a string",
    "vitd-patient-view",
    pv,
    ["prefetch", "medicationStatements", "entry", 1, "resource", "dosage"],
    "x".repeat(220_000),
    "MedicationStatement/ms-ref-med",
  ],
  [
    "Dosage.timing.repeat.period a string",
    "vitd-patient-view",
    pv,
    [...MS, "dosage", 0, "timing", "repeat", "period"],
    "1",
    "MedicationStatement/ms-d3",
  ],
  [
    "Dosage.timing.repeat.dayOfWeek a string",
    "vitd-patient-view",
    pv,
    [...MS, "dosage", 0, "timing", "repeat", "dayOfWeek"],
    "mon",
    "MedicationStatement/ms-d3",
  ],
  ["Dosage.text a number", "vitd-patient-view", pv, [...MS, "dosage", 0, "text"], 50000, "MedicationStatement/ms-d3"],
  ["Dosage.sequence a string", "vitd-patient-view", pv, [...MS, "dosage", 0, "sequence"], "1", "MedicationStatement/ms-d3"],
  [
    "MedicationStatement.medicationCodeableConcept.text a number",
    "vitd-patient-view",
    pv,
    [...MS, "medicationCodeableConcept", "text"],
    42,
    "MedicationStatement/ms-d3",
  ],
  ["MedicationStatement.note[0].text a number", "vitd-patient-view", pv, [...MS, "note"], [{ text: 1 }], "MedicationStatement/ms-d3"],
  [
    "MedicationStatement.effectivePeriod.start a number",
    "vitd-patient-view",
    pv,
    [...MS, "effectivePeriod", "start"],
    2026,
    "MedicationStatement/ms-d3",
  ],
  [
    "MedicationStatement.medicationReference a string",
    "vitd-patient-view",
    pv,
    ["prefetch", "medicationStatements", "entry", 1, "resource", "medicationReference"],
    "Medication/med-d3-50000",
    "MedicationStatement/ms-ref-med",
  ],
  [
    "Medication.ingredient[0].strength.numerator.value a string that is not a decimal",
    "vitd-patient-view",
    pv,
    [...MED, "ingredient", 0, "strength", "numerator", "value"],
    "1,25",
    "Medication/med-d3-50000",
  ],
  ["Medication.code.coding a string", "vitd-patient-view", pv, [...MED, "code", "coding"], "2418", "Medication/med-d3-50000"],
  [
    "contained Medication strength.numerator.value a string",
    "vitd-patient-view",
    pv,
    [...MR, "contained", 0, "ingredient", 0, "strength", "numerator", "value"],
    "50000",
    "MedicationRequest/mr-contained-d3",
  ],
  ["contained resource null", "vitd-patient-view", pv, [...MR, "contained", 0], null, "MedicationRequest/mr-contained-d3"],
  [
    "MedicationRequest.doNotPerform a string",
    "vitd-patient-view",
    pv,
    [...MR, "doNotPerform"],
    "true",
    "MedicationRequest/mr-contained-d3",
  ],
  [
    "MedicationRequest.dosageInstruction an object",
    "vitd-patient-view",
    pv,
    [...MR, "dosageInstruction"],
    { text: "weekly" },
    "MedicationRequest/mr-contained-d3",
  ],
  [
    "MedicationRequest.dispenseRequest.validityPeriod.end a number",
    "vitd-patient-view",
    pv,
    [...MR, "dispenseRequest", "validityPeriod", "end"],
    1,
    "MedicationRequest/mr-contained-d3",
  ],
  [
    "MedicationRequest.meta.lastUpdated a number",
    "vitd-patient-view",
    pv,
    [...MR, "meta", "lastUpdated"],
    1,
    "MedicationRequest/mr-contained-d3",
  ],
  [
    "Condition.clinicalStatus.coding a string",
    "vitd-patient-view",
    pv,
    [...COND, "clinicalStatus", "coding"],
    "active",
    "Condition/cond-cramp",
  ],
  ["Condition.onsetDateTime a number", "vitd-patient-view", pv, [...COND, "onsetDateTime"], 2026, "Condition/cond-cramp"],
  [
    "order-sign draft doseQuantity.value not a decimal",
    "vitd-order-sign",
    sign,
    [...DRAFT, "dosageInstruction", 0, "doseAndRate", 0, "doseQuantity", "value"],
    "one",
    "MedicationRequest/draft-d3-50000",
  ],
];

/** [broken envelope, body builder, path, value, field the 400 names] */
const envelope: Array<[string, () => Body, Path, unknown, string]> = [
  ["Bundle.entry null", pv, ["prefetch", "vitaminD", "entry", 0], null, "prefetch.vitaminD.entry[0]"],
  ["Bundle.entry not an array", pv, ["prefetch", "vitaminD", "entry"], { resource: {} }, "prefetch.vitaminD.entry"],
  [
    "Bundle.entry.search.mode a number",
    pv,
    ["prefetch", "vitaminD", "entry", 0, "search", "mode"],
    1,
    "prefetch.vitaminD.entry[0].search.mode",
  ],
  ["Bundle.link not an array", pv, ["prefetch", "calcium", "link"], { relation: "next" }, "prefetch.calcium.link"],
  ["a prefetch value that is not a resource", pv, ["prefetch", "patient", "resourceType"], 7, "prefetch.patient"],
  ["a draft order without resourceType", sign, [...DRAFT, "resourceType"], undefined, "context.draftOrders.entry[0].resource.resourceType"],
];

/** [shape read without guessing, body builder, path, value] → 200, nothing listed as not used. */
const repaired: Array<[string, () => Body, Path, unknown]> = [
  ["Observation.valueQuantity.value a decimal string", pv, [...VITD, "valueQuantity", "value"], "11"],
  ["Observation.referenceRange[0].low.value a decimal string", pv, [...VITD, "referenceRange", 0, "low", "value"], "30"],
  [
    "Observation.interpretation one object",
    pv,
    ["prefetch", "magnesium", "entry", 0, "resource", "interpretation"],
    { coding: [{ code: "L" }] },
  ],
  [
    "Dosage.doseAndRate[0].doseQuantity.value a decimal string",
    pv,
    [...MS, "dosage", 0, "doseAndRate", 0, "doseQuantity", "value"],
    "50000",
  ],
  ["STU3 Condition.clinicalStatus as a code string", pv, [...COND, "clinicalStatus"], "active"],
  ["STU3 Condition.verificationStatus as a code string", pv, [...COND, "verificationStatus"], "confirmed"],
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

type Card = { detail?: string };
const notUsedLine = (ref: string) => `${ref} not used: it could not be read (`;

describe("malformed FHIR resources in a hook request: left out and listed, never a failed call", () => {
  const app = buildTestApp();

  it("the undamaged bodies are answered 200 with cards, nothing listed as not used", async () => {
    for (const [service, body] of [
      ["vitd-patient-view", pv()],
      ["vitd-order-sign", sign()],
      ["vitd-order-select", select()],
    ] as const) {
      const res = await request(app).post(`/cds-services/${service}`).send(body);
      expect(res.status).toBe(200);
      expect(res.body.cards.length).toBeGreaterThan(0);
      for (const card of res.body.cards as Card[]) expect(card.detail).not.toContain("could not be read");
    }
  });

  it.each(malformed)("%s → 200, the resource listed as not used", async (_class, service, build, path, value, ref) => {
    const res = await request(app)
      .post(`/cds-services/${service}`)
      .send(withValue(build(), path, value));
    expect(res.status).toBe(200);
    const cards = res.body.cards as Card[];
    expect(cards.length).toBeGreaterThan(0); // the rest of the record still supports the card
    for (const card of cards) expect(card.detail).toContain(notUsedLine(ref));
  });

  it.each(envelope)("broken envelope: %s → 400 naming the field", async (_class, build, path, value, field) => {
    const res = await request(app)
      .post(`/cds-services/${build === sign ? "vitd-order-sign" : "vitd-patient-view"}`)
      .send(withValue(build(), path, value));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("invalid_request");
    expect(res.body.field).toBe(field);
  });

  it.each(repaired)("read without guessing: %s → 200, nothing listed as not used", async (_class, build, path, value) => {
    const res = await request(app)
      .post("/cds-services/vitd-patient-view")
      .send(withValue(build(), path, value));
    expect(res.status).toBe(200);
    expect(res.body.cards.length).toBeGreaterThan(0);
    for (const card of res.body.cards as Card[]) expect(card.detail).not.toContain("could not be read");
  });

  it.each(accepted)("accepted: %s", async (_class, build, path, value) => {
    const res = await request(app)
      .post("/cds-services/vitd-patient-view")
      .send(withValue(build(), path, value));
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body.cards)).toBe(true);
  });
});

// nock patches node:http for the whole worker process, beyond this file: undo it for the files that run next.
afterAll(() => nock.restore());
