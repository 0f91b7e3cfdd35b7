/**
 * JWT authentication through the real app (createApp): every attack case answers 401 with
 * WWW-Authenticate and a JSON body naming Authorization; valid ES384/RS384 tokens get cards;
 * discovery stays public; feedback accepts its own URL or the service URL as aud.
 */
import { Writable } from "node:stream";
import nock from "nock";
import pino from "pino";
import request from "supertest";
import { SqliteFeedbackStore } from "../../src/feedback/sqlite-store";
import { buildTestApp, TEST_NOW } from "../helpers/test-app";
import { fullPrefetch, patientViewBody } from "../../devkit/hook-requests";
import { toxicity10000Daily } from "../fixtures/hooks";
import {
  hmacWithPublicKey,
  ISSUER,
  JWKS_ORIGIN,
  JWKS_PATH,
  JWKS_URL,
  jwks,
  makeKey,
  sign,
  tamperSignature,
  unsecuredToken,
  type TestKey,
} from "./jwt-fixtures";

const BASE = "https://cds.example.org";
const SERVICE = "/cds-services/vitd-patient-view";
const AUD = `${BASE}${SERVICE}`;
const sec = (d: Date) => Math.floor(d.getTime() / 1000);
const hook = patientViewBody({
  fhirServer: null,
  patientId: "pat-2",
  prefetch: fullPrefetch(toxicity10000Daily.patient, toxicity10000Daily.resources),
});
const feedbackBody = { feedback: [{ card: "c-1", outcome: "overridden", outcomeTimestamp: "2026-06-01T11:59:00Z" }] };

let es384: TestKey;
let rs384: TestKey;
let store: SqliteFeedbackStore;

beforeAll(async () => {
  es384 = await makeKey("ES384");
  rs384 = await makeKey("RS384");
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
});
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

function authApp(publicUrl: string | null = BASE) {
  nock.cleanAll();
  nock(JWKS_ORIGIN).get(JWKS_PATH).reply(200, jwks(es384, rs384)).persist();
  store = new SqliteFeedbackStore(":memory:");
  return buildTestApp({ config: { trustedIssuers: { [ISSUER]: [JWKS_URL] }, ...(publicUrl ? { publicUrl } : {}) }, feedbackStore: store });
}

const post = (app: ReturnType<typeof authApp>, path: string, body: unknown, token?: string) => {
  const r = request(app).post(path).set("Content-Type", "application/json");
  return (token === undefined ? r : r.set("Authorization", `Bearer ${token}`)).send(body as object);
};

function expect401(res: request.Response, reason: RegExp) {
  expect(res.status).toBe(401);
  expect(res.headers["www-authenticate"]).toMatch(/^Bearer realm="cds-services", error="invalid_token", error_description="/);
  expect(res.headers["www-authenticate"]).toMatch(reason);
  expect(res.body).toMatchObject({ error: "unauthorized", field: "Authorization" });
  expect(res.body.message).toMatch(reason);
  expect(res.headers["access-control-allow-origin"]).toBe("*"); // browser clients can read the 401
}

describe("with trusted issuers configured", () => {
  it.each(["ES384", "RS384"])("a valid %s token → 200 with cards", async (alg) => {
    const app = authApp();
    const res = await post(app, SERVICE, hook, await sign(alg === "ES384" ? es384 : rs384, TEST_NOW, { aud: AUD }));
    expect(res.status).toBe(200);
    expect(res.body.cards.map((c: { source: { topic: { code: string } } }) => c.source.topic.code)).toEqual(["vitamin-d-toxicity"]);
  });

  it("discovery is public: no token needed", async () => {
    expect((await request(authApp()).get("/cds-services")).status).toBe(200);
  });

  it("no Authorization header → 401 with a bare Bearer challenge (RFC 6750 §3.1)", async () => {
    const res = await post(authApp(), SERVICE, hook);
    expect(res.status).toBe(401);
    expect(res.headers["www-authenticate"]).toBe('Bearer realm="cds-services"');
    expect(res.body).toMatchObject({ error: "unauthorized", field: "Authorization" });
  });

  it("a non-Bearer scheme → 401", async () => {
    const res = await request(authApp()).post(SERVICE).set("Authorization", "Basic dXNlcjpwYXNz").send(hook);
    expect401(res, /must be Bearer/);
  });

  it.each(["/CDS-SERVICES/vitd-patient-view", `${SERVICE}/`, `${SERVICE}/feedback/`, "/cds-services/VITD-PATIENT-VIEW/Feedback"])(
    "path spelling does not bypass authentication: %s without a token is 401 or 404, never 200",
    async (path) => {
      const res = await post(authApp(), path, path.toLowerCase().includes("feedback") ? feedbackBody : hook);
      expect([401, 404]).toContain(res.status);
      expect(await store.listFeedback()).toEqual([]);
    },
  );

  it("authentication comes before body parsing: garbage body without a token is a 401, not a 400", async () => {
    const res = await request(authApp()).post(SERVICE).set("Content-Type", "application/json").send("{not json");
    expect(res.status).toBe(401);
  });

  const cases: [string, (now: Date) => Promise<string> | string, RegExp][] = [
    ["alg none", (now) => unsecuredToken(now, AUD), /alg ['"]none['"] is not accepted/],
    ["HS256 signed with the public key", (now) => hmacWithPublicKey(rs384, now, AUD), /alg ['"]HS256['"] is not accepted/],
    ["expired", (now) => sign(es384, now, { aud: AUD, iat: sec(now) - 200, exp: sec(now) - 61 }), /expired/],
    ["future iat", (now) => sign(es384, now, { aud: AUD, iat: sec(now) + 120, exp: sec(now) + 400 }), /iat is in the future/],
    [
      "wrong aud (another service)",
      (now) => sign(es384, now, { aud: `${BASE}/cds-services/vitd-order-sign` }),
      /aud must be https:\/\/cds.example.org\/cds-services\/vitd-patient-view/,
    ],
    ["wrong aud (discovery URL)", (now) => sign(es384, now, { aud: `${BASE}/cds-services` }), /aud must be/],
    ["untrusted iss", (now) => sign(es384, now, { aud: AUD, iss: "https://evil.example" }), /is not trusted/],
    ["unlisted jku", (now) => sign(es384, now, { aud: AUD, jku: "https://evil.example/jwks" }), /is not listed/],
    ["bad signature", async (now) => tamperSignature(await sign(es384, now, { aud: AUD })), /signature verification failed/],
    ["missing kid", (now) => sign(es384, now, { aud: AUD, kid: null }), /kid header is required/],
    ["unknown kid", (now) => sign(es384, now, { aud: AUD, kid: "nobody" }), /no key with kid ['"]nobody['"]/],
    ["malformed header", () => "eyJub3QganNvbg.e30.c2ln", /malformed JWT/],
  ];

  it.each(cases)("%s → 401 with WWW-Authenticate", async (_name, make, reason) => {
    const res = await post(authApp(), SERVICE, hook, await make(TEST_NOW));
    expect401(res, reason);
  });

  it("replayed jti → 401 on the second use", async () => {
    const app = authApp();
    const token = await sign(es384, TEST_NOW, { aud: AUD });
    expect((await post(app, SERVICE, hook, token)).status).toBe(200);
    expect401(await post(app, SERVICE, hook, token), /replay/);
  });

  it("in production without CDS_PUBLIC_URL, a Host header never sets the audience: a token minted for another service is refused", async () => {
    nock.cleanAll();
    nock(JWKS_ORIGIN).get(JWKS_PATH).reply(200, jwks(es384, rs384)).persist();
    const app = buildTestApp({ config: { nodeEnv: "production", trustedIssuers: { [ISSUER]: [JWKS_URL] } } });
    const other = "https://other-cds.example.net";
    const res = await post(app, SERVICE, hook, await sign(es384, TEST_NOW, { aud: `${other}${SERVICE}` })).set(
      "Host",
      "other-cds.example.net",
    );
    expect401(res, /CDS_PUBLIC_URL/);
  });

  it("without CDS_PUBLIC_URL (development), aud is compared with the URL derived from the request's Host", async () => {
    const app = authApp(null);
    const ok = await post(app, SERVICE, hook, await sign(es384, TEST_NOW, { aud: `http://cds.internal:8080${SERVICE}` })).set(
      "Host",
      "cds.internal:8080",
    );
    expect(ok.body).toHaveProperty("cards");
    const wrong = await post(app, SERVICE, hook, await sign(es384, TEST_NOW, { aud: AUD })).set("Host", "cds.internal:8080");
    expect401(wrong, /aud must be http:\/\/cds.internal:8080\/cds-services\/vitd-patient-view/);
  });
});

describe("feedback endpoint", () => {
  const FEEDBACK = `${SERVICE}/feedback`;

  it.each([
    ["the feedback URL itself", `${AUD}/feedback`],
    ["the service URL", AUD],
  ])("accepts aud = %s, and stores the verified issuer", async (_name, aud) => {
    const app = authApp();
    const res = await post(app, FEEDBACK, feedbackBody, await sign(es384, TEST_NOW, { aud }));
    expect(res.status).toBe(200);
    expect((await store.listFeedback()).map((f) => f.client)).toEqual([ISSUER]);
  });

  it("rejects aud = another service's feedback URL, without a token, and stores nothing", async () => {
    const app = authApp();
    expect401(
      await post(app, FEEDBACK, feedbackBody, await sign(es384, TEST_NOW, { aud: `${BASE}/cds-services/vitd-order-sign/feedback` })),
      /aud must be .*\/feedback or /,
    );
    expect((await post(app, FEEDBACK, feedbackBody)).status).toBe(401);
    expect(await store.listFeedback()).toEqual([]);
  });
});

describe("with no trusted issuers", () => {
  it("runs open and logs a loud warning at start-up", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write: (chunk: Buffer, _e, cb) => {
        lines.push(chunk.toString());
        cb();
      },
    });
    const app = buildTestApp({ logger: pino({ level: "info" }, sink) });
    expect((await post(app, SERVICE, hook)).status).toBe(200);
    const warning = lines
      .map((l) => JSON.parse(l) as { level: number; msg: string })
      .find((l) => l.msg.includes("JWT AUTHENTICATION IS OFF"));
    expect(warning?.level).toBe(40); // pino "warn"
  });
});

// nock patches node:http for the whole worker process, beyond this file: undo it for the files that run next.
afterAll(() => nock.restore());
