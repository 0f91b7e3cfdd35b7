/**
 * The feedback store behind one interface: embedded SQLite (default) or PostgreSQL (several replicas).
 * It keeps three things (see README.md): feedback as received, the cards this service issued (so a card
 * uuid in feedback can be tied to a patient, pattern, indicator and evidence), and suppressions derived
 * from feedback (alert-fatigue control).
 */
import type { FeedbackItem, OverrideReason } from "./feedback-schema";

export type Indicator = "info" | "warning" | "critical";

/** A card returned to a CDS client, remembered so that feedback about it can be acted on. */
export interface IssuedCard {
  uuid: string;
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
  /** Verified JWT issuer, when authentication is on. */
  client?: string;
}

export interface StoredFeedback extends FeedbackRecord {
  id: number;
}

/** "Do not show this card (patient + pattern + evidence) again at this indicator or lower, since `since`". */
export interface Suppression {
  patientId: string;
  pattern: string;
  fingerprint: string;
  indicator: Indicator;
  outcome: FeedbackItem["outcome"];
  cardUuid: string;
  since: Date;
}

export interface FeedbackStore {
  readonly kind: "sqlite" | "postgres";
  /** Upserts issued cards (by uuid): keeps the first issue time, updates the latest indicator. */
  recordIssuedCards(cards: readonly IssuedCard[]): Promise<void>;
  /**
   * Stores feedback durably (one transaction; committed before the promise resolves) and derives a
   * suppression for each item whose card this service issued. Returns how many items matched an issued card.
   */
  saveFeedback(records: readonly FeedbackRecord[]): Promise<{ stored: number; matchedIssuedCards: number }>;
  /** Suppressions for a patient that started at or after `since`. */
  suppressionsFor(patientId: string, since: Date): Promise<Suppression[]>;
  /** Admin/test read path: feedback in arrival order, optionally for one service or card. */
  listFeedback(filter?: { serviceId?: string; card?: string }): Promise<StoredFeedback[]>;
  issuedCard(uuid: string): Promise<IssuedCard | undefined>;
  close(): Promise<void>;
}

/** Suppression window start: when the clinician acted, but never later than when we heard about it. */
export function suppressionStart(record: Pick<FeedbackRecord, "outcomeTimestamp" | "receivedAt">): Date {
  return record.outcomeTimestamp < record.receivedAt ? record.outcomeTimestamp : record.receivedAt;
}

export type { FeedbackItem, OverrideReason };
