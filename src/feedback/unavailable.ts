/**
 * Store failures that mean "down or saturated, retry later" (→ 503 + Retry-After), told apart from bugs
 * (→ 500): PostgreSQL connection failures, shutdown and resource classes (SQLSTATE 08, 53, 57P), a pool that
 * timed out waiting for a connection, refused/reset sockets, and SQLite busy/locked/full/IO errors.
 */
import { CdsError } from "../errors";

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH", "ECONNABORTED"]);
const SQLITE_TRANSIENT = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN|READONLY)/;

export function isStoreUnavailable(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === "string") {
    if (NETWORK_CODES.has(code) || SQLITE_TRANSIENT.test(code)) return true;
    if (/^(08|53|57P)/.test(code)) return true; // PostgreSQL SQLSTATE classes
  }
  // pg pool/connection failures; better-sqlite3 after close (shutdown).
  return /timeout exceeded when trying to connect|Connection terminated|connection (?:is )?closed|Client has encountered a connection error|pool is (?:ending|closed)|database connection is not open/i.test(
    e.message,
  );
}

export class StoreUnavailableError extends CdsError {
  constructor(override readonly cause: unknown) {
    super("service_unavailable", "The feedback store is unavailable; retry later");
    this.name = "StoreUnavailableError";
  }
}

/** Runs `work`; a store outage becomes a StoreUnavailableError (503), anything else propagates (a bug: 500). */
export async function guardStore<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw isStoreUnavailable(e) ? new StoreUnavailableError(e) : e;
  }
}
