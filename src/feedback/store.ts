/**
 * The feedback store behind one interface: embedded SQLite (default) or PostgreSQL (several replicas).
 * It keeps three things (see README.md): feedback as received, the cards this service issued (so a card
 * uuid in feedback can be tied to a patient, pattern, indicator and evidence), and suppressions derived
 * from feedback (alert-fatigue control).
 */
import type { ReplayGuard } from "../auth/replay-cache";
import { OPEN_ISSUER, type Tenant } from "../cds/tenant";
import type { FeedbackItem, OverrideReason } from "./feedback-schema";

export type Indicator = "info" | "warning" | "critical";

/**
 * Tenant of a stored row. `origin` null: the row predates tenancy (origin unknown), so it matches
 * no current tenant — such suppressions stay readable but hide nothing.
 */
export interface StoredTenant {
  issuer: string;
  origin: string | null;
}

/** A card returned to a CDS client, remembered so that feedback about it can be acted on. */
export interface IssuedCard {
  uuid: string;
  /** Who the card was issued to; only feedback from the same issuer acts on it. */
  tenant: StoredTenant;
  hook: string;
  patientId: string;
  /** source.topic.code, e.g. "repletion-cramp". */
  pattern: string;
  indicator: Indicator;
  /** Identifies the evidence the card was built on; "same evidence" ⇔ same fingerprint. */
  fingerprint: string;
  issuedAt: Date;
}

/** One feedback item as stored (FeedbackItem + where and when it came from). */
export interface FeedbackRecord extends FeedbackItem {
  serviceId: string;
  receivedAt: Date;
  /** Verified JWT issuer, when authentication is on (the tenant issuer is then this, else "open"). */
  client?: string;
}

export interface StoredFeedback extends FeedbackRecord {
  id: number;
}

/** "Do not show this card (patient + pattern + evidence) again at this indicator or lower, since `since`". */
export interface Suppression {
  tenant: StoredTenant;
  patientId: string;
  pattern: string;
  fingerprint: string;
  indicator: Indicator;
  outcome: FeedbackItem["outcome"];
  cardUuid: string;
  since: Date;
}

/** Rows removed by a retention purge. */
export interface PurgeResult {
  feedback: number;
  issuedCards: number;
  suppressions: number;
  replay: number;
}

export interface FeedbackStore {
  readonly kind: "sqlite" | "postgres";
  /** Replay protection shared by every process using this database (PostgreSQL); undefined: per process. */
  readonly replay?: ReplayGuard;
  /** Resolves when the database answers (readiness); rejects otherwise. */
  ping(): Promise<void>;
  /** Deletes feedback (and its suppressions) received and cards last issued before `before`, and expired JWT ids. */
  purge(before: Date, now: Date): Promise<PurgeResult>;
  /** Upserts issued cards (by uuid): keeps the first issue time, updates the latest indicator. */
  recordIssuedCards(cards: readonly IssuedCard[]): Promise<void>;
  /**
   * Stores feedback durably (one transaction; committed before the promise resolves) and derives a
   * suppression for each item whose card this service issued to the same issuer (feedback about
   * another issuer's card is stored but hides nothing). Returns how many items matched such a card.
   */
  saveFeedback(records: readonly FeedbackRecord[]): Promise<{ stored: number; matchedIssuedCards: number }>;
  /** The tenant's suppressions for a patient that started at or after `since`. */
  suppressionsFor(tenant: Tenant, patientId: string, since: Date): Promise<Suppression[]>;
  /** Admin/test read path: feedback in arrival order, optionally for one service or card. */
  listFeedback(filter?: { serviceId?: string; card?: string }): Promise<StoredFeedback[]>;
  issuedCard(uuid: string): Promise<IssuedCard | undefined>;
  close(): Promise<void>;
}

/** The tenant issuer a feedback record acts for. */
export const feedbackIssuer = (record: Pick<FeedbackRecord, "client">): string => record.client ?? OPEN_ISSUER;

/** Suppression window start: when the clinician acted, but never later than when we heard about it. */
export function suppressionStart(record: Pick<FeedbackRecord, "outcomeTimestamp" | "receivedAt">): Date {
  return record.outcomeTimestamp < record.receivedAt ? record.outcomeTimestamp : record.receivedAt;
}

export type { FeedbackItem, OverrideReason };
