/**
 * Tenancy through the real app with JWT auth: two hospitals (two issuers, two FHIR servers) share this
 * service. A's critical card survives B's override of its uuid; A's own override hides it for A; the
 * same issuer through two fhirServer origins is two tenants (different uuids, separate suppression).
 */
import nock from "nock";
import request from "supertest";
import { SqliteFeedbackStore } from "../../src/feedback/sqlite-store";
import { jwks, makeKey, sign, type TestKey } from "../auth/jwt-fixtures";
import { toxicity10000Daily } from "../fixtures/hooks";
import { fullPrefetch, patientViewBody } from "../../devkit/hook-requests";
import { buildTestApp, TEST_NOW } from "../helpers/test-app";

const PUBLIC = "https://cds.example.org";
const SERVICE = "/cds-services/vitd-patient-view";
const A = { iss: "https://ehr-a.example.org/", jwks: "https://ehr-a.example.org/jwks.json", fhir: "https://fhir.a.example.org/r4" };
const B = { iss: "https://ehr-b.example.org/", jwks: "https://ehr-b.example.org/jwks.json", fhir: "https://fhir.b.example.org/r4" };
let keyA: TestKey;
let keyB: TestKey;
let store: SqliteFeedbackStore;
let app: ReturnType<typeof buildTestApp>;

beforeAll(async () => {
  keyA = await makeKey("ES384", "a-key");
  keyB = await makeKey("ES384", "b-key");
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  nock("https://ehr-a.example.org").get("/jwks.json").reply(200, jwks(keyA)).persist();
  nock("https://ehr-b.example.org").get("/jwks.json").reply(200, jwks(keyB)).persist();
});
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});
beforeEach(() => {
  store = new SqliteFeedbackStore(":memory:");
  app = buildTestApp({ feedbackStore: store, config: { publicUrl: PUBLIC, trustedIssuers: { [A.iss]: [A.jwks], [B.iss]: [B.jwks] } } });
});
afterEach(() => store.close());

const token = (who: typeof A, key: TestKey, path: string) => sign(key, TEST_NOW, { iss: who.iss, aud: `${PUBLIC}${path}`, jku: who.jwks });
const prefetch = fullPrefetch(toxicity10000Daily.patient, toxicity10000Daily.resources);

async function cards(who: typeof A, key: TestKey, fhirServer = who.fhir): Promise<Array<{ uuid: string; indicator: string }>> {
  const res = await request(app)
    .post(SERVICE)
    .set("Authorization", `Bearer ${await token(who, key, SERVICE)}`)
    .send(patientViewBody({ patientId: "pat-2", fhirServer, prefetch }));
  expect(res.status).toBe(200);
  return res.body.cards as Array<{ uuid: string; indicator: string }>;
}

async function override(who: typeof A, key: TestKey, card: string) {
  const res = await request(app)
    .post(`${SERVICE}/feedback`)
    .set("Authorization", `Bearer ${await token(who, key, `${SERVICE}/feedback`)}`)
    .send({ feedback: [{ card, outcome: "overridden", outcomeTimestamp: TEST_NOW.toISOString() }] });
  expect(res.status).toBe(200);
}

it("the same patient id at two hospitals gets different card uuids", async () => {
  const [a] = await cards(A, keyA);
  const [b] = await cards(B, keyB);
  expect(a?.indicator).toBeDefined();
  expect(a?.uuid).not.toBe(b?.uuid);
});

it("B's override of A's card uuid is stored but hides nothing; A still sees its card", async () => {
  const before = await cards(A, keyA);
  expect(before.length).toBeGreaterThan(0);
  for (const c of before) await override(B, keyB, c.uuid);
  expect((await store.listFeedback()).length).toBe(before.length);
  expect(await cards(A, keyA)).toEqual(before);
});

it("A's own override hides the card for A, and not for B", async () => {
  const mine = await cards(A, keyA);
  const theirs = await cards(B, keyB);
  for (const c of mine) await override(A, keyA, c.uuid);
  expect(await cards(A, keyA)).toEqual([]);
  expect(await cards(B, keyB)).toEqual(theirs);
});

it("the same issuer through two fhirServer origins is two tenants", async () => {
  const viaMain = await cards(A, keyA);
  const viaOther = await cards(A, keyA, "https://fhir-dr.a.example.org/r4");
  expect(viaMain.map((c) => c.uuid)).not.toEqual(viaOther.map((c) => c.uuid));
  for (const c of viaMain) await override(A, keyA, c.uuid);
  expect(await cards(A, keyA)).toEqual([]);
  expect(await cards(A, keyA, "https://fhir-dr.a.example.org/r4")).toEqual(viaOther);
});

// nock patches node:http for the whole worker process, beyond this file: undo it for the files that run next.
afterAll(() => nock.restore());
