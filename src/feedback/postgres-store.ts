/**
 * PostgreSQL feedback store (`pg` pool) for several replicas sharing one database. Each write is one
 * transaction, committed before the promise resolves. Migrations run under an advisory transaction lock,
 * so replicas starting together apply each version once. `schema` (tests) isolates a run in its own schema.
 */
import { Pool, type PoolClient } from "pg";
import type { ReplayGuard } from "../auth/replay-cache";
import { guardStore } from "./unavailable";
import { migrations } from "./migrations";
import { fromRow, type FeedbackRow, type IssuedRow, issuedFromRow, type SuppressionRow, suppressionFromRow } from "./rows";
import type { Tenant } from "../cds/tenant";
import {
  feedbackIssuer,
  suppressionStart,
  type FeedbackRecord,
  type FeedbackStore,
  type IssuedCard,
  type PurgeResult,
  type StoredFeedback,
  type Suppression,
} from "./store";

const MIGRATION_LOCK = 0x76697464; // "vitd"

export class PostgresFeedbackStore implements FeedbackStore {
  readonly kind = "postgres";

  private constructor(private readonly pool: Pool) {}

  /** Connects, creates `schema` if given, and applies pending migrations. */
  static async open(
    connectionString: string,
    options: { schema?: string; max?: number; connectionTimeoutMs?: number } = {},
  ): Promise<PostgresFeedbackStore> {
    const schema = options.schema;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
    const pool = new Pool({
      connectionString,
      max: options.max ?? 10,
      // Waiting longer than this for a pooled connection (database down, pool exhausted) → 503 (unavailable.ts).
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    pool.on("error", () => undefined); // idle-client errors surface on the next query instead of crashing the process
    const store = new PostgresFeedbackStore(pool);
    try {
      await store.migrate(schema);
    } catch (e) {
      await pool.end();
      throw e;
    }
    return store;
  }

  private async migrate(schema: string | undefined): Promise<void> {
    await this.tx(async (c) => {
      await c.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
      if (schema) await c.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await c.query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
      );
      const { rows } = await c.query<{ v: number | null }>("SELECT max(version) AS v FROM schema_migrations");
      const current = rows[0]?.v ?? 0;
      for (const m of migrations.filter((x) => x.version > current)) {
        await c.query(m.postgres);
        await c.query("INSERT INTO schema_migrations (version) VALUES ($1)", [m.version]);
      }
    });
  }

  private async tx<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (e) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  async recordIssuedCards(cards: readonly IssuedCard[]): Promise<void> {
    if (cards.length === 0) return;
    await this.tx(async (c) => {
      for (const card of cards) {
        await c.query(
          `INSERT INTO issued_cards (card_uuid, hook, patient_id, pattern, indicator, fingerprint, first_issued_at, last_issued_at, tenant_issuer, tenant_origin)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9)
           ON CONFLICT (card_uuid) DO UPDATE SET indicator = excluded.indicator, last_issued_at = excluded.last_issued_at,
             issue_count = issued_cards.issue_count + 1`,
          [
            card.uuid,
            card.hook,
            card.patientId,
            card.pattern,
            card.indicator,
            card.fingerprint,
            card.issuedAt,
            card.tenant.issuer,
            card.tenant.origin,
          ],
        );
      }
    });
  }

  saveFeedback(records: readonly FeedbackRecord[]): Promise<{ stored: number; matchedIssuedCards: number }> {
    return this.tx(async (c) => {
      let matched = 0;
      for (const r of records) {
        const o = r.overrideReason;
        const { rows } = await c.query<{ id: string }>(
          `INSERT INTO feedback (service_id, card_uuid, outcome, accepted_suggestions, override_system, override_code,
             override_display, user_comment, outcome_at, received_at, client)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
          [
            r.serviceId,
            r.card,
            r.outcome,
            JSON.stringify(r.acceptedSuggestions),
            o?.system ?? null,
            o?.code ?? null,
            o?.display ?? null,
            o?.userComment ?? null,
            r.outcomeTimestamp,
            r.receivedAt,
            r.client ?? null,
          ],
        );
        const issued = await c.query<IssuedRow>("SELECT * FROM issued_cards WHERE card_uuid = $1 AND tenant_issuer = $2", [
          r.card,
          feedbackIssuer(r),
        ]);
        const card = issued.rows[0];
        if (!card) continue;
        matched++;
        await c.query(
          `INSERT INTO suppressions (patient_id, pattern, fingerprint, indicator, outcome, card_uuid, since, feedback_id, tenant_issuer, tenant_origin)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [
            card.patient_id,
            card.pattern,
            card.fingerprint,
            card.indicator,
            r.outcome,
            r.card,
            suppressionStart(r),
            rows[0]?.id,
            card.tenant_issuer,
            card.tenant_origin,
          ],
        );
      }
      return { stored: records.length, matchedIssuedCards: matched };
    });
  }

  async suppressionsFor(tenant: Tenant, patientId: string, since: Date): Promise<Suppression[]> {
    const { rows } = await this.pool.query<SuppressionRow>(
      "SELECT * FROM suppressions WHERE tenant_issuer = $1 AND tenant_origin = $2 AND patient_id = $3 AND since >= $4 ORDER BY id",
      [tenant.issuer, tenant.origin, patientId, since],
    );
    return rows.map(suppressionFromRow);
  }

  async listFeedback(filter: { serviceId?: string; card?: string } = {}): Promise<StoredFeedback[]> {
    const { rows } = await this.pool.query<FeedbackRow>(
      "SELECT * FROM feedback WHERE ($1::text IS NULL OR service_id = $1) AND ($2::text IS NULL OR card_uuid = $2) ORDER BY id",
      [filter.serviceId ?? null, filter.card ?? null],
    );
    return rows.map(fromRow);
  }

  /** JWT ids accepted by any replica (unique (iss, jti)); an expired row may be taken over. */
  readonly replay: ReplayGuard = {
    // A database that is down or saturated cannot tell a replay: 503 (guardStore), never "accepted".
    seen: (iss, jti, expiresAtMs, nowMs) =>
      guardStore(async () => {
        const { rowCount } = await this.pool.query(
          `INSERT INTO jwt_replay (iss, jti, expires_at) VALUES ($1, $2, $3)
           ON CONFLICT (iss, jti) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE jwt_replay.expires_at <= $4`,
          [iss, jti, new Date(expiresAtMs), new Date(nowMs)],
        );
        return rowCount === 0;
      }),
  };

  async ping(): Promise<void> {
    await this.pool.query("SELECT 1");
  }

  purge(before: Date, now: Date): Promise<PurgeResult> {
    return this.tx(async (c) => {
      const n = async (sql: string, params: unknown[]) => (await c.query(sql, params)).rowCount ?? 0;
      const suppressions = await n(
        "DELETE FROM suppressions WHERE since < $1 OR feedback_id IN (SELECT id FROM feedback WHERE received_at < $1)",
        [before],
      );
      const feedback = await n("DELETE FROM feedback WHERE received_at < $1", [before]);
      const issuedCards = await n("DELETE FROM issued_cards WHERE last_issued_at < $1", [before]);
      const replay = await n("DELETE FROM jwt_replay WHERE expires_at < $1", [now]);
      return { feedback, issuedCards, suppressions, replay };
    });
  }

  async issuedCard(uuid: string): Promise<IssuedCard | undefined> {
    const { rows } = await this.pool.query<IssuedRow>("SELECT * FROM issued_cards WHERE card_uuid = $1", [uuid]);
    return rows[0] ? issuedFromRow(rows[0]) : undefined;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
