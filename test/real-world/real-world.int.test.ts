/**
 * The real-world-shaped corpus (test/fixtures/real-world/): every record goes through the real HTTP
 * pipeline twice — all prefetched, as an EHR sends it, and nothing prefetched (the fallback fetch against
 * a FHIR server on loopback serving the same record) — and through the normalizer for its facts. The
 * expected facts and cards were derived by hand (see each file's `expect`).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { MedicationRequest } from "fhir/r4";
import request from "supertest";
import { prefetchTemplates } from "../../src/fhir/queries";
import { groupResources } from "../../src/fhir/group-resources";
import { normalizeFacts } from "../../src/fhir/normalize";
import { ResourceReader } from "../../src/fhir/read-resources";
import { buildTestApp } from "../helpers/test-app";
import { prefetchFor, serveRecord } from "./record-server";

type Json = Record<string, any>;
interface ExpectedCard {
  pattern: string;
  indicator: string;
  summary: string[];
  detail: string[];
}
interface Case {
  name: string;
  now: string;
  record: { entry: Array<{ resource: Json }> };
  draftOrders?: Json[];
  fhirMaxPages?: number;
  expect: {
    facts: {
      labs: [string, string, number][];
      notUsed: string[];
      ignored: string[];
      vitaminD: [string, number | null, string | null][];
      conditions: string[];
    };
    cards: ExpectedCard[];
  };
}

const DIR = join(__dirname, "../fixtures/real-world");
const cases: Array<[string, Case]> = readdirSync(DIR)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => [f.replace(/\.json$/, ""), JSON.parse(readFileSync(join(DIR, f), "utf8")) as Case]);

const resourcesOf = (c: Case): Json[] => c.record.entry.map((e) => e.resource);
const patientOf = (c: Case) => resourcesOf(c).find((r) => r.resourceType === "Patient")!.id as string;
/** Card detail as read by a clinician: markdown backslash escapes removed. */
const plain = (md: string) => md.replace(/\\([!-/:-@[-`{-~])/g, "$1");

function body(c: Case, extra: Json) {
  const context: Json = { userId: "Practitioner/example", patientId: patientOf(c) };
  const hook = c.draftOrders ? "order-sign" : "patient-view";
  if (c.draftOrders)
    context.draftOrders = { resourceType: "Bundle", type: "collection", entry: c.draftOrders.map((resource) => ({ resource })) };
  return { path: `/cds-services/vitd-${hook}`, body: { hook, hookInstance: "7c1e2b9a-3f4d-4e5a-9b6c-1d2e3f4a5b6c", context, ...extra } };
}

interface CardOut {
  summary: string;
  detail: string;
  indicator: string;
  source: { topic: { code: string } };
}

function expectCards(cards: CardOut[], expected: ExpectedCard[]) {
  expect(cards.map((c): [string, string] => [c.source.topic.code, c.indicator])).toEqual(expected.map((e) => [e.pattern, e.indicator]));
  expected.forEach((e, i) => {
    for (const s of e.summary) expect(cards[i]!.summary).toContain(s);
    for (const s of e.detail) expect(plain(cards[i]!.detail)).toContain(s);
  });
}

describe.each(cases)("%s", (_file, c) => {
  const now = new Date(c.now);

  it("facts: the normalizer reads what it can and lists what it cannot", () => {
    // (normalizeFacts takes no clock: the facts do not depend on `now`.)
    const reader = new ResourceReader();
    const resources = reader.readAll(resourcesOf(c));
    const drafts = reader.readAll(c.draftOrders ?? []) as MedicationRequest[];
    const facts = normalizeFacts({
      ...groupResources(resources, { patientId: patientOf(c), draftOrders: drafts }),
      notUsed: reader.notUsed,
    });
    const f = c.expect.facts;
    expect(facts.labs.map((l) => [l.kind, l.id, l.value])).toEqual(expect.arrayContaining(f.labs));
    expect(facts.labs).toHaveLength(f.labs.length);
    expect(facts.notUsed.map((n) => n.ref).sort()).toEqual([...f.notUsed].sort());
    expect(facts.ignoredObservations.map((o) => o.id).sort()).toEqual([...f.ignored].sort());
    const round = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
    expect(facts.vitaminD.map((p) => [p.id, round(p.dailyIU), p.start ?? null])).toEqual(
      f.vitaminD.map(([id, iu, start]) => [id, round(iu), start]),
    );
    expect(facts.conditions.map((x) => x.kind).sort()).toEqual([...f.conditions].sort());
  });

  it("cards via prefetch (what the EHR sends)", async () => {
    const app = buildTestApp({ clock: () => now });
    const { path, body: b } = body(c, { prefetch: prefetchFor(resourcesOf(c), prefetchTemplates, patientOf(c)) });
    const res = await request(app).post(path).send(b);
    expect(res.status).toBe(200);
    expectCards(res.body.cards as CardOut[], c.expect.cards);
  });

  it("cards via the fallback fetch (nothing prefetched)", async () => {
    const server = await serveRecord(resourcesOf(c));
    try {
      const app = buildTestApp({
        clock: () => now,
        config: { fhirAllowlist: [new URL(server.base).origin], ...(c.fhirMaxPages ? { fhirMaxPages: c.fhirMaxPages } : {}) },
      });
      const { path, body: b } = body(c, { fhirServer: server.base });
      const res = await request(app).post(path).send(b);
      expect(res.status).toBe(200);
      expectCards(res.body.cards as CardOut[], c.expect.cards);
      // Every query value went out percent-encoded (no raw "://" or "|" in a query string).
      for (const url of server.urls) expect(url.split("?")[1] ?? "").not.toMatch(/:\/\/|\|/);
    } finally {
      await server.close();
    }
  });
});
