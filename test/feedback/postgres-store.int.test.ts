/**
 * PostgreSQL store against a real server: TEST_POSTGRES_URL (.ci/run starts one on 127.0.0.1:54329).
 * In CI (CI set) a missing URL or an unreachable server FAILS the suite; locally without the URL it is
 * skipped with a warning. Each test works in its own schema, dropped at the end.
 */
import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { PostgresFeedbackStore } from "../../src/feedback/postgres-store";
import { migrations } from "../../src/feedback/migrations";
import { LEGACY, LEGACY_SQL, placeholders } from "./legacy-rows";
import { issued, record, storeContract, TENANT } from "./store-contract";

const url = process.env.TEST_POSTGRES_URL;
const inCi = Boolean(process.env.CI) && process.env.CI !== "0" && process.env.CI !== "false";
const run = `vitd_test_${randomBytes(4).toString("hex")}`;
let n = 0;
const freshSchema = () => `${run}_${n++}`;

if (!url && !inCi) {
  console.warn("TEST_POSTGRES_URL is not set: PostgreSQL store tests skipped (they run, and must pass, in CI)");
}

(url || inCi ? describe : describe.skip)("PostgresFeedbackStore", () => {
  beforeAll(async () => {
    if (!url) throw new Error("CI is set but TEST_POSTGRES_URL is not: the PostgreSQL store cannot be tested");
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    await client.connect().catch((e: Error) => {
      throw new Error(`PostgreSQL at ${url} is unreachable (${e.message}); .ci/run starts it`);
    });
    await client.end();
  });

  afterAll(async () => {
    if (!url) return;
    const client = new Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ nspname: string }>("SELECT nspname FROM pg_namespace WHERE nspname LIKE $1", [`${run}_%`]);
    for (const { nspname } of rows) await client.query(`DROP SCHEMA ${nspname} CASCADE`);
    await client.end();
  });

  storeContract(() => PostgresFeedbackStore.open(url as string, { schema: freshSchema() }));

  it("migrating a version-1 schema keeps its rows readable; suppressions stored before tenancy hide nothing", async () => {
    const schema = freshSchema();
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA ${schema}; SET search_path = ${schema}`);
      await client.query(migrations[0]!.postgres);
      await client.query(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now()); INSERT INTO schema_migrations (version) VALUES (1)",
      );
      await client.query(`${LEGACY_SQL.feedback}${placeholders(LEGACY.feedback.length, true)}`, [...LEGACY.feedback]);
      await client.query(`${LEGACY_SQL.issued}${placeholders(LEGACY.issued.length, true)}`, [...LEGACY.issued]);
      await client.query(`${LEGACY_SQL.suppression}${placeholders(LEGACY.suppression.length, true)}`, [...LEGACY.suppression]);
    } finally {
      await client.end();
    }
    const store = await PostgresFeedbackStore.open(url as string, { schema });
    try {
      expect((await store.listFeedback()).map((f) => [f.card, f.client])).toEqual([["old-card", "https://ehr.example.org/"]]);
      expect((await store.issuedCard("old-card"))?.tenant).toEqual({ issuer: "open", origin: null });
      const since = new Date("2026-01-01T00:00:00Z");
      for (const tenant of [
        { issuer: "open", origin: "" },
        { issuer: "open", origin: "https://ehr.example.org" },
      ]) {
        expect(await store.suppressionsFor(tenant, "pat-1", since)).toEqual([]);
      }
    } finally {
      await store.close();
    }
  });

  it("shared replay guard: a jti seen through one pool is a replay through another; an expired entry may be reused; purge drops expired ids", async () => {
    const schema = freshSchema();
    const [a, b] = await Promise.all([
      PostgresFeedbackStore.open(url as string, { schema }),
      PostgresFeedbackStore.open(url as string, { schema }),
    ]);
    try {
      const now = Date.parse("2026-06-01T12:00:00Z");
      expect(await a.replay.seen("iss-1", "jti-1", now + 60_000, now)).toBe(false);
      expect(await b.replay.seen("iss-1", "jti-1", now + 60_000, now)).toBe(true);
      expect(await b.replay.seen("iss-2", "jti-1", now + 60_000, now)).toBe(false); // per issuer
      expect(await b.replay.seen("iss-1", "jti-1", now + 200_000, now + 120_000)).toBe(false); // expired: taken over
      const removed = await a.purge(new Date(0), new Date(now + 150_000));
      expect(removed.replay).toBe(1); // iss-2's entry expired at now + 60 s
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("replicas starting together migrate once; feedback via one replica suppresses a card issued by the other", async () => {
    const schema = freshSchema();
    const [a, b] = await Promise.all([
      PostgresFeedbackStore.open(url as string, { schema }),
      PostgresFeedbackStore.open(url as string, { schema }),
    ]);
    try {
      await a.recordIssuedCards([issued()]);
      await expect(b.saveFeedback([record()])).resolves.toEqual({ stored: 1, matchedIssuedCards: 1 });
      expect((await a.suppressionsFor(TENANT, "pat-1", new Date("2026-01-01T00:00:00Z"))).map((s) => s.cardUuid)).toEqual(["card-1"]);

      const client = new Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${schema}.schema_migrations`);
      await client.end();
      expect(rows.map((r) => r.version)).toEqual([1, 2, 3]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("data survives closing every connection and reopening", async () => {
    const schema = freshSchema();
    const first = await PostgresFeedbackStore.open(url as string, { schema });
    await first.saveFeedback([
      record({ card: "durable-1" }),
      record({ card: "durable-2", outcome: "accepted", acceptedSuggestions: ["s"] }),
    ]);
    await first.close();
    const second = await PostgresFeedbackStore.open(url as string, { schema });
    expect((await second.listFeedback()).map((f) => f.card)).toEqual(["durable-1", "durable-2"]);
    await second.close();
  });

  it("an unreachable server fails open() with an error (no hang)", async () => {
    await expect(PostgresFeedbackStore.open("postgres://postgres@127.0.0.1:1/postgres")).rejects.toThrow();
  });
});
