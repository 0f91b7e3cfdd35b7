/** The local SMART authorization server (sandbox/smart-auth): PKCE S256, consent, launch context, scopes, token expiry. */
import { createHash } from "node:crypto";
import express from "express";
import request from "supertest";
import { createSmartAuthServer, type LaunchContext, type SmartAuthServer } from "../../sandbox/smart-auth";

const UPSTREAM = "http://upstream.test/fhir";
const VERIFIER = "a".repeat(20) + "-verifier-" + "b".repeat(20);
const CHALLENGE = createHash("sha256").update(VERIFIER).digest("base64url");
const REDIRECT = "http://app.test/smart/index.html";
const LAUNCH_PAGE = "http://app.test/smart/launch.html";
const CLIENTS = [{ clientId: "vitd-cds", redirectUris: [REDIRECT], launchUris: [LAUNCH_PAGE] }];
const fhirJson = (body: object, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/fhir+json" } });

function setup(opts: { standalonePatient?: string } = {}) {
  const upstreamCalls: string[] = [];
  const fetchImpl = ((url: string) => {
    upstreamCalls.push(url);
    if (url === `${UPSTREAM}/Patient/p1`) return Promise.resolve(fhirJson({ resourceType: "Patient", id: "p1" }));
    return Promise.resolve(
      fhirJson({
        resourceType: "Bundle",
        type: "searchset",
        link: [{ relation: "next", url: `${UPSTREAM}/Observation?patient=p1&_offset=20` }],
        entry: [],
      }),
    );
  }) as typeof fetch;
  const auth = createSmartAuthServer({ fhirBaseUrl: UPSTREAM, fetchImpl, clients: CLIENTS, ...opts });
  const app = express();
  app.use("/auth", auth.router);
  return { app, auth, upstreamCalls };
}

function authorizeQuery(host: string, extra: Record<string, string> = {}) {
  return {
    response_type: "code",
    client_id: "vitd-cds",
    redirect_uri: REDIRECT,
    scope: "openid fhirUser launch patient/Patient.rs patient/Observation.rs",
    state: "s1",
    aud: `http://${host}/auth/fhir`,
    code_challenge: CHALLENGE,
    code_challenge_method: "S256",
    ...extra,
  };
}

interface Setup {
  app: express.Express;
  auth: SmartAuthServer;
}

async function authorize({ app, auth }: Setup, context: LaunchContext, extra: Record<string, string> = {}) {
  const agent = request(app);
  const res = await agent
    .get("/auth/authorize")
    .set("Host", "auth.test")
    .query(authorizeQuery("auth.test", { launch: auth.mintLaunch(context), ...extra }));
  expect(res.status).toBe(302);
  return new URL(res.headers.location as string);
}

async function tokenFor(s: Setup, context: LaunchContext) {
  const { app } = s;
  const code = (await authorize(s, context)).searchParams.get("code") ?? "";
  const res = await request(app)
    .post("/auth/token")
    .type("form")
    .send({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, client_id: "vitd-cds", code_verifier: VERIFIER });
  return res;
}

describe("local SMART authorization server", () => {
  it("advertises its endpoints under the mount path and PKCE S256", async () => {
    const { app } = setup();
    const res = await request(app).get("/auth/fhir/.well-known/smart-configuration").set("Host", "auth.test");
    expect(res.body).toMatchObject({
      authorization_endpoint: "http://auth.test/auth/authorize",
      token_endpoint: "http://auth.test/auth/token",
      code_challenge_methods_supported: ["S256"],
    });
    expect(res.body.capabilities).toEqual(expect.arrayContaining(["launch-ehr", "launch-standalone", "permission-v2"]));
  });

  it("approves an EHR launch and returns the patient and appContext for a verified PKCE code", async () => {
    const s = setup();
    const { auth } = s;
    const res = await tokenFor(s, { patient: "p1", appContext: '{"pattern":"vitamin-d-toxicity"}' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      token_type: "Bearer",
      patient: "p1",
      appContext: '{"pattern":"vitamin-d-toxicity"}',
      expires_in: 3600,
    });
    expect(res.body.scope).toBe("launch patient/Patient.rs patient/Observation.rs");
    expect(auth.events).toContainEqual({ type: "token", clientId: "vitd-cds", patient: "p1", scope: res.body.scope, pkceVerified: true });
  });

  it("rejects a token request whose code_verifier does not match, and codes are single use", async () => {
    const s = setup();
    const { app } = s;
    const code = (await authorize(s, { patient: "p1" })).searchParams.get("code") ?? "";
    const form = { grant_type: "authorization_code", code, redirect_uri: REDIRECT, client_id: "vitd-cds" };
    const bad = await request(app)
      .post("/auth/token")
      .type("form")
      .send({ ...form, code_verifier: "x".repeat(43) });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: "invalid_grant", error_description: expect.stringMatching(/PKCE/) });
    const again = await request(app)
      .post("/auth/token")
      .type("form")
      .send({ ...form, code_verifier: VERIFIER });
    expect(again.body.error).toBe("invalid_grant");
  });

  it("redirects back with error=access_denied when the user declines", async () => {
    const back = await authorize(setup(), { patient: "p1", deny: true });
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get("error")).toBe("access_denied");
    expect(back.searchParams.get("state")).toBe("s1");
    expect(back.searchParams.get("code")).toBeNull();
  });

  it.each([
    [{ code_challenge_method: "plain" }, "invalid_request", /PKCE/],
    [{ aud: "http://elsewhere/fhir" }, "invalid_request", /aud/],
    [{ scope: "patient/Observation.rs" }, "invalid_scope", /launch/],
  ])("refuses %j", async (extra, error, description) => {
    const back = await authorize(setup(), { patient: "p1" }, extra);
    expect(back.searchParams.get("error")).toBe(error);
    expect(back.searchParams.get("error_description")).toMatch(description);
  });

  it("puts the configured patient in context for a standalone launch (launch/patient)", async () => {
    const { app } = setup({ standalonePatient: "p9" });
    const res = await request(app)
      .get("/auth/authorize")
      .set("Host", "auth.test")
      .query(authorizeQuery("auth.test", { scope: "openid launch/patient patient/Observation.rs" }));
    const code = new URL(res.headers.location as string).searchParams.get("code") ?? "";
    const token = await request(app)
      .post("/auth/token")
      .type("form")
      .send({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, client_id: "vitd-cds", code_verifier: VERIFIER });
    expect(token.body.patient).toBe("p9");
  });

  it("acts as the EHR's launch button: redirects to the app with iss and a launch token", async () => {
    const { app, auth } = setup();
    const res = await request(app).get("/auth/launch").set("Host", "auth.test").query({ app: LAUNCH_PAGE, patient: "p1", appContext: "x" });
    expect(res.status).toBe(302);
    const target = new URL(res.headers.location as string);
    expect(target.searchParams.get("iss")).toBe("http://auth.test/auth/fhir");
    expect(auth.decodeLaunch(target.searchParams.get("launch") ?? "")).toEqual({ patient: "p1", appContext: "x" });
    expect((await request(app).get("/auth/launch").query({ app: "javascript:alert(1)", patient: "p1" })).status).toBe(400);
  });

  describe("FHIR proxy", () => {
    it("forwards a patient-scoped search with a valid token and rewrites upstream links to itself", async () => {
      const s = setup();
      const { app, upstreamCalls } = s;
      const { access_token } = (await tokenFor(s, { patient: "p1" })).body;
      const res = await request(app)
        .get("/auth/fhir/Observation?patient=p1&code=x")
        .set("Host", "auth.test")
        .set("Authorization", `Bearer ${access_token}`);
      expect(res.status).toBe(200);
      expect(upstreamCalls).toEqual([`${UPSTREAM}/Observation?patient=p1&code=x`]);
      expect(JSON.parse(res.text).link[0].url).toBe("http://auth.test/auth/fhir/Observation?patient=p1&_offset=20");
    });

    it("answers 401 without a token and with an expired one", async () => {
      const s = setup();
      const { app, upstreamCalls } = s;
      expect((await request(app).get("/auth/fhir/Patient/p1")).status).toBe(401);
      const { access_token } = (await tokenFor(s, { patient: "p1", expiresIn: 0 })).body;
      const res = await request(app).get("/auth/fhir/Patient/p1").set("Authorization", `Bearer ${access_token}`);
      expect(res.status).toBe(401);
      expect(res.headers["www-authenticate"]).toMatch(/expired/);
      expect(upstreamCalls).toEqual([]);
    });

    it.each([
      ["/auth/fhir/Observation?patient=p2", /patient in context/],
      ["/auth/fhir/Patient/p2", /patient in context/],
      ["/auth/fhir/Condition?patient=p1", /scope/],
      ["/auth/fhir/Observation", /patient in context/],
    ])("refuses %s with 403", async (path, why) => {
      const s = setup();
      const { app, upstreamCalls } = s;
      const { access_token } = (await tokenFor(s, { patient: "p1" })).body;
      const res = await request(app).get(path).set("Authorization", `Bearer ${access_token}`);
      expect(res.status).toBe(403);
      expect(JSON.parse(res.text).issue[0].diagnostics).toMatch(why);
      expect(upstreamCalls).toEqual([]);
    });
  });
});
