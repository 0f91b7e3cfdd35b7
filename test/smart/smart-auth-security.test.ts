/**
 * Red-team findings on sandbox/smart-auth's OAuth side: only registered clients with an exactly
 * registered redirect_uri get codes (or error redirects, RFC 6749 §4.1.2.1); `launch` tokens are
 * minted and signed by the server and expire; the launch button redirects only to registered apps.
 */
import { createHash } from "node:crypto";
import express from "express";
import request from "supertest";
import { createSmartAuthServer, type SmartAuthOptions, type SmartClient } from "../../sandbox/smart-auth";

const UPSTREAM = "http://upstream.test/fhir";
const VERIFIER = "c".repeat(20) + "-verifier-" + "d".repeat(20);
const CHALLENGE = createHash("sha256").update(VERIFIER).digest("base64url");
const REDIRECT = "http://app.test/smart/index.html";
const LAUNCH_PAGE = "http://app.test/smart/launch.html";
const CLIENTS: SmartClient[] = [{ clientId: "vitd-cds", redirectUris: [REDIRECT], launchUris: [LAUNCH_PAGE] }];
const SECRET = "a-test-launch-secret-of-32-bytes!";
const T0 = Date.parse("2031-02-03T04:05:06Z");

/** An upstream FHIR server that knows Patient/p1 only. */
const fetchImpl = ((input: string | URL | Request) => {
  const known = String(input instanceof Request ? input.url : input) === `${UPSTREAM}/Patient/p1`;
  const body = known
    ? { resourceType: "Patient", id: "p1" }
    : { resourceType: "OperationOutcome", issue: [{ severity: "error", code: "not-found" }] };
  return Promise.resolve(
    new Response(JSON.stringify(body), { status: known ? 200 : 404, headers: { "content-type": "application/fhir+json" } }),
  );
}) as typeof fetch;

function setup(opts: Partial<SmartAuthOptions> = {}) {
  const auth = createSmartAuthServer({ fhirBaseUrl: UPSTREAM, fetchImpl, clients: CLIENTS, launchSecret: SECRET, ...opts });
  return { app: express().use("/auth", auth.router), auth };
}

const authorize = (app: express.Express, extra: Record<string, string>) =>
  request(app)
    .get("/auth/authorize")
    .set("Host", "auth.test")
    .query({
      response_type: "code",
      client_id: "vitd-cds",
      redirect_uri: REDIRECT,
      scope: "launch patient/Observation.rs",
      state: "s1",
      aud: "http://auth.test/auth/fhir",
      code_challenge: CHALLENGE,
      code_challenge_method: "S256",
      ...extra,
    });

/** The redirect back to the app: its code, or its error. */
async function outcomeOf(app: express.Express, extra: Record<string, string>) {
  const res = await authorize(app, extra);
  expect(res.status).toBe(302);
  const back = new URL(res.headers.location as string);
  expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
  return {
    code: back.searchParams.get("code"),
    error: back.searchParams.get("error"),
    description: back.searchParams.get("error_description"),
  };
}

/** What anyone could build before the fix: base64url(JSON), nothing signed. */
const forged = (context: object) => Buffer.from(JSON.stringify(context)).toString("base64url");
/** A server-minted token whose payload is swapped for another patient's (the rest, e.g. a signature, kept). */
function altered(token: string, patient: string): string {
  const [payload = "", ...rest] = token.split(".");
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
  return [Buffer.from(JSON.stringify({ ...claims, patient })).toString("base64url"), ...rest].join(".");
}

describe("/authorize: registered clients and exact redirect URIs only", () => {
  const cases: [string, Record<string, string>][] = [
    ["an unknown client_id", { client_id: "evil-app" }],
    ["no client_id", { client_id: "" }],
    ["an unregistered redirect_uri", { redirect_uri: "http://evil.test/smart/index.html" }],
    ["a redirect_uri with an extra query", { redirect_uri: `${REDIRECT}?then=http://evil.test` }],
    ["a redirect_uri that is only a prefix match", { redirect_uri: `${REDIRECT}/../../evil` }],
    ["a redirect_uri on a look-alike host", { redirect_uri: "http://app.test.evil.test/smart/index.html" }],
    ["a redirect_uri differing in case", { redirect_uri: "http://app.test/SMART/index.html" }],
  ];
  it.each(cases)("answers %s with a 400 page and no redirect, also on the error path", async (_what, extra) => {
    const { app, auth } = setup();
    for (const more of [{ launch: auth.mintLaunch({ patient: "p1" }) }, { response_type: "token" }, { scope: "nothing" }]) {
      const res = await authorize(app, { ...more, ...extra });
      expect(res.status).toBe(400);
      expect(res.headers.location).toBeUndefined();
      expect(res.headers["content-type"]).toMatch(/text\/plain/);
    }
    expect(auth.events.filter((e) => e.type === "authorize")).toEqual([]);
  });

  it("redirects errors back once client and redirect_uri are validated", async () => {
    const { app } = setup();
    expect(await outcomeOf(app, { response_type: "token" })).toMatchObject({ code: null, error: "unsupported_response_type" });
  });

  it("registers the project's SMART app by default: SMART_CLIENT_ID (default vitd-cds), <serving origin>/smart/index.html", async () => {
    const own = { redirect_uri: "http://auth.test/smart/index.html", launch: "" };
    for (const [env, id, other] of [
      [{}, "vitd-cds", "other-app"],
      [{ SMART_CLIENT_ID: "my-app" }, "my-app", "vitd-cds"],
    ] as const) {
      const auth = createSmartAuthServer({ fhirBaseUrl: UPSTREAM, fetchImpl, env, standalonePatient: "p1" });
      const app = express().use("/auth", auth.router);
      const ok = await authorize(app, { ...own, client_id: id, scope: "launch/patient patient/Observation.rs" });
      expect(new URL(ok.headers.location as string).searchParams.get("code")).toBeTruthy();
      expect((await authorize(app, { ...own, client_id: other, scope: "launch/patient" })).status).toBe(400);
      expect((await authorize(app, { client_id: id, redirect_uri: REDIRECT, scope: "launch/patient" })).status).toBe(400);
    }
  });
});

describe("/token", () => {
  it("refuses a code redeemed by another registered client or with another redirect_uri", async () => {
    const clients = [...CLIENTS, { clientId: "second", redirectUris: ["http://second.test/cb"] }];
    const { app, auth } = setup({ clients });
    for (const [client_id, redirect_uri, error] of [
      ["second", REDIRECT, "invalid_client"],
      ["vitd-cds", "http://second.test/cb", "invalid_grant"],
      ["nobody", REDIRECT, "invalid_client"],
    ]) {
      const { code } = await outcomeOf(app, { launch: auth.mintLaunch({ patient: "p1" }) });
      const res = await request(app)
        .post("/auth/token")
        .type("form")
        .send({ grant_type: "authorization_code", code, redirect_uri, client_id, code_verifier: VERIFIER });
      expect(res.body.error).toBe(error);
    }
  });
});

describe("launch tokens are minted and signed by the server, and expire", () => {
  it("accepts a token the server minted", async () => {
    const { app, auth } = setup();
    expect((await outcomeOf(app, { launch: auth.mintLaunch({ patient: "p1" }) })).code).toBeTruthy();
  });

  it.each([
    ["forged (unsigned JSON)", () => forged({ patient: "p2" })],
    ["altered to another patient", (mint: (p: string) => string) => altered(mint("p1"), "p2")],
    ["minted by another instance", () => createSmartAuthServer({ fhirBaseUrl: UPSTREAM, clients: CLIENTS }).mintLaunch({ patient: "p1" })],
    ["garbage", () => "eyJwYXRpZW50IjoicDIifQ.AAAA"],
  ])("refuses a launch token that is %s: invalid_request, unknown launch token", async (_what, make) => {
    const { app, auth } = setup();
    const outcome = await outcomeOf(app, { launch: make((patient) => auth.mintLaunch({ patient })) });
    expect(outcome).toEqual({ code: null, error: "invalid_request", description: "unknown launch token" });
  });

  it("expires 10 minutes after minting (injected clock)", async () => {
    let now = T0;
    const { app, auth } = setup({ clock: () => new Date(now) });
    const launch = auth.mintLaunch({ patient: "p1" });
    now = T0 + 10 * 60_000 - 1000;
    expect((await outcomeOf(app, { launch })).code).toBeTruthy();
    now = T0 + 10 * 60_000 + 1000;
    expect(await outcomeOf(app, { launch })).toMatchObject({ code: null, description: "unknown launch token" });
  });

  it("is shared by instances given the same launchSecret; without one each instance has its own random secret", async () => {
    const a = setup();
    const b = setup();
    expect((await outcomeOf(b.app, { launch: a.auth.mintLaunch({ patient: "p1" }) })).code).toBeTruthy();
    const c = setup({ launchSecret: undefined });
    const d = setup({ launchSecret: undefined });
    expect((await outcomeOf(d.app, { launch: c.auth.mintLaunch({ patient: "p1" }) })).error).toBe("invalid_request");
    expect(() => createSmartAuthServer({ fhirBaseUrl: UPSTREAM, launchSecret: "short" })).toThrow(/launchSecret/);
  });
});

describe("GET /launch (the EHR's launch button)", () => {
  it("redirects to a registered app launch URL with iss and a signed launch token for an existing patient", async () => {
    const { app, auth } = setup();
    const res = await request(app).get("/auth/launch").set("Host", "auth.test").query({ app: LAUNCH_PAGE, patient: "p1", appContext: "x" });
    expect(res.status).toBe(302);
    const target = new URL(res.headers.location as string);
    expect(`${target.origin}${target.pathname}`).toBe(LAUNCH_PAGE);
    expect(target.searchParams.get("iss")).toBe("http://auth.test/auth/fhir");
    expect(auth.decodeLaunch(target.searchParams.get("launch") ?? "")).toEqual({ patient: "p1", appContext: "x" });
  });

  it.each([
    [{ app: "http://evil.test/smart/launch.html", patient: "p1" }, 400],
    [{ app: `${LAUNCH_PAGE}?next=http://evil.test`, patient: "p1" }, 400],
    [{ app: "javascript:alert(1)", patient: "p1" }, 400],
    [{ app: LAUNCH_PAGE, patient: "p1,p2" }, 400],
    [{ app: LAUNCH_PAGE, patient: "../Observation/o2" }, 400],
    [{ app: LAUNCH_PAGE, patient: "nobody" }, 404],
  ])("refuses %j without redirecting (%i)", async (query, status) => {
    const { app } = setup();
    const res = await request(app).get("/auth/launch").set("Host", "auth.test").query(query);
    expect(res.status).toBe(status);
    expect(res.headers.location).toBeUndefined();
  });
});
