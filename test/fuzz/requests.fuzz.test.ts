/**
 * Property-based fuzzing of the hook and feedback endpoints (≥ 10,000 bodies in all): valid requests
 * mutated by fast-check (dropped/replaced/retyped fields, junk and prototype-pollution keys, huge strings,
 * deep nesting) plus random JSON and non-JSON text, sent over HTTP to one in-process server.
 * Properties: never a 5xx, the process never crashes, every answer is JSON; every error body has
 * `error` and `message`, and every 400 names a `field`; Object.prototype is never polluted.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import fc from "fast-check";
import pino from "pino";
import type { FetchFn } from "../../src/net/outbound";
import { buildTestApp } from "../helpers/test-app";
import { FHIR_BASE, fullPrefetch, orderSelectBody, orderSignBody, patientViewBody, searchset } from "../../devkit/hook-requests";
import { deficientOn50000Weekly, toxicity10000Daily } from "../fixtures/hooks";
import { draftOrderFixture } from "../fixtures/fhir";
import { mutatedBody, randomBody } from "./mutate";

jest.setTimeout(180_000);

const RUNS = { hookMutated: 6_000, hookRandom: 1_000, feedbackMutated: 2_500, feedbackRandom: 500 };
const SERVICES = ["vitd-patient-view", "vitd-order-select", "vitd-order-sign"];

/** A FHIR server that always answers sensibly, so every 5xx seen would be the service's own fault. */
const fakeFhir: FetchFn = (input) => {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  const body = /\/Patient\/[^/?]+$/.test(url)
    ? { ...toxicity10000Daily.patient, id: url.split("/").pop() }
    : /\/Medication\//.test(url)
      ? null
      : searchset([]);
  return Promise.resolve(body ? new Response(JSON.stringify(body), { status: 200 }) : new Response("{}", { status: 404 }));
};

const draft = draftOrderFixture("draft-d3-50000-weekly");
const tox = fullPrefetch(toxicity10000Daily.patient, toxicity10000Daily.resources);
const deficient = fullPrefetch(deficientOn50000Weekly.patient, deficientOn50000Weekly.resources);
const hookBases = [
  patientViewBody({ patientId: "pat-2", prefetch: tox }),
  patientViewBody({ prefetch: deficient }),
  patientViewBody({ fhirServer: FHIR_BASE }), // nothing prefetched: fallback fetch
  orderSignBody({ patientId: "pat-2", prefetch: tox, draftOrders: [draft] }),
  orderSelectBody({ prefetch: deficient, draftOrders: [draft] }),
];
const feedbackBases = [
  {
    feedback: [
      {
        card: "4e0a3a1e-3283-4575-ab82-028d55fe2719",
        outcome: "accepted",
        acceptedSuggestions: [{ id: "e56e1945-20b3-4393-8503-a1a20fd73152" }],
        outcomeTimestamp: "2020-12-11T00:00:00Z",
      },
    ],
  },
  {
    feedback: [
      {
        card: "9368d37b",
        outcome: "overridden",
        overrideReason: { reason: { code: "d7ecf885", system: "https://example.com/r" }, userComment: "c" },
        outcomeTimestamp: "2020-12-11T00:00:00Z",
      },
    ],
  },
  {
    feedback: [
      {
        card: "x",
        outcome: "overridden",
        overrideReason: { code: "legacy", system: "https://example.com/r" },
        outcomeTimestamp: "2020-12-11T00:00:00Z",
      },
      { card: "y", outcome: "overridden", outcomeTimestamp: "2020-12-11T00:00:00+02:00" },
    ],
  },
];

/** The server's error log (a 5xx failure message quotes the stack of the bug behind it). */
let lastError = "";
const errorSink = new Writable({
  write: (chunk: Buffer, _enc, cb) => {
    const line = JSON.parse(chunk.toString()) as { err?: { stack?: string }; msg?: string };
    lastError = (line.err?.stack ?? line.msg ?? "").split("\n").slice(0, 4).join("\n");
    cb();
  },
});

let server: Server;
let base: string;
const tally = { total: 0, byStatus: new Map<number, number>() };

beforeAll(async () => {
  const app = buildTestApp({ fetchImpl: fakeFhir, logger: pino({ level: "error" }, errorSink) });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));

  console.log(`fuzz: ${tally.total} requests; statuses ${JSON.stringify(Object.fromEntries([...tally.byStatus].sort()))}`);
});

async function send(path: string, body: string, contentType = "application/json") {
  const res = await fetch(`${base}${path}`, { method: "POST", headers: { "content-type": contentType }, body });
  const text = await res.text();
  tally.total++;
  tally.byStatus.set(res.status, (tally.byStatus.get(res.status) ?? 0) + 1);
  return { status: res.status, type: res.headers.get("content-type") ?? "", text };
}

/** The properties every answer must have. Returns false (with a reason thrown) when one is broken. */
function check(r: { status: number; type: string; text: string }, okShape: (body: unknown) => boolean): boolean {
  if (r.status >= 500) throw new Error(`${r.status}: ${r.text.slice(0, 300)}\nserver log: ${lastError}`);
  if (!r.type.startsWith("application/json")) throw new Error(`not JSON (${r.type}): ${r.text.slice(0, 200)}`);
  const body = JSON.parse(r.text) as Record<string, unknown>;
  if (r.status === 200) {
    if (!okShape(body)) throw new Error(`unexpected 200 body ${r.text.slice(0, 200)}`);
    return true;
  }
  if (typeof body.error !== "string" || typeof body.message !== "string")
    throw new Error(`error body without error/message: ${r.text.slice(0, 200)}`);
  if (r.status === 400 && typeof body.field !== "string") throw new Error(`400 without field: ${r.text.slice(0, 200)}`);
  return true;
}

const isCards = (b: unknown) => Array.isArray((b as { cards?: unknown }).cards);
const isEmpty = (b: unknown) => JSON.stringify(b) === "{}";
const service = fc.constantFrom(...SERVICES);
const params = (numRuns: number) => ({ numRuns, seed: 20260601, endOnFailure: false });

it(`${RUNS.hookMutated} mutated hook requests`, async () => {
  await fc.assert(
    fc.asyncProperty(service, mutatedBody(hookBases), async (id, body) => check(await send(`/cds-services/${id}`, body), isCards)),
    params(RUNS.hookMutated),
  );
});

it(`${RUNS.hookRandom} random hook bodies, content types and service ids`, async () => {
  const id = fc.oneof(service, fc.string({ minLength: 1, maxLength: 30 }).map(encodeURIComponent));
  const type = fc.constantFrom(
    "application/json",
    "application/fhir+json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "application/json; charset=utf-16",
  );
  await fc.assert(
    fc.asyncProperty(id, randomBody, type, async (i, body, t) => check(await send(`/cds-services/${i}`, body, t), isCards)),
    params(RUNS.hookRandom),
  );
});

it(`${RUNS.feedbackMutated} mutated feedback bodies`, async () => {
  await fc.assert(
    fc.asyncProperty(service, mutatedBody(feedbackBases), async (id, body) =>
      check(await send(`/cds-services/${id}/feedback`, body), isEmpty),
    ),
    params(RUNS.feedbackMutated),
  );
});

it(`${RUNS.feedbackRandom} random feedback bodies`, async () => {
  await fc.assert(
    fc.asyncProperty(service, randomBody, async (id, body) => check(await send(`/cds-services/${id}/feedback`, body), isEmpty)),
    params(RUNS.feedbackRandom),
  );
});

it("afterwards: still serving, ≥ 10,000 bodies sent, Object.prototype untouched", async () => {
  const health = await fetch(`${base}/healthz`);
  expect(health.status).toBe(200);
  expect(tally.total).toBeGreaterThanOrEqual(10_000);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(Object.getOwnPropertyNames(Object.getPrototypeOf({})).sort());
});
