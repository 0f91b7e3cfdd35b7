/**
 * Header-setting middleware replayed from a recording: helmet (and CORS) set the same headers on every response,
 * so they run once at start-up against a recorder and each request gets the recorded list in one loop instead of
 * a dozen small middleware calls per helmet instance. Only for middleware whose headers do not depend on the
 * request (no nonces, no per-origin answers); the test suite compares the replay with the middleware itself.
 */
import type { Request, RequestHandler, Response } from "express";

export interface HeaderList {
  /** [name, value] in first-set order (a later middleware's value replaces an earlier one in place, as on a response). */
  set: ReadonlyArray<readonly [name: string, value: string | string[]]>;
  /** Headers removed and not set again afterwards (helmet removes X-Powered-By). */
  removed: readonly string[];
}

/** What `handlers` do to the headers of a response, run in order against a recorder. */
export function recordHeaders(handlers: readonly RequestHandler[]): HeaderList {
  const headers = new Map<string, [string, string | string[]]>();
  const removed = new Set<string>();
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      const key = name.toLowerCase();
      removed.delete(key);
      const stored: string | string[] = typeof value === "string" ? value : typeof value === "number" ? String(value) : Array.from(value);
      const seen = headers.get(key);
      if (seen) seen[1] = stored;
      else headers.set(key, [name, stored]);
      return recorder;
    },
    removeHeader(name: string) {
      headers.delete(name.toLowerCase());
      removed.add(name.toLowerCase());
    },
    getHeader(name: string) {
      return headers.get(name.toLowerCase())?.[1];
    },
  };
  const req = { method: "GET", headers: {}, url: "/", path: "/" };
  for (const handler of handlers) {
    let called = false;
    void handler(req as unknown as Request, recorder as unknown as Response, () => {
      called = true;
    });
    if (!called) throw new Error("a recorded header middleware must call next() synchronously");
  }
  return { set: [...headers.values()], removed: [...removed] };
}

/** Sets the recorded headers on every response. */
export function replayHeaders(list: HeaderList): RequestHandler {
  const { set, removed } = list;
  return (_req, res, next) => {
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of set) res.setHeader(name, value);
    next();
  };
}
