/**
 * JWKS downloads against real loopback servers: a listed JWKS URL that redirects is never followed
 * (the token is refused, the unlisted host is never contacted); a huge body is cut off at the cap
 * while streaming; a failed download is remembered briefly (5 tokens → 1 download).
 */
import { randomUUID } from "node:crypto";
import pino from "pino";
import request from "supertest";
import { createApp } from "../../src/app";
import { defaultClinicalConfig } from "../../src/config/clinical-config";
import { jwks, makeKey, sign, type TestKey } from "../auth/jwt-fixtures";
import { patientViewBody } from "../../devkit/hook-requests";
import { testConfig } from "../helpers/test-app";
import { json, loopback, stream, type Loopback } from "./loopback";

const ISS = "https://ehr.example.org/";
const PUBLIC = "https://cds.example.org";
const AUD = `${PUBLIC}/cds-services/vitd-patient-view`;
let key: TestKey;
let foreign: Loopback;

beforeAll(async () => {
  key = await makeKey("ES384");
  foreign = await loopback((_req, res) => json(res, 200, jwks(key)));
});
afterAll(() => foreign.close());
beforeEach(() => {
  foreign.hits.length = 0;
});

function appFor(jwksUrl: string, clock: () => Date = () => new Date()) {
  return createApp({
    config: testConfig({ trustedIssuers: { [ISS]: [jwksUrl] }, publicUrl: PUBLIC }),
    clinicalConfig: defaultClinicalConfig,
    logger: pino({ level: "silent" }),
    clock,
  });
}

const call = async (app: ReturnType<typeof appFor>) =>
  request(app)
    .post("/cds-services/vitd-patient-view")
    .set("authorization", `Bearer ${await sign(key, new Date(), { iss: ISS, aud: AUD, jku: null, jti: randomUUID() })}`)
    .send(patientViewBody({ prefetch: {} }));

describe("JWKS outbound rules", () => {
  it("the served JWKS verifies a token when fetched directly (control)", async () => {
    const res = await call(appFor(`${foreign.origin}/jwks.json`));
    expect(res.status).not.toBe(401);
  });

  it.each([302, 307])("a listed JWKS URL answering %i to an unlisted host → 401, the unlisted host is never contacted", async (status) => {
    const listed = await loopback((_req, res) => {
      res.writeHead(status, { location: `${foreign.origin}/jwks.json` });
      res.end();
    });
    try {
      const res = await call(appFor(`${listed.origin}/.well-known/jwks.json`));
      expect(res.status).toBe(401);
      expect(res.body.message).toContain("redirect not followed");
      expect(listed.hits).toHaveLength(1);
      expect(foreign.hits).toEqual([]);
    } finally {
      await listed.close();
    }
  });

  it("a 60 MB JWKS body is cut off at 256 KB while streaming → 401", async () => {
    const sent: Promise<number>[] = [];
    const huge = await loopback((_req, res) => void sent.push(stream(res, 60 * 1024 * 1024)));
    try {
      const res = await call(appFor(`${huge.origin}/jwks.json`));
      expect(res.status).toBe(401);
      expect(res.body.message).toContain("larger than 262144 bytes");
      await huge.close();
      for (const b of await Promise.all(sent)) expect(b).toBeLessThan(16 * 1024 * 1024);
    } finally {
      await huge.close();
    }
  });

  it("a failing JWKS host is asked once for 5 tokens in a row (failure cached), all 5 refused", async () => {
    const down = await loopback((_req, res) => json(res, 500, { error: "down" }));
    try {
      const app = appFor(`${down.origin}/jwks.json`);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await call(app)).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401]);
      expect(down.hits).toHaveLength(1);
    } finally {
      await down.close();
    }
  });

  it("after the failure window the JWKS is asked again (clock moved 31 s)", async () => {
    let t = Date.now();
    let healthy = false;
    const flaky = await loopback((_req, res) => (healthy ? json(res, 200, jwks(key)) : json(res, 503, {})));
    try {
      const app = appFor(`${flaky.origin}/jwks.json`, () => new Date(t));
      expect((await call(app)).status).toBe(401);
      healthy = true;
      expect((await call(app)).status).toBe(401); // still inside the window: not asked
      expect(flaky.hits).toHaveLength(1);
      t += 31_000;
      // The token's own iat/exp are from the real clock; the verifier's clock tolerance covers 31 s.
      expect((await call(app)).status).not.toBe(401);
      expect(flaky.hits).toHaveLength(2);
    } finally {
      await flaky.close();
    }
  });
});
