/**
 * Retention (CDS_RETENTION_DAYS): issued-card and feedback rows (with their suppressions) older than the
 * window, and expired JWT ids, are purged at start-up and then every `intervalMs` (default 6 h). Every
 * replica runs it; the deletes are idempotent. 0 days = keep forever (only expired JWT ids are purged).
 */
import type { Logger } from "pino";
import type { FeedbackStore } from "./store";

const DAY_MS = 86_400_000;

export interface RetentionOptions {
  store: FeedbackStore;
  days: number;
  clock: () => Date;
  logger: Logger;
  intervalMs?: number;
}

/** One purge pass; errors are logged (the next pass retries), never thrown. */
export async function purgeOnce(o: RetentionOptions): Promise<void> {
  const now = o.clock();
  const before = o.days > 0 ? new Date(now.getTime() - o.days * DAY_MS) : new Date(0);
  try {
    const removed = await o.store.purge(before, now);
    o.logger.info({ before: before.toISOString(), ...removed }, "retention purge");
  } catch (e) {
    o.logger.warn({ error: (e as Error).message }, "retention purge failed; will retry");
  }
}

/** Starts the schedule; returns a function that stops it. */
export function startRetention(o: RetentionOptions): () => void {
  void purgeOnce(o);
  const timer = setInterval(() => void purgeOnce(o), o.intervalMs ?? 6 * 3_600_000);
  timer.unref();
  return () => clearInterval(timer);
}
