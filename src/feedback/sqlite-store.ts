/**
 * Embedded feedback store (better-sqlite3): WAL journal with synchronous=FULL, so a transaction is on
 * disk when saveFeedback resolves and survives a crash (SIGKILL) or power loss. Synchronous driver
 * behind the async interface (same as PostgreSQL). `:memory:` gives a private in-memory database.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
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

/** Runs synchronous driver work behind the async interface: a throw becomes a rejection. */
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}

const UPSERT_ISSUED = `INSERT INTO issued_cards (card_uuid, tenant_issuer, tenant_origin, hook, patient_id, pattern, indicator, fingerprint, first_issued_at, last_issued_at)
    VALUES (@uuid, @issuer, @origin, @hook, @patientId, @pattern, @indicator, @fingerprint, @at, @at)
    ON CONFLICT (card_uuid) DO UPDATE SET indicator = excluded.indicator, last_issued_at = excluded.last_issued_at,
      issue_count = issue_count + 1`;

const SQL = {
  insertFeedback: `INSERT INTO feedback (service_id, card_uuid, outcome, accepted_suggestions, override_system, override_code,
      override_display, user_comment, outcome_at, received_at, client)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  issued: "SELECT * FROM issued_cards WHERE card_uuid = ?",
  issuedTo: "SELECT * FROM issued_cards WHERE card_uuid = ? AND tenant_issuer = ?",
  insertSuppression: `INSERT INTO suppressions (tenant_issuer, tenant_origin, patient_id, pattern, fingerprint, indicator, outcome, card_uuid, since, feedback_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  suppressions: "SELECT * FROM suppressions WHERE tenant_issuer = ? AND tenant_origin = ? AND patient_id = ? AND since >= ? ORDER BY id",
  feedback: "SELECT * FROM feedback WHERE (@s IS NULL OR service_id = @s) AND (@c IS NULL OR card_uuid = @c) ORDER BY id",
  ping: "SELECT 1",
  purgeSuppressions:
    "DELETE FROM suppressions WHERE since < @before OR feedback_id IN (SELECT id FROM feedback WHERE received_at < @before)",
  purgeFeedback: "DELETE FROM feedback WHERE received_at < @before",
  purgeIssued: "DELETE FROM issued_cards WHERE last_issued_at < @before",
  purgeReplay: "DELETE FROM jwt_replay WHERE expires_at < @now",
};

export class SqliteFeedbackStore implements FeedbackStore {
  readonly kind = "sqlite";
  private readonly db: Database.Database;
  private readonly stmt: { [K in keyof typeof SQL]: Database.Statement };
  /** The connection that records issued cards (the same one for `:memory:`, which cannot be shared). */
  private readonly issuedDb: Database.Database;
  private readonly recordIssued: (cards: readonly IssuedCard[]) => void;

  constructor(readonly path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.db.pragma("foreign_keys = ON");
    this.db.pragma("busy_timeout = 5000");
    this.migrate();
    this.stmt = Object.fromEntries(Object.entries(SQL).map(([k, sql]) => [k, this.db.prepare(sql)])) as typeof this.stmt;
    if (path === ":memory:") this.issuedDb = this.db;
    else {
      this.issuedDb = new Database(path);
      this.issuedDb.pragma("synchronous = NORMAL");
      this.issuedDb.pragma("foreign_keys = ON");
      this.issuedDb.pragma("busy_timeout = 5000");
    }
    const upsertIssued = this.issuedDb.prepare(UPSERT_ISSUED);
    this.recordIssued = this.issuedDb.transaction((cards: readonly IssuedCard[]) => {
      for (const { uuid, tenant, hook, patientId, pattern, indicator, fingerprint, issuedAt } of cards) {
        upsertIssued.run({
          uuid,
          issuer: tenant.issuer,
          origin: tenant.origin,
          hook,
          patientId,
          pattern,
          indicator,
          fingerprint,
          at: issuedAt.toISOString(),
        });
      }
    });
  }

  private migrate(): void {
    const current = this.db.pragma("user_version", { simple: true }) as number;
    for (const m of migrations.filter((x) => x.version > current)) {
      this.db
        .transaction(() => {
          this.db.exec(m.sqlite);
          this.db.pragma(`user_version = ${m.version}`);
        })
        .immediate();
    }
  }

  /**
   * Runs on every hook call that returns cards, so it commits on its own connection with `synchronous = NORMAL`:
   * in WAL mode that survives a crash or SIGKILL of this process (only an OS crash or power loss can drop the
   * newest commits) and spares the hook an fsync. Feedback itself commits with `synchronous = FULL`. (A second
   * connection, because SQLite applies `synchronous` when a statement is compiled: toggling it per call
   * meant compiling two PRAGMA statements on every hook.) Both connections are synchronous, so their
   * transactions never overlap within this process.
   */
  recordIssuedCards(cards: readonly IssuedCard[]): Promise<void> {
    if (cards.length === 0) return Promise.resolve();
    return settle(() => this.recordIssued(cards));
  }

  saveFeedback(records: readonly FeedbackRecord[]): Promise<{ stored: number; matchedIssuedCards: number }> {
    const { insertFeedback, issuedTo, insertSuppression } = this.stmt;
    const save = this.db.transaction(() => {
      let matched = 0;
      for (const r of records) {
        const o = r.overrideReason;
        const { lastInsertRowid } = insertFeedback.run(
          r.serviceId,
          r.card,
          r.outcome,
          JSON.stringify(r.acceptedSuggestions),
          o?.system ?? null,
          o?.code ?? null,
          o?.display ?? null,
          o?.userComment ?? null,
          r.outcomeTimestamp.toISOString(),
          r.receivedAt.toISOString(),
          r.client ?? null,
        );
        const card = issuedTo.get(r.card, feedbackIssuer(r)) as IssuedRow | undefined;
        if (!card) continue;
        matched++;
        const since = suppressionStart(r).toISOString();
        insertSuppression.run(
          card.tenant_issuer,
          card.tenant_origin,
          card.patient_id,
          card.pattern,
          card.fingerprint,
          card.indicator,
          r.outcome,
          r.card,
          since,
          lastInsertRowid,
        );
      }
      return { stored: records.length, matchedIssuedCards: matched };
    });
    return settle(() => save.immediate());
  }

  suppressionsFor(tenant: Tenant, patientId: string, since: Date): Promise<Suppression[]> {
    return settle(() =>
      (this.stmt.suppressions.all(tenant.issuer, tenant.origin, patientId, since.toISOString()) as SuppressionRow[]).map(
        suppressionFromRow,
      ),
    );
  }

  listFeedback(filter: { serviceId?: string; card?: string } = {}): Promise<StoredFeedback[]> {
    return settle(() => (this.stmt.feedback.all({ s: filter.serviceId ?? null, c: filter.card ?? null }) as FeedbackRow[]).map(fromRow));
  }

  ping(): Promise<void> {
    return settle(() => void this.stmt.ping.get());
  }

  purge(before: Date, now: Date): Promise<PurgeResult> {
    const at = { before: before.toISOString(), now: now.toISOString() };
    const run = this.db.transaction(() => ({
      suppressions: this.stmt.purgeSuppressions.run(at).changes,
      feedback: this.stmt.purgeFeedback.run(at).changes,
      issuedCards: this.stmt.purgeIssued.run(at).changes,
      replay: this.stmt.purgeReplay.run(at).changes,
    }));
    return settle(() => run.immediate());
  }

  issuedCard(uuid: string): Promise<IssuedCard | undefined> {
    return settle(() => {
      const row = this.stmt.issued.get(uuid) as IssuedRow | undefined;
      return row ? issuedFromRow(row) : undefined;
    });
  }

  close(): Promise<void> {
    return settle(() => {
      if (this.issuedDb !== this.db && this.issuedDb.open) this.issuedDb.close();
      if (this.db.open) this.db.close();
    });
  }
}
