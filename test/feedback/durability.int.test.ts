/**
 * Durability of the embedded store, end to end: the real server process (src/server.ts) with a temp
 * SQLite file; a hook issues a card; feedback is posted (sequentially, then concurrently); the process
 * is killed with SIGKILL right after the last 200; a new process on the same file must still have every
 * item and must still suppress the overridden card. Prints the measured figures (count, write latency).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SqliteFeedbackStore } from "../../src/feedback/sqlite-store";
import { spawnServerProcess, type ServerProcess as RunningServer } from "../helpers/server-process";
import { fullPrefetch, patientViewBody } from "../../devkit/hook-requests";
import { fixtureAt, toxicity10000Daily } from "../fixtures/hooks";

jest.setTimeout(90_000);

const SEQUENTIAL = 200;
const CONCURRENT = 100;
const SERVICE = "/cds-services/vitd-patient-view";
// The server process runs the real clock: the fixture is moved to today so it means what it says
// (10,000 IU daily for 15 months, Ca 12.6 mg/dL drawn a week ago → a critical toxicity card).
const fixture = fixtureAt(toxicity10000Daily, new Date());
const hook = patientViewBody({ fhirServer: null, patientId: "pat-2", prefetch: fullPrefetch(fixture.patient, fixture.resources) });

let dir: string;
const servers: RunningServer[] = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "vitd-durability-"));
});
afterAll(() => {
  for (const s of servers) if (s.child.exitCode === null) s.child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

async function start(file: string): Promise<RunningServer> {
  const server = await spawnServerProcess({ CDS_DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: "info" });
  servers.push(server);
  return server;
}

const postJson = (base: string, p: string, body: unknown) =>
  fetch(`${base}${p}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

function item(i: number) {
  const at = new Date(Date.UTC(2026, 5, 1, 12, 0, 0) + i * 1000).toISOString();
  return i % 3 === 0
    ? { card: `card-${i}`, outcome: "accepted", acceptedSuggestions: [{ id: `sugg-${i}` }], outcomeTimestamp: at }
    : {
        card: `card-${i}`,
        outcome: "overridden",
        overrideReason: { reason: { system: "https://x.example/r", code: `r${i % 5}` }, userComment: `comment ${i}` },
        outcomeTimestamp: at,
      };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

it("every acknowledged feedback item and the suppression survive SIGKILL", async () => {
  const file = path.join(dir, "feedback.sqlite");
  const first = await start(file);

  // A card is issued and the clinician overrides it.
  const hookRes = await postJson(first.baseUrl, SERVICE, hook);
  const { cards } = (await hookRes.json()) as {
    cards: { uuid: string; indicator: string; extension?: Record<string, { rule?: string }> }[];
  };
  expect(cards.map((c) => [c.indicator, c.extension?.["vitd-cds-rule"]?.rule])).toEqual([
    ["critical", "toxicity.ca-high-with-high-intake"],
  ]);
  const cardUuid = cards[0]!.uuid;
  expect(
    (
      await postJson(first.baseUrl, `${SERVICE}/feedback`, {
        feedback: [{ card: cardUuid, outcome: "overridden", outcomeTimestamp: new Date().toISOString() }],
      })
    ).status,
  ).toBe(200);

  // N sequential posts, each timed from send to 200 (includes the fsync of the WAL commit).
  const latencies: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const t = process.hrtime.bigint();
    const res = await postJson(first.baseUrl, `${SERVICE}/feedback`, { feedback: [item(i)] });
    latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
    expect(res.status).toBe(200);
  }
  // Then a concurrent burst; kill the process the moment the last 200 arrives.
  const burstStart = process.hrtime.bigint();
  const burst = await Promise.all(
    Array.from({ length: CONCURRENT }, (_, j) =>
      postJson(first.baseUrl, "/cds-services/vitd-order-sign/feedback", { feedback: [item(SEQUENTIAL + j)] }),
    ),
  );
  const burstMs = Number(process.hrtime.bigint() - burstStart) / 1e6;
  expect(burst.map((r) => r.status)).toEqual(Array(CONCURRENT).fill(200));
  first.child.kill("SIGKILL");
  expect(await first.exited).toEqual({ code: null, signal: "SIGKILL" }); // no graceful close
  await expect(fetch(`${first.baseUrl}/healthz`)).rejects.toThrow(); // the process that served is really gone

  // A new process on the same file.
  const second = await start(file);
  const again = (await (await postJson(second.baseUrl, SERVICE, hook)).json()) as { cards: unknown[] };
  expect(again.cards).toEqual([]); // the override (and the issued-card record) survived

  const store = new SqliteFeedbackStore(file); // read while the second server runs (WAL: concurrent reader)
  const stored = await store.listFeedback();
  await store.close();
  expect(stored).toHaveLength(1 + SEQUENTIAL + CONCURRENT);
  const byCard = new Map(stored.map((f) => [f.card, f]));
  for (let i = 0; i < SEQUENTIAL + CONCURRENT; i++) {
    const sent = item(i);
    const got = byCard.get(sent.card);
    expect(got).toMatchObject({
      serviceId: i < SEQUENTIAL ? "vitd-patient-view" : "vitd-order-sign",
      outcome: sent.outcome,
      outcomeTimestamp: new Date(sent.outcomeTimestamp),
      acceptedSuggestions: sent.acceptedSuggestions?.map((s) => s.id) ?? [],
    });
    if (sent.overrideReason)
      expect(got?.overrideReason).toEqual({ ...sent.overrideReason.reason, userComment: sent.overrideReason.userComment });
  }

  second.child.kill("SIGTERM");
  expect(await second.exited).toEqual({ code: 0, signal: null });

  const sorted = [...latencies].sort((a, b) => a - b);

  console.log(
    `durability: ${1 + SEQUENTIAL + CONCURRENT}/${1 + SEQUENTIAL + CONCURRENT} feedback items present after SIGKILL; ` +
      `sequential write latency (HTTP round trip incl. fsync) p50 ${pct(sorted, 50).toFixed(2)} ms, p95 ${pct(sorted, 95).toFixed(2)} ms, ` +
      `max ${pct(sorted, 100).toFixed(2)} ms; ${CONCURRENT} concurrent posts in ${burstMs.toFixed(0)} ms`,
  );
});
