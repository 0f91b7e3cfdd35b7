/**
 * Hardening through the real app: security headers, body limit, rate limit from config, and
 * secrets never logged (JWT, fhirAuthorization.access_token) on success and failure paths.
 */
import { Writable } from "node:stream";
import nock from "nock";
import pino from "pino";
import request from "supertest";
import { redactPaths } from "../../src/logger";
import { buildTestApp, TEST_NOW } from "../helpers/test-app";
import { ACCESS_TOKEN, FHIR_BASE, fullPrefetch, patientViewBody } from "../../devkit/hook-requests";
import { toxicity10000Daily } from "../fixtures/hooks";
import { ISSUER, JWKS_ORIGIN, JWKS_PATH, JWKS_URL, jwks, makeKey, sign, tamperSignature } from "../auth/jwt-fixtures";

const SERVICE = "/cds-services/vitd-patient-view";
const prefetched = fullPrefetch(toxicity10000Daily.patient, toxicity10000Daily.resources);

describe("security headers", () => {
  it("JSON API: no sniffing, no framing, nothing to load, not cached, readable cross-origin, no X-Powered-By", async () => {
    const res = await request(buildTestApp()).get("/cds-services");
    expect(res.headers).toMatchObject({
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "content-security-policy": "default-src 'none';frame-ancestors 'none'",
      "cache-control": "no-store",
      "cross-origin-resource-policy": "cross-origin",
      "referrer-policy": "no-referrer",
      "strict-transport-security": expect.stringMatching(/^max-age=\d+/),
    });
    expect(res.headers["x-powered-by"]).toBeUndefined();
  });

  it("the same on errors and on /metrics and /healthz", async () => {
    const app = buildTestApp();
    for (const path of ["/cds-services/nope", "/metrics", "/healthz"]) {
      const res = await request(app).get(path);
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["content-security-policy"]).toBe("default-src 'none';frame-ancestors 'none'");
    }
  });

  it("other routes (the SMART app, embedded in EHR frames) get the base headers but no frame ban or API CSP", async () => {
    const res = await request(buildTestApp()).get("/smart/anything");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["x-frame-options"]).toBeUndefined();
    expect(res.headers["content-security-policy"]).toBeUndefined();
  });
});

describe("limits", () => {
  it("body over CDS_BODY_LIMIT → 413 JSON", async () => {
    const app = buildTestApp({ config: { bodyLimit: "1kb" } });
    const res = await request(app)
      .post(SERVICE)
      .send({ ...patientViewBody({ fhirServer: null }), pad: "x".repeat(2048) });
    expect(res.status).toBe(413);
    expect(res.body.error).toBe("payload_too_large");
  });

  it("CDS_RATE_LIMIT_PER_MINUTE = 2 → the third call from one client is 429; CORS preflights are not counted", async () => {
    const app = buildTestApp({ config: { rateLimitPerMinute: 2 } });
    expect((await request(app).options(SERVICE)).status).toBe(204);
    expect((await request(app).get("/cds-services")).status).toBe(200);
    expect(
      (
        await request(app)
          .post(SERVICE)
          .send(patientViewBody({ fhirServer: null, prefetch: prefetched, patientId: "pat-2" }))
      ).status,
    ).toBe(200);
    const third = await request(app).get("/cds-services");
    expect(third.status).toBe(429);
    expect(third.headers["retry-after"]).toMatch(/^\d+$/);
    expect(third.headers["access-control-allow-origin"]).toBe("*");
  });

  it("no rate limit by default", async () => {
    const app = buildTestApp();
    for (let i = 0; i < 30; i++) expect((await request(app).get("/cds-services")).status).toBe(200);
  });
});

describe("secrets are never logged", () => {
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
  });
  afterAll(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("neither the JWT nor the FHIR access token appears in any log line (success, 401, 400, 502)", async () => {
    const key = await makeKey("ES384");
    nock(JWKS_ORIGIN).get(JWKS_PATH).reply(200, jwks(key)).persist();
    nock(FHIR_BASE.replace(/\/fhir$/, ""))
      .get(/.*/)
      .reply(500, { issue: "boom" })
      .persist();
    const lines: string[] = [];
    const sink = new Writable({
      write: (chunk: Buffer, _e, cb) => {
        lines.push(chunk.toString());
        cb();
      },
    });
    const logger = pino({ level: "trace", redact: { paths: redactPaths, censor: "[redacted]" } }, sink);
    const app = buildTestApp({ logger, config: { trustedIssuers: { [ISSUER]: [JWKS_URL] }, publicUrl: "https://cds.example.org" } });
    const aud = `https://cds.example.org${SERVICE}`;

    const tokens: string[] = [];
    const call = async (body: object, token?: string) => {
      const t = token ?? (await sign(key, TEST_NOW, { aud }));
      tokens.push(t);
      return request(app).post(SERVICE).set("Authorization", `Bearer ${t}`).send(body);
    };
    // 200: prefetch complete, fhirAuthorization present (token unused)
    expect((await call(patientViewBody({ prefetch: prefetched, patientId: "pat-2" }))).status).toBe(200);
    // 502: nothing prefetched, the FHIR server fails (the access token is sent to it, never logged)
    expect((await call(patientViewBody({}))).status).toBe(502);
    // 400: invalid body carrying a token
    expect((await call({ ...patientViewBody({}), hookInstance: "nope" })).status).toBe(400);
    // 401: tampered JWT
    expect((await call(patientViewBody({}), tamperSignature(await sign(key, TEST_NOW, { aud })))).status).toBe(401);

    const log = lines.join("");
    expect(lines.filter((l) => l.includes('"msg":"request"'))).toHaveLength(4); // one line per call was written
    expect(log).toContain('"status":401'); // the failure was logged…
    for (const t of tokens) {
      for (const part of t.split(".")) expect(log).not.toContain(part); // …without any part of any JWT
    }
    expect(log).not.toContain(ACCESS_TOKEN);
  });
});

// nock patches node:http for the whole worker process, beyond this file: undo it for the files that run next.
afterAll(() => nock.restore());
