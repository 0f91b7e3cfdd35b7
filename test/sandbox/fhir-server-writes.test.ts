/**
 * The sandbox FHIR server is read-only over HTTP unless a write credential is configured: without
 * one every create, update, delete and transaction is refused; with `writeToken` only requests
 * carrying it write. Searches (GET and POST _search) and loadBundle() stay open.
 */
import express from "express";
import request from "supertest";
import type { Bundle } from "fhir/r4";
import { createFhirServer, type FhirServerOptions } from "../../sandbox/fhir-server";

const patient = (id: string) => ({ resourceType: "Patient", id });
const tx = (id: string): Bundle => ({
  resourceType: "Bundle",
  type: "transaction",
  entry: [{ resource: { resourceType: "Patient", id }, request: { method: "PUT", url: `Patient/${id}` } }],
});

async function setup(options: FhirServerOptions = {}) {
  const fhir = createFhirServer(options);
  await fhir.loadBundle(tx("p1")); // in-process loading is not an HTTP write
  return { fhir, app: express().use("/fhir", fhir.router) };
}

/** Every kind of write, each with the Authorization header `auth` (or none). */
function writes(app: express.Express, auth?: string) {
  const withAuth = (r: request.Test) => (auth === undefined ? r : r.set("Authorization", auth));
  return [
    withAuth(request(app).post("/fhir/Patient").send({ resourceType: "Patient" })),
    withAuth(
      request(app)
        .put("/fhir/Patient/p1")
        .send({ ...patient("p1"), gender: "other" }),
    ),
    withAuth(request(app).put("/fhir/Patient/p9").send(patient("p9"))),
    withAuth(request(app).delete("/fhir/Patient/p1")),
    withAuth(
      request(app)
        .patch("/fhir/Patient/p1")
        .set("content-type", "application/json")
        .send([{ op: "add", path: "/gender", value: "other" }]),
    ),
    withAuth(request(app).post("/fhir").send(tx("p8"))),
  ];
}

describe("sandbox FHIR server writes", () => {
  it("is read-only over HTTP by default: every write is refused and nothing changes", async () => {
    const { app, fhir } = await setup();
    for (const res of await Promise.all(writes(app))) {
      expect(res.status).toBe(403);
      expect(res.body.resourceType).toBe("OperationOutcome");
    }
    expect((await fhir.repo.searchResources({ resourceType: "Patient" })).map((p) => [p.id, (p as { gender?: string }).gender])).toEqual([
      ["p1", undefined],
    ]);
  });

  it("still answers reads and searches (GET and POST _search) without any credential", async () => {
    const { app } = await setup({ writeToken: "w-token" });
    await request(app).get("/fhir/Patient/p1").expect(200);
    expect((await request(app).get("/fhir/Patient?_id=p1").expect(200)).body.total).toBe(1);
    expect((await request(app).post("/fhir/Patient/_search").type("form").send({ _id: "p1" }).expect(200)).body.total).toBe(1);
  });

  it("with writeToken: refuses writes without it or with another token (401), accepts them with it", async () => {
    const { app } = await setup({ writeToken: "w-token" });
    for (const auth of [undefined, "Bearer nope", "Bearer w-token2", "w-token", "Basic w-token"]) {
      for (const res of await Promise.all(writes(app, auth))) expect(res.status).toBe(401);
    }
    await request(app).put("/fhir/Patient/p9").set("Authorization", "Bearer w-token").send(patient("p9")).expect(200); // medplum answers an upsert with 200
    await request(app).post("/fhir").set("Authorization", "Bearer w-token").send(tx("p8")).expect(200);
    await request(app).get("/fhir/Patient/p8").expect(200);
  });

  it("with requiredBearerToken (every request needs it), that token also writes", async () => {
    const { app } = await setup({ requiredBearerToken: "all" });
    await request(app).put("/fhir/Patient/p9").send(patient("p9")).expect(401);
    await request(app).put("/fhir/Patient/p9").set("Authorization", "Bearer all").send(patient("p9")).expect(200); // medplum answers an upsert with 200
  });
});
