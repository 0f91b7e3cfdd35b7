/**
 * Every demo patient through the real HTTP pipeline (createApp) against the sandbox FHIR server on
 * 127.0.0.1 gives exactly the cards of sandbox/expected.json — once via fallback fetch (no prefetch)
 * and once via prefetch computed from the discovery templates (with no fhirServer, so nothing else
 * could have supplied the data).
 */
import express from "express";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import request from "supertest";
import { buildTestApp } from "../helpers/test-app";
import { createFhirServer } from "../../sandbox/fhir-server";
import { loadAllPatientBundles, loadDraftOrders, readDemoPatients } from "../../sandbox/load-patients";
import { computePrefetch, hookRequest, indicatorsByTopic, SERVICE_ID } from "./hook-client";

const NOW = new Date("2026-06-01T12:00:00Z");
const patients = readDemoPatients();
let server: Server;
let fhirBase: string;
let templates: Record<string, Record<string, string>>;

beforeAll(async () => {
  const fhir = createFhirServer();
  for (const bundle of loadAllPatientBundles(NOW)) await fhir.loadBundle(bundle);
  const fhirRouter = express.Router().use("/fhir", fhir.router);
  const app = buildTestApp({ clock: () => NOW, extraRouters: [fhirRouter] });
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  fhirBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
  const discovery = await request(server).get("/cds-services").expect(200);
  templates = Object.fromEntries(
    (discovery.body.services as { id: string; prefetch: Record<string, string> }[]).map((s) => [s.id, s.prefetch]),
  );
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe.each(patients.map((p) => [p.id, p.name, p] as const))("%s %s", (_id, _name, patient) => {
  const drafts = loadDraftOrders(patient.id, NOW);
  const serviceId = SERVICE_ID[patient.hook];

  it(`${patient.hook} via fallback fetch → ${JSON.stringify(patient.expected)}`, async () => {
    const res = await request(server)
      .post(`/cds-services/${serviceId}`)
      .send(hookRequest(patient, drafts, fhirBase));
    expect(res.status).toBe(200);
    expect(indicatorsByTopic(res.body.cards)).toEqual(patient.expected);
  });

  it(`${patient.hook} via prefetch from the discovery templates → ${JSON.stringify(patient.expected)}`, async () => {
    const body = hookRequest(patient, drafts);
    body.prefetch = await computePrefetch(templates[serviceId] ?? {}, body.context, fhirBase);
    const res = await request(server).post(`/cds-services/${serviceId}`).send(body);
    expect(res.status).toBe(200);
    expect(indicatorsByTopic(res.body.cards)).toEqual(patient.expected);
  });
});
