/**
 * Red-team findings on sandbox/smart-auth's FHIR proxy: the patient compartment is enforced on
 * every read (checked on the fetched resource, 404 like a missing one), searches must name exactly
 * the patient in context, and upstream Bundles (entries, paging links) are filtered as well.
 * The upstream is the real in-process sandbox FHIR server, called through supertest.
 */
import { createHash } from "node:crypto";
import express from "express";
import request from "supertest";
import type { Bundle, FhirResource, Observation } from "fhir/r4";
import { createFhirServer } from "../../sandbox/fhir-server";
import { createSmartAuthServer } from "../../sandbox/smart-auth";
import { fallbackQueryUrl, prefetchQueries } from "../../src/fhir/queries";

const UPSTREAM = "http://upstream.test/fhir";
const VERIFIER = "e".repeat(43);
const REDIRECT = "http://app.test/smart/index.html";
const CLIENTS = [{ clientId: "vitd-cds", redirectUris: [REDIRECT] }];

const obs = (id: string, patient: string, extra: Partial<Observation> = {}): Observation => ({
  resourceType: "Observation",
  id,
  status: "final",
  code: { text: "Mg" },
  subject: { reference: `Patient/${patient}` },
  ...extra,
});
const resources: FhirResource[] = [
  { resourceType: "Patient", id: "p1" },
  { resourceType: "Patient", id: "p2", name: [{ family: "Two" }] },
  obs("o1", "p1", { hasMember: [{ reference: "Observation/o2" }] }),
  obs("o1b", "p1"),
  obs("o2", "p2"),
  { resourceType: "Medication", id: "m1", code: { text: "cholecalciferol" } },
  {
    resourceType: "MedicationRequest",
    id: "mr1",
    status: "active",
    intent: "order",
    subject: { reference: "Patient/p1" },
    medicationReference: { reference: "Medication/m1" },
  },
  {
    resourceType: "Provenance",
    id: "pv2",
    target: [{ reference: "Observation/o2" }],
    recorded: "2030-01-01T00:00:00Z",
    agent: [{ who: { display: "x" } }],
  },
];

/** fetch() into an express app (no port), as the proxy's upstream. */
function fetchInto(app: express.Express, calls: string[]): typeof fetch {
  return async (input: string | URL | Request) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    calls.push(url.href);
    const res = await request(app).get(`${url.pathname}${url.search}`).set("Host", url.host);
    return new Response(res.text, {
      status: res.status,
      headers: { "content-type": String(res.headers["content-type"] ?? "application/fhir+json") },
    });
  };
}

/** The proxy in front of `upstream` (default: the real FHIR server with the resources above), and a token for p1. */
async function setup(upstream?: express.Express) {
  const calls: string[] = [];
  let target = upstream;
  if (!target) {
    const fhir = createFhirServer();
    await fhir.loadBundle({
      resourceType: "Bundle",
      type: "transaction",
      entry: resources.map((resource) => ({ resource, request: { method: "PUT", url: `${resource.resourceType}/${resource.id ?? ""}` } })),
    });
    target = express().use("/fhir", fhir.router);
  }
  const auth = createSmartAuthServer({
    fhirBaseUrl: UPSTREAM,
    fetchImpl: fetchInto(target, calls),
    clients: CLIENTS,
    standalonePatient: "p1",
  });
  const app = express().use("/auth", auth.router);
  const challenge = createHash("sha256").update(VERIFIER).digest("base64url");
  const query = {
    response_type: "code",
    client_id: "vitd-cds",
    redirect_uri: REDIRECT,
    scope: "launch/patient patient/*.rs",
    aud: "http://auth.test/auth/fhir",
    code_challenge: challenge,
    code_challenge_method: "S256",
  };
  const code = new URL(
    (await request(app).get("/auth/authorize").set("Host", "auth.test").query(query)).headers.location as string,
  ).searchParams.get("code");
  const token = await request(app)
    .post("/auth/token")
    .type("form")
    .send({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, client_id: "vitd-cds", code_verifier: VERIFIER });
  const get = (path: string) =>
    request(app)
      .get(`/auth/fhir/${path}`)
      .set("Host", "auth.test")
      .set("Authorization", `Bearer ${token.body.access_token as string}`);
  return { get, calls, auth };
}

const ids = (res: request.Response) => ((JSON.parse(res.text) as Bundle).entry ?? []).map((e) => e.resource?.id);

describe("reads by id: the fetched resource must be in the patient's compartment", () => {
  it("reads the patient's own Observation; another patient's answers exactly like a missing one (404)", async () => {
    const { get } = await setup();
    expect((await get("Observation/o1")).status).toBe(200);
    const other = await get("Observation/o2");
    const missing = await get("Observation/nope");
    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(other.text.replace("o2", "ID")).toBe(missing.text.replace("nope", "ID"));
    expect(other.text).not.toContain("p2");
  });

  it("reads Patient only for the patient in context, shared Medication, and no other types", async () => {
    const { get } = await setup();
    expect((await get("Patient/p1")).status).toBe(200);
    expect((await get("Patient/p2")).status).toBe(403);
    expect((await get("Medication/m1")).status).toBe(200);
    expect((await get("Provenance/pv2")).status).toBe(403);
    expect((await get("Observation/o1?_elements=id")).status).toBe(403);
  });
});

describe("searches must name exactly the patient in context", () => {
  it("allows one patient (or subject) parameter, bare or typed, and returns only that patient's resources", async () => {
    const { get } = await setup();
    expect(ids(await get("Observation?patient=p1&_sort=_id"))).toEqual(["o1", "o1b"]);
    expect(ids(await get("Observation?subject=Patient%2Fp1&_count=1"))).toHaveLength(1);
    expect(ids(await get("MedicationRequest?patient=p1&_include=MedicationRequest:medication"))).toEqual(["mr1", "m1"]);
    expect(ids(await get("Patient?_id=p1"))).toEqual(["p1"]);
  });

  it.each([
    "Observation?patient=Patient/p2,http://elsewhere/Patient/p1",
    "Observation?patient=p1,p2",
    "Observation?patient=p1&patient=p2",
    "Observation?patient=p1&subject=Patient/p2",
    "Observation?subject=p2&patient=p1",
    "Observation?patient:missing=false",
    "Observation?patient=p1&subject:Patient.name=Two",
    "Observation?patient=p1&patient.name=Two",
    "Observation?patient=p1&_id=o2",
    "Observation?patient=p1&_include=Observation:has-member",
    "Observation?patient=p1&_revinclude=Provenance:target",
    "Observation?patient=p1&_has:Provenance:target:agent=x",
    "Observation?patient=p1&_format=xml",
    "Patient?_id=p1&_id=p2",
    "Patient?_id=p1,p2",
    "Patient?_id=p1&_revinclude=Observation:patient",
    "AllergyIntolerance?subject=p1",
    "Provenance?patient=p1",
  ])("refuses %s with 403 before calling the upstream", async (path) => {
    const { get, calls } = await setup();
    const res = await get(path);
    expect(res.status).toBe(403);
    expect(calls).toEqual([]);
  });

  it("lets through every query the SMART app makes (src/fhir/queries, as the fallback builds them)", async () => {
    const { get } = await setup();
    for (const query of prefetchQueries) {
      const res = await get(fallbackQueryUrl(query, { patientId: "p1", userId: "" }, new Date("2031-01-01T00:00:00Z")));
      expect([query.key, res.status]).toEqual([query.key, 200]);
    }
  });

  it("follows next links through the proxy, each page re-checked and in the compartment", async () => {
    const { get } = await setup();
    const first = await get("Observation?patient=p1&_count=1&_sort=_id");
    const next = (JSON.parse(first.text) as Bundle).link?.find((l) => l.relation === "next")?.url ?? "";
    expect(next.startsWith("http://auth.test/auth/fhir/Observation?")).toBe(true);
    expect(ids(await get(next.slice("http://auth.test/auth/fhir/".length)))).toEqual(["o1b"]);
  });
});

describe("upstream answers are checked too (defence in depth)", () => {
  const lying = express().get("/fhir/{*path}", (req, res) => {
    if (req.path === "/fhir/Observation/o1") return void res.type("application/fhir+json").send(JSON.stringify(obs("o1", "p2")));
    if (req.path === "/fhir/Observation/o1b") return void res.type("application/fhir+json").send(JSON.stringify(obs("o2", "p1")));
    const bundle: Bundle = {
      resourceType: "Bundle",
      type: "searchset",
      link: [
        { relation: "self", url: `${UPSTREAM}/Observation?patient=p1&_count=2` },
        { relation: "next", url: `${UPSTREAM}/Observation?patient=p1&_count=2&_offset=2` },
        { relation: "previous", url: `${UPSTREAM}/Observation?patient=p2&_count=2` },
        { relation: "last", url: "http://evil.test/fhir/Observation?patient=p1" },
      ],
      entry: [obs("o1", "p1"), obs("o2", "p2"), resources[1]!, resources[5]!, resources[7]!].map((resource, i) => ({
        resource,
        search: { mode: i < 2 ? "match" : "include" },
      })),
    };
    res.type("application/fhir+json").send(JSON.stringify(bundle));
  });

  it("drops Bundle entries outside the compartment (other patient's matches and includes; shared Medication stays)", async () => {
    const { get, auth } = await setup(lying);
    const res = await get("Observation?patient=p1&_count=2");
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual(["o1", "m1"]);
    expect(auth.events).toContainEqual({ type: "fhir-filtered", path: "/fhir/Observation", dropped: 3 });
  });

  it("keeps only paging links that stay in the compartment, rewritten to the proxy", async () => {
    const { get } = await setup(lying);
    const links = (JSON.parse((await get("Observation?patient=p1&_count=2")).text) as Bundle).link ?? [];
    expect(links).toEqual([
      { relation: "self", url: "http://auth.test/auth/fhir/Observation?patient=p1&_count=2" },
      { relation: "next", url: "http://auth.test/auth/fhir/Observation?patient=p1&_count=2&_offset=2" },
    ]);
  });

  it("answers 404 when a read returns another patient's resource or another resource than asked for", async () => {
    const { get } = await setup(lying);
    expect((await get("Observation/o1")).status).toBe(404);
    expect((await get("Observation/o1b")).status).toBe(404);
  });
});
