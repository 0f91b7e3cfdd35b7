/**
 * Malformed resources from the fallback FHIR fetch (reads, search pages, next pages, referenced
 * Medications) are the FHIR server's fault → 502 `fhir_server_error`, naming the resource (Type/id)
 * and the field in the message and the path in the response as `field`. Never a 500.
 */
import nock from "nock";
import request from "supertest";
import type { FhirResource } from "fhir/r4";
import { statementFixture } from "../fixtures/fhir";
import { deficientOn50000Weekly as fixture } from "../fixtures/hooks";
import { ACCESS_TOKEN, FHIR_BASE, fullPrefetch, patientViewBody, searchset } from "../helpers/hook-requests";
import { buildTestApp } from "../helpers/test-app";

const ORIGIN = "https://ehr.example.org";
const PATH = "/fhir";
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
});
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const byId = (id: string) => clone(fixture.resources.find((r) => r.id === id)!) as Record<string, any>;
/** Every key prefetched except `missing`, which the service must then fetch. */
function prefetchWithout(...missing: string[]): Record<string, unknown> {
  const prefetch: Record<string, unknown> = fullPrefetch(fixture.patient, fixture.resources);
  for (const key of missing) delete prefetch[key];
  return prefetch;
}
const auth = { reqheaders: { authorization: `Bearer ${ACCESS_TOKEN}` } };

describe("a malformed resource from the fallback fetch → 502 naming the resource and field", () => {
  const app = buildTestApp();
  const post = (prefetch: Record<string, unknown>) => request(app).post("/cds-services/vitd-patient-view").send(patientViewBody({ prefetch }));

  /** [what the server sends wrong, prefetch key fetched, search reply, field, words the message must contain] */
  const searches: Array<[string, string, unknown, string, string[]]> = [
    [
      "Observation.valueQuantity.value a string",
      "vitaminD",
      searchset([{ ...byId("vitd-1"), valueQuantity: { value: "11", unit: "ng/mL" } } as unknown as FhirResource]),
      "entry[0].resource.valueQuantity.value",
      ["Observation/vitd-1", "valueQuantity.value", "expected number"],
    ],
    [
      "Observation.code.coding not an array",
      "magnesium",
      searchset([{ ...byId("mg-1"), code: { coding: { code: "19123-9" } } } as unknown as FhirResource]),
      "entry[0].resource.code.coding",
      ["Observation/mg-1", "code.coding", "expected array"],
    ],
    ["Bundle.entry null", "vitaminD", { resourceType: "Bundle", type: "searchset", entry: [null] }, "entry[0]", ["Bundle", "entry[0]", "expected object"]],
    ["Bundle.entry not an array", "vitaminD", { resourceType: "Bundle", type: "searchset", entry: { resource: byId("vitd-1") } }, "entry", ["Bundle", "entry", "expected array"]],
    ["Bundle.link not an array", "vitaminD", { ...searchset([]), link: "next" }, "link", ["Bundle", "link"]],
    [
      "MedicationStatement.dosage a string",
      "medicationStatements",
      searchset([{ ...byId("ms-d3"), dosage: "50,000 IU weekly" } as unknown as FhirResource]),
      "entry[0].resource.dosage",
      ["MedicationStatement/ms-d3", "dosage", "expected array"],
    ],
    [
      "contained Medication strength.numerator.value a string",
      "medicationStatements",
      searchset([
        {
          ...byId("ms-d3"),
          medicationCodeableConcept: undefined,
          medicationReference: { reference: "#m" },
          contained: [{ resourceType: "Medication", id: "m", ingredient: [{ strength: { numerator: { value: "1.25", unit: "mg" } } }] }],
        } as unknown as FhirResource,
      ]),
      "entry[0].resource.contained[0].ingredient[0].strength.numerator.value",
      ["MedicationStatement/ms-d3", "contained[0].ingredient[0].strength.numerator.value"],
    ],
  ];

  it.each(searches)("%s", async (_what, key, reply, field, words) => {
    const scope = nock(ORIGIN, auth).get(/^\/fhir\/\w+$/).query(true).reply(200, reply as nock.Body);
    const res = await post(prefetchWithout(key));
    expect(scope.isDone()).toBe(true);
    expect(res.status).toBe(502);
    expect(res.body.error).toBe("fhir_server_error");
    expect(res.body.field).toBe(field);
    for (const w of words) expect(res.body.message).toContain(w);
    expect(res.body.message).toContain(`${FHIR_BASE}/`);
  });

  it("a Patient read whose name is not an array", async () => {
    nock(ORIGIN, auth).get(`${PATH}/Patient/pat-1`).reply(200, { ...clone(fixture.patient), name: { family: "Okafor" } });
    const res = await post(prefetchWithout("patient"));
    expect(res.status).toBe(502);
    expect(res.body.field).toBe("name");
    expect(res.body.message).toContain("Patient/pat-1");
    expect(res.body.message).toContain(`${FHIR_BASE}/Patient/pat-1`);
  });

  it("a malformed resource on a next page", async () => {
    nock(ORIGIN, auth)
      .get(`${PATH}/Observation`)
      .query(true)
      .reply(200, searchset([], `${FHIR_BASE}?_getpages=p&_page=2`))
      .get(PATH)
      .query({ _getpages: "p", _page: "2" })
      .reply(200, searchset([{ ...byId("vitd-1"), effectiveDateTime: 20260511 } as unknown as FhirResource]));
    const res = await post(prefetchWithout("vitaminD"));
    expect(res.status).toBe(502);
    expect(res.body.field).toBe("entry[0].resource.effectiveDateTime");
    expect(res.body.message).toContain("Observation/vitd-1");
  });

  it("a referenced Medication whose strength.numerator.value is a string (not swallowed like an unreadable one)", async () => {
    const prefetch = prefetchWithout("conditions");
    prefetch.medicationStatements = searchset([statementFixture("statement-referenced-medication")]);
    nock(ORIGIN, auth).get(`${PATH}/Condition`).query(true).reply(200, searchset([]));
    nock(ORIGIN, auth)
      .get(`${PATH}/Medication/med-d3-50000`)
      .reply(200, { resourceType: "Medication", id: "med-d3-50000", ingredient: [{ strength: { numerator: { value: "1.25", unit: "mg" } } }] });
    const res = await post(prefetch);
    expect(res.status).toBe(502);
    expect(res.body.field).toBe("ingredient[0].strength.numerator.value");
    expect(res.body.message).toContain("Medication/med-d3-50000");
  });

  it("a referenced Medication that cannot be read still only loses its name (200)", async () => {
    const prefetch = prefetchWithout("conditions");
    prefetch.medicationStatements = searchset([statementFixture("statement-referenced-medication")]);
    nock(ORIGIN, auth).get(`${PATH}/Condition`).query(true).reply(200, searchset([]));
    const med = nock(ORIGIN, auth).get(`${PATH}/Medication/med-d3-50000`).reply(404, { resourceType: "OperationOutcome" });
    const res = await post(prefetch);
    expect(med.isDone()).toBe(true);
    expect(res.status).toBe(200);
  });

  it("a well-formed fallback answer with unknown fields and resource types is used (200)", async () => {
    const extra = { resourceType: "Basic", id: "b1", code: 42 } as unknown as FhirResource;
    nock(ORIGIN, auth)
      .get(`${PATH}/Observation`)
      .query(true)
      .reply(200, searchset([{ ...byId("vitd-1"), "x-vendor": { any: [1] } } as unknown as FhirResource, extra]));
    const res = await post(prefetchWithout("vitaminD"));
    expect(res.status).toBe(200);
    expect(res.body.cards.length).toBeGreaterThan(0);
  });
});
