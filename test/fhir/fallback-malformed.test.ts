/**
 * Malformed resources from the fallback FHIR fetch (reads, search pages, next pages, referenced
 * Medications) are left out and listed in every card ("<Type/id> not used: it could not be read
 * (<field>: …)"), and the call answers 200 with what the rest supports. Only a reply that is not a
 * well-formed Bundle envelope is the server's fault → 502 naming the field. Never a 500.
 */
import nock from "nock";
import request from "supertest";
import type { FhirResource } from "fhir/r4";
import { statementFixture } from "../fixtures/fhir";
import { deficientOn50000Weekly as fixture } from "../fixtures/hooks";
import { ACCESS_TOKEN, FHIR_BASE, fullPrefetch, patientViewBody, searchset } from "../../devkit/hook-requests";
import { inertMarkdown } from "../../src/render/inert-markdown";
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

type Card = { detail: string };
/** The card line for a resource left out (the field is markdown-escaped in card detail, like all data). */
const notUsed = (ref: string, field: string) => `${ref} not used: it could not be read (${inertMarkdown(`${field}:`)} `;

describe("a malformed resource from the fallback fetch is left out and listed; the call still answers 200", () => {
  const app = buildTestApp();
  const post = (prefetch: Record<string, unknown>) =>
    request(app).post("/cds-services/vitd-patient-view").send(patientViewBody({ prefetch }));
  const expectListed = (res: request.Response, ref: string, field: string) => {
    expect(res.status).toBe(200);
    const cards = res.body.cards as Card[];
    expect(cards.length).toBeGreaterThan(0);
    for (const c of cards) expect(c.detail).toContain(notUsed(ref, field));
  };

  /** [what the server sends wrong, prefetch key fetched, search reply, resource left out, field named] */
  const searches: Array<[string, string, unknown, string, string]> = [
    [
      "Observation.valueQuantity.value not a decimal",
      "vitaminD",
      searchset([{ ...byId("vitd-1"), valueQuantity: { value: "11 ng", unit: "ng/mL" } } as unknown as FhirResource]),
      "Observation/vitd-1",
      "valueQuantity.value",
    ],
    [
      "Observation.code.coding not an array",
      "magnesium",
      searchset([{ ...byId("mg-1"), code: { coding: { code: "19123-9" } } } as unknown as FhirResource]),
      "Observation/mg-1",
      "code.coding",
    ],
    [
      "MedicationStatement.dosage a string",
      "medicationStatements",
      searchset([
        { ...byId("ms-d3"), dosage: "50,000 IU weekly" } as unknown as FhirResource,
        statementFixture("statement-referenced-medication"),
      ]),
      "MedicationStatement/ms-d3",
      "dosage",
    ],
  ];

  it.each(searches)("%s", async (_what, key, reply, ref, field) => {
    const scope = nock(ORIGIN, auth)
      .get(/^\/fhir\/\w+$/)
      .query(true)
      .reply(200, reply as nock.Body);
    const res = await post(prefetchWithout(key));
    expect(scope.isDone()).toBe(true);
    expectListed(res, ref, field);
  });

  /** [broken envelope, reply, field] → 502. */
  const envelopes: Array<[string, unknown, string]> = [
    ["Bundle.entry null", { resourceType: "Bundle", type: "searchset", entry: [null] }, "entry[0]"],
    ["Bundle.entry not an array", { resourceType: "Bundle", type: "searchset", entry: { resource: byId("vitd-1") } }, "entry"],
    ["Bundle.link not an array", { ...searchset([]), link: "next" }, "link"],
  ];

  it.each(envelopes)("a broken envelope (%s) is the server's fault → 502 naming the field", async (_what, reply, field) => {
    nock(ORIGIN, auth)
      .get(/^\/fhir\/\w+$/)
      .query(true)
      .reply(200, reply as nock.Body);
    const res = await post(prefetchWithout("vitaminD"));
    expect(res.status).toBe(502);
    expect(res.body.error).toBe("fhir_server_error");
    expect(res.body.field).toBe(field);
    expect(res.body.message).toContain(`${FHIR_BASE}/`);
  });

  it("a Patient read whose name is not an array: the Patient is listed, the cards still come", async () => {
    nock(ORIGIN, auth)
      .get(`${PATH}/Patient/pat-1`)
      .reply(200, { ...clone(fixture.patient), name: { family: "Okafor" } });
    expectListed(await post(prefetchWithout("patient")), "Patient/pat-1", "name");
  });

  it("a malformed resource on a next page is listed", async () => {
    nock(ORIGIN, auth)
      .get(`${PATH}/Observation`)
      .query(true)
      .reply(200, searchset([byId("vitd-1") as unknown as FhirResource], `${FHIR_BASE}?_getpages=p&_page=2`))
      .get(PATH)
      .query({ _getpages: "p", _page: "2" })
      .reply(200, searchset([{ ...byId("vitd-1"), id: "vitd-2", effectiveDateTime: 20260511 } as unknown as FhirResource]));
    expectListed(await post(prefetchWithout("vitaminD")), "Observation/vitd-2", "effectiveDateTime");
  });

  it("a referenced Medication whose strength.numerator.value is not a decimal is listed (the statement still counts)", async () => {
    const prefetch = prefetchWithout("conditions");
    prefetch.medicationStatements = searchset([
      statementFixture("statement-referenced-medication"),
      byId("ms-d3") as unknown as FhirResource,
    ]);
    nock(ORIGIN, auth).get(`${PATH}/Condition`).query(true).reply(200, searchset([]));
    nock(ORIGIN, auth)
      .get(`${PATH}/Medication/med-d3-50000`)
      .reply(200, {
        resourceType: "Medication",
        id: "med-d3-50000",
        ingredient: [{ strength: { numerator: { value: "1,25", unit: "mg" } } }],
      });
    expectListed(await post(prefetch), "Medication/med-d3-50000", "ingredient[0].strength.numerator.value");
  });

  it("a referenced Medication that cannot be fetched still only loses its name (200)", async () => {
    const prefetch = prefetchWithout("conditions");
    prefetch.medicationStatements = searchset([statementFixture("statement-referenced-medication")]);
    nock(ORIGIN, auth).get(`${PATH}/Condition`).query(true).reply(200, searchset([]));
    const med = nock(ORIGIN, auth).get(`${PATH}/Medication/med-d3-50000`).reply(404, { resourceType: "OperationOutcome" });
    const res = await post(prefetch);
    expect(med.isDone()).toBe(true);
    expect(res.status).toBe(200);
  });

  it("a well-formed fallback answer with unknown fields and resource types is used (200), nothing listed", async () => {
    const extra = { resourceType: "Basic", id: "b1", code: 42 } as unknown as FhirResource;
    nock(ORIGIN, auth)
      .get(`${PATH}/Observation`)
      .query(true)
      .reply(200, searchset([{ ...byId("vitd-1"), "x-vendor": { any: [1] } } as unknown as FhirResource, extra]));
    const res = await post(prefetchWithout("vitaminD"));
    expect(res.status).toBe(200);
    expect(res.body.cards.length).toBeGreaterThan(0);
    for (const c of res.body.cards as Card[]) expect(c.detail).not.toContain("could not be read");
  });
});

// nock patches node:http for the whole worker process, beyond this file: undo it for the files that run next.
afterAll(() => nock.restore());
