/**
 * The sandbox FHIR server: FHIR R4 REST semantics a CDS service relies on (search by patient with a
 * bare or typed id, code system|code and comma OR, date prefixes, status, _sort, _count + next links,
 * _include), writes, transactions and the CapabilityStatement.
 */
import express from "express";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import request from "supertest";
import type { Bundle, BundleEntry, FhirResource, Observation } from "fhir/r4";
import { createFhirServer, type FhirServer } from "../../sandbox/fhir-server";

const LOINC = "http://loinc.org";

function obs(id: string, code: string, when: string | { start: string; end?: string }, extra: Partial<Observation> = {}): Observation {
  return {
    resourceType: "Observation",
    id,
    status: "final",
    subject: { reference: "Patient/p1" },
    code: { coding: [{ system: LOINC, code }] },
    ...(typeof when === "string" ? { effectiveDateTime: when } : { effectivePeriod: when }),
    valueQuantity: { value: 1, unit: "mg/dL" },
    ...extra,
  };
}

function tx(resources: FhirResource[]): Bundle {
  return {
    resourceType: "Bundle",
    type: "transaction",
    entry: resources.map((resource) => ({ resource, request: { method: "PUT", url: `${resource.resourceType}/${resource.id ?? ""}` } })),
  };
}

const base: FhirResource[] = [
  { resourceType: "Patient", id: "p1", name: [{ family: "One" }] },
  { resourceType: "Patient", id: "p2", name: [{ family: "Two" }] },
  obs("mg-1", "19123-9", "2025-01-10T08:00:00Z"),
  obs("mg-2", "2601-3", "2025-03-10T08:00:00Z"),
  obs("mg-3", "19123-9", { start: "2025-05-10T08:00:00Z", end: "2025-05-10T09:00:00Z" }),
  obs("mg-4", "19123-9", "2025-07-10T08:00:00Z"),
  obs("mg-prelim", "19123-9", "2025-08-10T08:00:00Z", { status: "preliminary" }),
  obs("ca-1", "17861-6", "2025-04-01T08:00:00Z"),
  obs("wrong-system", "19123-9", "2025-04-01T08:00:00Z", { code: { coding: [{ system: "http://example.org/local", code: "19123-9" }] } }),
  obs("p2-mg", "19123-9", "2025-04-01T08:00:00Z", { subject: { reference: "Patient/p2" } }),
  { resourceType: "Medication", id: "med-d3", code: { text: "cholecalciferol 1.25 MG Oral Capsule" } },
  {
    resourceType: "MedicationStatement",
    id: "ms-1",
    status: "active",
    subject: { reference: "Patient/p1" },
    medicationReference: { reference: "Medication/med-d3" },
  },
  {
    resourceType: "Condition",
    id: "cond-active",
    subject: { reference: "Patient/p1" },
    clinicalStatus: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-clinical", code: "active" }] },
    code: { coding: [{ system: "http://snomed.info/sct", code: "55300003" }] },
  },
  {
    resourceType: "Condition",
    id: "cond-resolved",
    subject: { reference: "Patient/p1" },
    clinicalStatus: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-clinical", code: "resolved" }] },
    code: { coding: [{ system: "http://snomed.info/sct", code: "55300003" }] },
  },
];

let fhir: FhirServer;
let app: express.Express;
const WRITE = { Authorization: "Bearer test-write-token" }; // writes over HTTP need it (fhir-server-writes.test.ts)

beforeEach(async () => {
  fhir = createFhirServer({ writeToken: "test-write-token" });
  app = express();
  app.use("/fhir", fhir.router);
  await fhir.loadBundle(tx(base));
});

const ids = (bundle: Bundle) => (bundle.entry ?? []).map((e: BundleEntry) => e.resource?.id);

async function search(path: string): Promise<Bundle> {
  const res = await request(app).get(`/fhir/${path}`).expect(200);
  expect(res.headers["content-type"]).toMatch(/application\/fhir\+json/);
  return res.body as Bundle;
}

describe("search by patient", () => {
  it("finds the same Observations with patient=Patient/p1, patient=p1 and subject=p1, and none of p2's", async () => {
    const typed = ids(await search("Observation?patient=Patient/p1&_count=100")).sort();
    expect(typed).toEqual(["ca-1", "mg-1", "mg-2", "mg-3", "mg-4", "mg-prelim", "wrong-system"]);
    expect(ids(await search("Observation?patient=p1&_count=100")).sort()).toEqual(typed);
    expect(ids(await search("Observation?subject=p1&_count=100")).sort()).toEqual(typed);
    expect(ids(await search("Observation?subject=Patient/p2"))).toEqual(["p2-mg"]);
  });
});

describe("search by code", () => {
  it("matches system|code by system and code: a local code with the same digits is not LOINC", async () => {
    const found = ids(await search(`Observation?patient=p1&code=${encodeURIComponent(`${LOINC}|19123-9`)}`)).sort();
    expect(found).toEqual(["mg-1", "mg-3", "mg-4", "mg-prelim"]);
  });
  it("treats a comma as OR, and a bare code matches any system", async () => {
    const either = ids(await search(`Observation?patient=p1&code=${LOINC}|19123-9,${LOINC}|2601-3`)).sort();
    expect(either).toEqual(["mg-1", "mg-2", "mg-3", "mg-4", "mg-prelim"]);
    expect(ids(await search("Observation?patient=p1&code=19123-9")).sort()).toEqual(["mg-1", "mg-3", "mg-4", "mg-prelim", "wrong-system"]);
  });
});

describe("search by date, status and clinical-status", () => {
  it("applies ge/le/gt/lt, including to an effectivePeriod", async () => {
    expect(ids(await search(`Observation?patient=p1&code=${LOINC}|19123-9&date=ge2025-03-01&date=le2025-06-30`))).toEqual(["mg-3"]);
    expect(ids(await search(`Observation?code=${LOINC}|2601-3&date=gt2025-03-10T07:00:00Z`))).toEqual(["mg-2"]);
    expect(ids(await search(`Observation?code=${LOINC}|2601-3&date=lt2025-03-10T07:00:00Z`))).toEqual([]);
  });
  it("filters by status (comma = OR) and Condition clinical-status", async () => {
    expect(ids(await search("Observation?patient=p1&status=preliminary"))).toEqual(["mg-prelim"]);
    expect(ids(await search("Condition?patient=p1&clinical-status=active,recurrence,relapse"))).toEqual(["cond-active"]);
  });
  it("ignores parameters it does not know instead of returning nothing", async () => {
    expect((await search("Observation?patient=p1&x-unknown=1")).total).toBe(7);
  });
});

describe("_sort", () => {
  it("sorts -date newest first, mixing effectiveDateTime and effectivePeriod.start", async () => {
    expect(ids(await search(`Observation?patient=p1&code=${LOINC}|19123-9,${LOINC}|2601-3&status=final&_sort=-date`))).toEqual([
      "mg-4",
      "mg-3",
      "mg-2",
      "mg-1",
    ]);
    expect(ids(await search(`Observation?patient=p1&code=${LOINC}|19123-9,${LOINC}|2601-3&status=final&_sort=date`))).toEqual([
      "mg-1",
      "mg-2",
      "mg-3",
      "mg-4",
    ]);
  });
});

describe("_include", () => {
  it("adds the referenced Medication with search.mode include", async () => {
    const bundle = await search("MedicationStatement?patient=p1&_include=MedicationStatement:medication");
    expect(bundle.total).toBe(1);
    expect(bundle.entry?.map((e) => [e.resource?.resourceType, e.search?.mode])).toEqual([
      ["MedicationStatement", "match"],
      ["Medication", "include"],
    ]);
  });
});

describe("paging over a real socket", () => {
  let server: Server;
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("follows absolute next links to the end: every match exactly once, in sort order, total on each page", async () => {
    const many = Array.from({ length: 23 }, (_, i) =>
      obs(`ca-${String(i + 10)}`, "2000-8", new Date(Date.UTC(2025, 0, 1 + i)).toISOString()),
    );
    await fhir.loadBundle(tx(many));
    server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as AddressInfo;
    let url: string | undefined = `http://127.0.0.1:${port}/fhir/Observation?patient=p1&code=${LOINC}|2000-8&_sort=-date&_count=10`;
    const seen: string[] = [];
    let pages = 0;
    while (url) {
      const res = await fetch(url);
      const bundle = (await res.json()) as Bundle;
      expect(bundle.total).toBe(23);
      seen.push(...ids(bundle).map(String));
      url = bundle.link?.find((l) => l.relation === "next")?.url;
      if (url) expect(url.startsWith(`http://127.0.0.1:${port}/fhir/Observation?`)).toBe(true);
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(many.map((o) => o.id).reverse());
  });
});

describe("writes and transactions", () => {
  it("creates with POST (201 + Location), updates with PUT, deletes with DELETE (then 404)", async () => {
    const created = await request(app)
      .post("/fhir/ServiceRequest")
      .set(WRITE)
      .set("content-type", "application/fhir+json")
      .send({
        resourceType: "ServiceRequest",
        status: "draft",
        intent: "order",
        subject: { reference: "Patient/p1" },
        code: { text: "Mg" },
      })
      .expect(201);
    const id = (created.body as FhirResource).id ?? "";
    expect(created.headers["location"]).toContain(`/fhir/ServiceRequest/${id}/_history/`);
    await request(app)
      .put(`/fhir/ServiceRequest/${id}`)
      .set(WRITE)
      .send({
        resourceType: "ServiceRequest",
        id,
        status: "active",
        intent: "order",
        subject: { reference: "Patient/p1" },
        code: { text: "Mg" },
      })
      .expect(200);
    expect((await request(app).get(`/fhir/ServiceRequest/${id}`).expect(200)).body.status).toBe("active");
    await request(app).delete(`/fhir/ServiceRequest/${id}`).set(WRITE).expect(200);
    await request(app).get(`/fhir/ServiceRequest/${id}`).expect(404);
  });
  it("accepts a transaction Bundle POSTed to the base and answers a transaction-response", async () => {
    const res = await request(app)
      .post("/fhir")
      .set(WRITE)
      .send(tx([{ resourceType: "Patient", id: "p3" }]))
      .expect(200);
    expect(res.body.type).toBe("transaction-response");
    await request(app).get("/fhir/Patient/p3").expect(200);
  });
  it("reset() empties the store", async () => {
    fhir.reset();
    await request(app).get("/fhir/Patient/p1").expect(404);
  });
});

describe("protocol", () => {
  it("serves an R4 CapabilityStatement at /metadata", async () => {
    const res = await request(app).get("/fhir/metadata").expect(200);
    expect(res.body.resourceType).toBe("CapabilityStatement");
    expect(res.body.fhirVersion).toBe("4.0.1");
  });
  it("rejects a malformed _count with 400 and an OperationOutcome", async () => {
    const res = await request(app).get("/fhir/Observation?_count=abc").expect(400);
    expect(res.body.resourceType).toBe("OperationOutcome");
  });
  it("requires the bearer token when configured", async () => {
    const secured = createFhirServer({ requiredBearerToken: "s3cret" });
    const securedApp = express().use("/fhir", secured.router);
    await request(securedApp).get("/fhir/metadata").expect(401);
    await request(securedApp).get("/fhir/metadata").set("authorization", "Bearer s3cret").expect(200);
  });
});
