/** Which store failures are "down or saturated, retry later" (503) and which are bugs (500). */
import { isStoreUnavailable } from "../../src/feedback/unavailable";

const err = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});

it.each([
  ["pg pool exhausted", err("timeout exceeded when trying to connect")],
  ["connection refused", err("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED")],
  ["server closed the connection", err("Connection terminated unexpectedly")],
  ["admin shutdown (57P01)", err("terminating connection due to administrator command", "57P01")],
  ["too many connections (53300)", err("sorry, too many clients already", "53300")],
  ["connection failure class 08", err("connection failure", "08006")],
  ["SQLite busy", err("database is locked", "SQLITE_BUSY")],
  ["SQLite disk full", err("database or disk is full", "SQLITE_FULL")],
  ["SQLite closed at shutdown", new TypeError("The database connection is not open")],
])("%s → unavailable (503)", (_name, e) => {
  expect(isStoreUnavailable(e)).toBe(true);
});

it.each([
  ["syntax error (a bug)", err('syntax error at or near "SELEC"', "42601")],
  ["constraint violation (a bug)", err("violates check constraint", "23514")],
  ["SQLite constraint", err("CHECK constraint failed", "SQLITE_CONSTRAINT_CHECK")],
  ["a plain TypeError", new TypeError("cannot read properties of undefined")],
  ["not an error", "boom"],
])("%s → not unavailable (500)", (_name, e) => {
  expect(isStoreUnavailable(e)).toBe(false);
});
