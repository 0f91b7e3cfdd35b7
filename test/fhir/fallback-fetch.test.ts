import http from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import request from "supertest";
import type { Bundle, FhirResource } from "fhir/r4";
import { prefetchQueries } from "../../src/fhir/queries";
import { deficientOn50000Weekly as fixture } from "../fixtures/hooks";
import { ACCESS_TOKEN, FHIR_BASE, fullPrefetch, patientViewBody, searchset } from "../../devkit/hook-requests";
import { buildTestApp } from "../helpers/test-app";

const ORIGIN = "https://ehr.example.org";
const PATH = "/fhir";

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
});
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const keys = prefetchQueries.map((q) => q.key);
const searchKeys = keys.filter((k) => k !== "patient");

/** nock interceptor for one prefetch key's fallback search, answering `resources`. */
function expectSearch(key: string, resources: FhirResource[], reply?: (uri: string) => [number, unknown]) {
  const type = prefetchQueries.find((q) => q.key === key)!.template.split("?")[0]!;
  return nock(ORIGIN, { reqheaders: { authorization: `Bearer ${ACCESS_TOKEN}` } })
    .get(`${PATH}/${type}`)
    .query((q) => {
      if (q.patient !== fixture.patient.id) return false;
      if (type !== "Observation") return true;
      const template = prefetchQueries.find((p) => p.key === key)!.template;
      return template.includes(`code=${String(q.code)}`);
    })
    .reply(reply ?? (() => [200, searchset(resources)]));
}

function resourcesFor(key: string): FhirResource[] {
  const prefetch = fullPrefetch(fixture.patient, fixture.resources);
  const value = prefetch[key];
  if (!value) return [];
  return value.resourceType === "Bundle" ? (value as Bundle<FhirResource>).entry!.map((e) => e.resource!) : [value];
}

describe("prefetch with fallback FHIR fetch", () => {
  const app = buildTestApp();

  it("uses a full prefetch without contacting the FHIR server", async () => {
    const body = patientViewBody({ prefetch: fullPrefetch(fixture.patient, fixture.resources) });
    const res = await request(app).post("/cds-services/vitd-patient-view").send(body);
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body.cards)).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("without prefetch, runs every query in parallel with the Bearer token and the query parameters", async () => {
    const scopes = searchKeys.map((k) => expectSearch(k, resourcesFor(k)));
    const patientScope = nock(ORIGIN, { reqheaders: { authorization: `Bearer ${ACCESS_TOKEN}` } })
      .get(`${PATH}/Patient/pat-1`)
      .reply(200, fixture.patient);
    const res = await request(app).post("/cds-services/vitd-patient-view").send(patientViewBody());
    expect(res.status).toBe(200);
    for (const s of [...scopes, patientScope]) expect(s.isDone()).toBe(true);
  });

  it("adds a date floor and keeps _sort/_count on fallback Observation searches", async () => {
    const seen: string[] = [];
    const prefetch = fullPrefetch(fixture.patient, fixture.resources);
    delete prefetch.magnesium;
    nock(ORIGIN)
      .get(`${PATH}/Observation`)
      .query(true)
      .reply(200, (uri) => {
        seen.push(uri);
        return searchset(resourcesFor("magnesium"));
      });
    await request(app).post("/cds-services/vitd-patient-view").send(patientViewBody({ prefetch })).expect(200);
    expect(seen).toHaveLength(1);
    const q = new URL(`${ORIGIN}${seen[0]!}`).searchParams;
    expect(q.get("code")).toBe("http://loinc.org|19123-9,http://loinc.org|2601-3");
    expect(q.get("_sort")).toBe("-date");
    expect(q.get("_count")).toBe("20");
    expect(q.get("date")).toBe("ge2025-04-27"); // TEST_NOW 2026-06-01 minus 400 days
  });

  it("fetches nothing for prefetch keys that are null (the EHR found no data)", async () => {
    const prefetch: Record<string, unknown> = Object.fromEntries(keys.map((k) => [k, null]));
    prefetch.patient = fixture.patient;
    const res = await request(app).post("/cds-services/vitd-patient-view").send(patientViewBody({ prefetch }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ cards: [] });
  });

  it("fetches a key whose prefetch value is an OperationOutcome", async () => {
    const prefetch: Record<string, unknown> = fullPrefetch(fixture.patient, fixture.resources);
    prefetch.conditions = { resourceType: "OperationOutcome", issue: [{ severity: "error", code: "timeout" }] };
    const scope = expectSearch("conditions", []);
    await request(app).post("/cds-services/vitd-patient-view").send(patientViewBody({ prefetch })).expect(200);
    expect(scope.isDone()).toBe(true);
  });

  it("follows next links of a fallback search, and of a partial prefetched Bundle", async () => {
    const prefetch: Record<string, unknown> = fullPrefetch(fixture.patient, fixture.resources);
    delete prefetch.medicationStatements;
    const ms = resourcesFor("medicationStatements");
    nock(ORIGIN)
      .get(`${PATH}/MedicationStatement`)
      .query(true)
      .reply(200, searchset([], `${FHIR_BASE}?_getpages=abc&_page=2`))
      .get(PATH)
      .query({ _getpages: "abc", _page: "2" })
      .reply(200, searchset(ms));
    prefetch.vitaminD = searchset(resourcesFor("vitaminD"), `${FHIR_BASE}?_getpages=vd&_page=2`);
    const page2 = nock(ORIGIN).get(PATH).query({ _getpages: "vd", _page: "2" }).reply(200, searchset([]));
    await request(app).post("/cds-services/vitd-patient-view").send(patientViewBody({ prefetch })).expect(200);
    expect(page2.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("stops following next links at FHIR_MAX_PAGES", async () => {
    const bounded = buildTestApp({ config: { fhirMaxPages: 3 } });
    const prefetch: Record<string, unknown> = fullPrefetch(fixture.patient, fixture.resources);
    delete prefetch.conditions;
    let calls = 0;
    nock(ORIGIN)
      .get(/^\/fhir(\/Condition)?$/)
      .query(true)
      .times(10)
      .reply(200, () => {
        calls += 1;
        return searchset([], `${FHIR_BASE}?_getpages=c&_page=${calls + 1}`);
      });
    await request(bounded).post("/cds-services/vitd-patient-view").send(patientViewBody({ prefetch })).expect(200);
    expect(calls).toBe(3);
  });

  it("does not follow a next link to another origin (the token stays with the EHR)", async () => {
    const prefetch: Record<string, unknown> = fullPrefetch(fixture.patient, fixture.resources);
    prefetch.vitaminD = searchset(resourcesFor("vitaminD"), "https://attacker.example.com/steal");
    const attacker = nock("https://attacker.example.com").get("/steal").reply(200, searchset([]));
    await request(app).post("/cds-services/vitd-patient-view").send(patientViewBody({ prefetch })).expect(200);
    expect(attacker.isDone()).toBe(false);
  });
});

describe("FHIR failures map to CDS status codes", () => {
  const withoutMg = () => {
    const prefetch: Record<string, unknown> = fullPrefetch(fixture.patient, fixture.resources);
    delete prefetch.magnesium;
    return prefetch;
  };

  it("412 when data is missing and no fhirServer was given", async () => {
    const app = buildTestApp();
    const res = await request(app)
      .post("/cds-services/vitd-patient-view")
      .send(patientViewBody({ prefetch: withoutMg(), fhirServer: null }));
    expect(res.status).toBe(412);
    expect(res.body.message).toContain("magnesium");
  });

  it.each([401, 403, 404])("412 when the FHIR server answers %i", async (status) => {
    const app = buildTestApp();
    nock(ORIGIN).get(`${PATH}/Observation`).query(true).reply(status, { resourceType: "OperationOutcome" });
    const res = await request(app)
      .post("/cds-services/vitd-patient-view")
      .send(patientViewBody({ prefetch: withoutMg() }));
    expect(res.status).toBe(412);
  });

  it.each([500, 503])("502 when the FHIR server answers %i", async (status) => {
    const app = buildTestApp();
    nock(ORIGIN).get(`${PATH}/Observation`).query(true).reply(status, "oops");
    const res = await request(app)
      .post("/cds-services/vitd-patient-view")
      .send(patientViewBody({ prefetch: withoutMg() }));
    expect(res.status).toBe(502);
    expect(res.body.error).toBe("fhir_server_error");
  });

  it("502 when the FHIR server refuses the connection", async () => {
    const app = buildTestApp();
    // a real refused connection: a loopback port that was just closed
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const body = patientViewBody({ prefetch: withoutMg(), fhirServer: `http://127.0.0.1:${port}/fhir` });
    const res = await request(app).post("/cds-services/vitd-patient-view").send(body);
    expect(res.status).toBe(502);
    expect(res.body.message).toMatch(/unreachable/);
  });

  it("502 when the FHIR server answers a search with something that is not a Bundle", async () => {
    const app = buildTestApp();
    nock(ORIGIN).get(`${PATH}/Observation`).query(true).reply(200, { resourceType: "Patient", id: "x" });
    const res = await request(app)
      .post("/cds-services/vitd-patient-view")
      .send(patientViewBody({ prefetch: withoutMg() }));
    expect(res.status).toBe(502);
  });

  it("504 when the FHIR server does not answer within FHIR_TIMEOUT_MS", async () => {
    const app = buildTestApp({ config: { fhirTimeoutMs: 150 } });
    nock(ORIGIN).get(`${PATH}/Observation`).query(true).delay(2000).reply(200, searchset([]));
    const res = await request(app)
      .post("/cds-services/vitd-patient-view")
      .send(patientViewBody({ prefetch: withoutMg() }));
    expect(res.status).toBe(504);
    expect(res.body.error).toBe("fhir_server_timeout");
  });

  it("412 and no request at all when fhirServer is not on the allow-list", async () => {
    const app = buildTestApp({ config: { fhirAllowlist: ["https://other-ehr.example.org"] } });
    const scope = nock(ORIGIN).get(/.*/).query(true).reply(200, searchset([]));
    const res = await request(app)
      .post("/cds-services/vitd-patient-view")
      .send(patientViewBody({ prefetch: withoutMg() }));
    expect(res.status).toBe(412);
    expect(res.body.message).toContain("allow-list");
    expect(scope.isDone()).toBe(false);
  });

  it("a full prefetch still works when fhirServer is not on the allow-list", async () => {
    const app = buildTestApp({ config: { fhirAllowlist: [] } });
    const res = await request(app)
      .post("/cds-services/vitd-patient-view")
      .send(patientViewBody({ prefetch: fullPrefetch(fixture.patient, fixture.resources) }));
    expect(res.status).toBe(200);
  });
});

// nock patches node:http for the whole worker process, beyond this file: undo it for the files that run next.
afterAll(() => nock.restore());
