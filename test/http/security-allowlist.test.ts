/**
 * CDS_FHIR_ALLOWLIST: a hook naming a fhirServer outside the allow-list never causes a request to it
 * (no open proxy, the access token never leaves) — the answer comes from prefetch alone, or is 412.
 * Real network is disabled; nock interceptors for the disallowed host must stay unused.
 */
import nock from "nock";
import request from "supertest";
import { buildTestApp } from "../helpers/test-app";
import { fullPrefetch, patientViewBody, searchset } from "../../devkit/hook-requests";
import { toxicity10000Daily } from "../fixtures/hooks";

const SERVICE = "/cds-services/vitd-patient-view";
const ALLOWED = "https://allowed-ehr.example.org";
const EVIL = "https://evil.example.net";
const prefetch = fullPrefetch(toxicity10000Daily.patient, toxicity10000Daily.resources);

let outbound: string[];

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
});
beforeEach(() => {
  nock.cleanAll();
  outbound = [];
  // Any request to either host is recorded (and answered, so a leak would not look like a failure).
  for (const host of [ALLOWED, EVIL]) {
    nock(host)
      .get(/.*/)
      .reply(200, (uri) => {
        outbound.push(`${host}${uri}`);
        return uri.includes("/Patient/") ? toxicity10000Daily.patient : searchset([]);
      })
      .persist();
  }
});
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

const app = () => buildTestApp({ config: { fhirAllowlist: [ALLOWED] } });

it("disallowed fhirServer, nothing prefetched → 412 and no request leaves", async () => {
  const res = await request(app())
    .post(SERVICE)
    .send(patientViewBody({ fhirServer: `${EVIL}/fhir`, patientId: "pat-2" }));
  expect(res.status).toBe(412);
  expect(res.body.message).toMatch(/not on the allow-list/);
  expect(outbound).toEqual([]);
});

it("disallowed fhirServer, everything prefetched → cards from prefetch alone, no request leaves", async () => {
  const res = await request(app())
    .post(SERVICE)
    .send(patientViewBody({ fhirServer: `${EVIL}/fhir`, patientId: "pat-2", prefetch }));
  expect(res.status).toBe(200);
  expect(res.body.cards).toHaveLength(1);
  expect(outbound).toEqual([]);
});

it("a prefetched Bundle's next link on a disallowed server is not followed", async () => {
  const withNext = {
    ...prefetch,
    calcium: { ...(prefetch.calcium as object), link: [{ relation: "next", url: `${EVIL}/fhir/Observation?page=2` }] },
  };
  const res = await request(app())
    .post(SERVICE)
    .send(patientViewBody({ fhirServer: `${EVIL}/fhir`, patientId: "pat-2", prefetch: withNext }));
  expect(res.status).toBe(200);
  expect(outbound).toEqual([]);
});

it("look-alike origins are not allowed (port, scheme, sub-domain)", async () => {
  for (const server of [
    "https://allowed-ehr.example.org:8443/fhir",
    "http://allowed-ehr.example.org/fhir",
    "https://allowed-ehr.example.org.evil.net/fhir",
  ]) {
    nock(new URL(server).origin)
      .get(/.*/)
      .reply(200, (uri) => (outbound.push(uri), searchset([])))
      .persist();
    const res = await request(app())
      .post(SERVICE)
      .send(patientViewBody({ fhirServer: server, patientId: "pat-2" }));
    expect(res.status).toBe(412);
  }
  expect(outbound).toEqual([]);
});

it("control: an allow-listed fhirServer is contacted (so the recorder above does see requests)", async () => {
  const res = await request(app())
    .post(SERVICE)
    .send(patientViewBody({ fhirServer: `${ALLOWED}/fhir`, patientId: "pat-2" }));
  expect(res.status).toBe(200);
  expect(outbound.length).toBeGreaterThan(0);
  expect(outbound.every((u) => u.startsWith(ALLOWED))).toBe(true);
});

// nock patches node:http for the whole worker process, beyond this file: undo it for the files that run next.
afterAll(() => nock.restore());
