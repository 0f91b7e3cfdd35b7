/**
 * Two real service processes (src/server.ts) on one PostgreSQL, as a hospital operator runs them:
 * cross-replica suppression and replay protection, a feedback burst against a tiny pool (only 200 or 503,
 * every 200 stored), the database going away and coming back (/readyz 503 then 200, /healthz always 200),
 * and SIGTERM with hooks in flight (all complete, exit 0). PostgreSQL comes from TEST_POSTGRES_URL (CI
 * starts it); the outage is a TCP proxy between the replicas and the database being cut and restored.
 */
import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { Client } from "pg";
import { jwks, makeKey, sign, type TestKey } from "../auth/jwt-fixtures";
import { fixtureAt, toxicity10000Daily } from "../fixtures/hooks";
import { fullPrefetch } from "../../devkit/hook-requests";
import { spawnServerProcess, type ServerProcess } from "../helpers/server-process";

const url = process.env.TEST_POSTGRES_URL;
const inCi = Boolean(process.env.CI) && process.env.CI !== "0" && process.env.CI !== "false";
const PUBLIC = "https://cds.example.org";
const ISS = "https://ehr.example.org/";
const PATIENT = "pat-2";

/** A TCP proxy to PostgreSQL that can be cut (every socket destroyed, listener closed) and restored on the same port. */
async function dbProxy(target: URL) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const start = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(target.port || 5432), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on("close", () => sockets.delete(s));
          s.on("error", () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, "127.0.0.1", () => {
        port = (server!.address() as AddressInfo).port;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server?.close(() => resolve());
    });
  await start();
  return { port: () => port, start, stop };
}

(url || inCi ? describe : describe.skip)("two replicas on one PostgreSQL", () => {
  let key: TestKey;
  let jwksServer: http.Server;
  let proxy: Awaited<ReturnType<typeof dbProxy>>;
  let a: ServerProcess;
  let b: ServerProcess;
  const database = `vitd_replicas_${randomBytes(4).toString("hex")}`;
  /** The slow FHIR server of the SIGTERM test: answers are held until `release()`. */
  const held: Array<() => void> = [];
  let fhirHits = 0;
  let fhirServer: http.Server;

  const admin = async <T>(work: (c: Client) => Promise<T>, db?: string): Promise<T> => {
    const target = new URL(url!);
    if (db) target.pathname = `/${db}`;
    const c = new Client({ connectionString: target.href });
    await c.connect();
    try {
      return await work(c);
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    if (!url) throw new Error("CI is set but TEST_POSTGRES_URL is not: the replicas cannot be tested");
    key = await makeKey("ES384");
    jwksServer = http.createServer((_req, res) =>
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(jwks(key))),
    );
    await new Promise<void>((r) => jwksServer.listen(0, "127.0.0.1", r));
    fhirServer = http.createServer((req, res) => {
      fhirHits++;
      const answer = () => {
        const body = (req.url ?? "").includes("/Patient/")
          ? toxicity10000Daily.patient
          : { resourceType: "Bundle", type: "searchset", entry: [] };
        res.writeHead(200, { "content-type": "application/fhir+json" }).end(JSON.stringify(body));
      };
      held.push(answer);
    });
    await new Promise<void>((r) => fhirServer.listen(0, "127.0.0.1", r));
    await admin((c) => c.query(`CREATE DATABASE ${database}`));
    proxy = await dbProxy(new URL(url));
    const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`;
    const db = new URL(url);
    db.port = String(proxy.port());
    db.hostname = "127.0.0.1";
    db.pathname = `/${database}`;
    const env = {
      CDS_DATABASE_URL: db.href,
      CDS_TRUSTED_ISSUERS: JSON.stringify({ [ISS]: jwksUrl }),
      CDS_PUBLIC_URL: PUBLIC,
      CDS_DB_POOL_MAX: "2",
      CDS_DB_POOL_TIMEOUT_MS: "50",
      CDS_SHUTDOWN_DRAIN_MS: "200",
      CDS_SHUTDOWN_GRACE_MS: "20000",
      CDS_REQUEST_TIMEOUT_MS: "30000",
      FHIR_TIMEOUT_MS: "20000",
      LOG_LEVEL: "info", // the helper waits for the "listening" line
    };
    [a, b] = await Promise.all([spawnServerProcess(env, 60_000), spawnServerProcess(env, 60_000)]);
  }, 120_000);

  afterAll(async () => {
    for (const p of [a, b]) if (p && p.child.exitCode === null) p.child.kill("SIGKILL");
    await Promise.all([a?.exited, b?.exited]);
    held.splice(0).forEach((f) => f());
    await new Promise((r) => fhirServer?.close(r));
    await new Promise((r) => jwksServer?.close(r));
    await proxy?.stop();
    if (url) await admin((c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  }, 60_000);

  const token = (path: string, jti = randomUUID()) => sign(key, new Date(), { iss: ISS, aud: `${PUBLIC}${path}`, jku: null, jti });
  const SERVICE = "/cds-services/vitd-patient-view";
  const post = async (p: ServerProcess, path: string, body: unknown, bearer?: string) =>
    fetch(`${p.baseUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${bearer ?? (await token(path))}` },
      body: JSON.stringify(body),
    });
  // The replicas run the real clock: the fixture moved to today keeps its meaning (a critical toxicity card).
  const today = fixtureAt(toxicity10000Daily, new Date());
  const hookBody = (extra: Record<string, unknown> = {}) => ({
    hook: "patient-view",
    hookInstance: randomUUID(),
    context: { userId: "Practitioner/example", patientId: PATIENT },
    prefetch: fullPrefetch(today.patient, today.resources),
    ...extra,
  });
  const feedback = (card: string) => ({ feedback: [{ card, outcome: "overridden", outcomeTimestamp: new Date().toISOString() }] });

  it("feedback through B hides A's card on A (suppression is shared)", async () => {
    const first = await post(a, SERVICE, hookBody());
    expect(first.status).toBe(200);
    const { cards } = (await first.json()) as { cards: Array<{ uuid: string; indicator: string }> };
    expect(cards.map((c) => c.indicator)).toEqual(["critical"]);
    for (const c of cards) expect((await post(b, `${SERVICE}/feedback`, feedback(c.uuid))).status).toBe(200);
    const again = await post(a, SERVICE, hookBody());
    expect(((await again.json()) as { cards: unknown[] }).cards).toEqual([]);
  });

  it("a token accepted by A is a replay on B (401)", async () => {
    const bearer = await token(SERVICE);
    expect((await post(a, SERVICE, hookBody(), bearer)).status).toBe(200);
    const replay = await post(b, SERVICE, hookBody(), bearer);
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { message: string }).message).toMatch(/replay/);
  });

  it("200 concurrent feedback posts across both replicas, pool of 2: only 200 or 503 (+ Retry-After), every 200 stored", async () => {
    const cards = Array.from({ length: 200 }, (_, i) => `burst-${database}-${i}`);
    const results = await Promise.all(
      cards.map(async (card, i) => ({ card, res: await post(i % 2 ? a : b, `${SERVICE}/feedback`, feedback(card)) })),
    );
    const statuses = new Set(results.map((r) => r.res.status));
    expect([...statuses].every((s) => s === 200 || s === 503)).toBe(true);
    for (const r of results) if (r.res.status === 503) expect(r.res.headers.get("retry-after")).toMatch(/^\d+$/);
    const acknowledged = results.filter((r) => r.res.status === 200).map((r) => r.card);
    const stored = await admin(
      async (c) =>
        (await c.query<{ card_uuid: string }>("SELECT card_uuid FROM feedback WHERE card_uuid LIKE $1", [`burst-${database}-%`])).rows.map(
          (r) => r.card_uuid,
        ),
      database,
    );
    const storedSet = new Set(stored);
    expect(acknowledged.filter((card) => !storedSet.has(card))).toEqual([]); // nothing acknowledged is lost
    expect(acknowledged.length).toBeGreaterThan(0);
  }, 60_000);

  it("database cut: /readyz 503 and feedback 503 while /healthz stays 200; restored: /readyz 200 again", async () => {
    await proxy.stop();
    for (const p of [a, b]) {
      expect((await fetch(`${p.baseUrl}/healthz`)).status).toBe(200);
      const ready = await fetch(`${p.baseUrl}/readyz`);
      expect(ready.status).toBe(503);
      expect(ready.headers.get("retry-after")).toMatch(/^\d+$/);
    }
    const down = await post(a, `${SERVICE}/feedback`, feedback(`outage-${database}`));
    expect(down.status).toBe(503);
    await proxy.start();
    for (const p of [a, b]) {
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) status = (await fetch(`${p.baseUrl}/readyz`)).status;
      expect(status).toBe(200);
      expect((await fetch(`${p.baseUrl}/healthz`)).status).toBe(200);
    }
  }, 60_000);

  it("SIGTERM with three hooks in flight behind a slow FHIR server: readiness 503 at once, all three complete, exit 0", async () => {
    const fhir = `http://127.0.0.1:${(fhirServer.address() as AddressInfo).port}/fhir`;
    const before = fhirHits;
    const inFlight = [0, 1, 2].map(() => post(a, SERVICE, hookBody({ prefetch: undefined, fhirServer: fhir })));
    // Wait (on events, not time) until all three hooks have reached the FHIR server.
    while (fhirHits - before < 3 * 9) await new Promise((r) => setImmediate(r));
    a.child.kill("SIGTERM");
    let ready = 200;
    for (let i = 0; i < 50 && ready !== 503; i++) ready = (await fetch(`${a.baseUrl}/readyz`)).status;
    expect(ready).toBe(503);
    held.splice(0).forEach((f) => f());
    const responses = await Promise.all(inFlight);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await a.exited).toEqual({ code: 0, signal: null });
  }, 60_000);
});
