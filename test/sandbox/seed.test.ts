/**
 * sandbox/seed.ts against the in-process FHIR server listening on 127.0.0.1: loads every demo
 * patient with a transaction per patient, waits out a server that is not up yet, and fails loudly.
 */
import express from "express";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { createFhirServer, type FhirServer } from "../../sandbox/fhir-server";
import { listPatientIds } from "../../sandbox/load-patients";
import { parseSeedArgs, seed, SeedError } from "../../sandbox/seed";

let fhir: FhirServer;
let server: Server;
let base: string;
const posts: string[] = [];

beforeEach(async () => {
  fhir = createFhirServer({ requiredBearerToken: "t0ken" });
  const app = express();
  app.use((req, _res, next) => {
    if (req.method === "POST") posts.push(req.path);
    next();
  });
  app.use("/fhir", fhir.router);
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
  posts.length = 0;
});
afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

it("POSTs one transaction per demo patient to the base; every patient is then readable", async () => {
  const { loaded } = await seed({ fhirBase: `${base}/`, token: "t0ken", now: new Date("2026-06-01T12:00:00Z"), attempts: 1 });
  const ids = listPatientIds();
  expect(loaded).toEqual(ids);
  expect(posts).toEqual(ids.map(() => "/fhir"));
  for (const id of ids) {
    const res = await fetch(`${base}/Patient/${id}`, { headers: { authorization: "Bearer t0ken" } });
    expect(res.status).toBe(200);
  }
});

it("retries while the server refuses connections or answers 503, then loads", async () => {
  let calls = 0;
  const flaky: typeof fetch = async (input, init) => {
    calls += 1;
    if (calls === 1) throw new TypeError("fetch failed (ECONNREFUSED)");
    if (calls === 2) return new Response("starting", { status: 503 });
    return fetch(input, init);
  };
  const { loaded } = await seed({ fhirBase: base, token: "t0ken", fetchImpl: flaky, attempts: 3, retryDelayMs: 0 });
  expect(loaded.length).toBe(listPatientIds().length);
});

it("gives up after the configured tries with a SeedError naming the URL", async () => {
  const down: typeof fetch = () => Promise.reject(new TypeError("fetch failed (ECONNREFUSED)"));
  await expect(seed({ fhirBase: base, fetchImpl: down, attempts: 2, retryDelayMs: 0 })).rejects.toThrow(
    new SeedError(`${base}/metadata: giving up after 2 tries (fetch failed (ECONNREFUSED))`),
  );
});

it("fails on a 4xx answer (wrong token) without retrying", async () => {
  await expect(seed({ fhirBase: base, token: "wrong", attempts: 5, retryDelayMs: 0 })).rejects.toThrow(/metadata answered HTTP 401/);
});

describe("parseSeedArgs", () => {
  it("accepts --fhir with options", () => {
    expect(parseSeedArgs(["--fhir", "http://fhir:8080/fhir", "--now", "2026-06-01T12:00:00Z", "--attempts", "3"])).toMatchObject({
      fhirBase: "http://fhir:8080/fhir",
      now: new Date("2026-06-01T12:00:00Z"),
      attempts: 3,
    });
  });
  it.each([
    [[]],
    [["--fhir"]],
    [["--fhir", "fhir:8080"]],
    [["--fhir", "http://x/fhir", "--bogus", "1"]],
    [["--fhir", "http://x/fhir", "--now", "yesterday"]],
  ])("rejects %j", (argv) => {
    expect(parseSeedArgs(argv)).toHaveProperty("error");
  });
});
