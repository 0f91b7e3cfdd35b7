/**
 * Hardening middleware: security headers (helmet), a per-client rate limit (off unless
 * CDS_RATE_LIMIT_PER_MINUTE > 0) and a whole-request timeout (CDS_REQUEST_TIMEOUT_MS).
 *
 * Headers come in two layers:
 * - everywhere: helmet's defaults except CSP, X-Frame-Options and the cross-origin policies, which
 *   would break the SMART app (it runs inside EHR frames and calls arbitrary FHIR servers) — its pages set their own;
 * - JSON API (/cds-services, /metrics, /healthz): `default-src 'none'`, no framing, `no-store` (cards
 *   carry PHI), and Cross-Origin-Resource-Policy `cross-origin` so browser-based CDS clients can read them.
 */
import type { RequestHandler } from "express";
import helmet from "helmet";
import { CdsError } from "../errors";

export function baseSecurityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: false,
    xFrameOptions: false,
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: false,
    crossOriginResourcePolicy: false,
    referrerPolicy: { policy: "no-referrer" },
  });
}

export function apiSecurityHeaders(): RequestHandler {
  const headers = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    xFrameOptions: { action: "deny" },
    crossOriginResourcePolicy: { policy: "cross-origin" },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: "no-referrer" },
  });
  return (req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    headers(req, res, next);
  };
}

export interface RateLimitOptions {
  perMinute: number;
  now?: () => number;
  /** Bound on clients tracked per window (memory); beyond it new clients are not limited. */
  maxClients?: number;
}

/**
 * Fixed one-minute window per client IP (`req.ip`: the socket address, or the proxy-reported one if
 * Express `trust proxy` is configured). Keyed by IP rather than JWT issuer because the issuer is not
 * verified yet when the limit must apply (before spending CPU on signatures). Undefined when off.
 */
export function rateLimit(options: RateLimitOptions): RequestHandler | undefined {
  if (options.perMinute <= 0) return undefined;
  const now = options.now ?? Date.now;
  const maxClients = options.maxClients ?? 100_000;
  let window = -1;
  const counts = new Map<string, number>();
  return (req, res, next) => {
    const t = now();
    const current = Math.floor(t / 60_000);
    if (current !== window) {
      window = current;
      counts.clear();
    }
    const key = req.ip ?? req.socket.remoteAddress ?? "unknown";
    const known = counts.get(key);
    if (known === undefined && counts.size >= maxClients) {
      next();
      return;
    }
    const count = (known ?? 0) + 1;
    counts.set(key, count);
    const resetSec = Math.ceil(((current + 1) * 60_000 - t) / 1000);
    res.setHeader("RateLimit-Limit", String(options.perMinute));
    res.setHeader("RateLimit-Remaining", String(Math.max(0, options.perMinute - count)));
    res.setHeader("RateLimit-Reset", String(resetSec));
    if (count > options.perMinute) {
      res.setHeader("Retry-After", String(resetSec));
      next(new CdsError("too_many_requests", `Rate limit of ${options.perMinute} requests per minute exceeded; retry in ${resetSec} s`));
      return;
    }
    next();
  };
}

/**
 * Answers 503 when a request has not been answered within `ms` (e.g. a stuck dependency), so clients
 * are never left hanging; the late handler's output is discarded (the error handler sees headersSent).
 */
export function requestTimeout(ms: number): RequestHandler {
  return (_req, res, next) => {
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      res.setHeader("Retry-After", "5");
      res.status(503).json({ error: "request_timeout", message: `The request was not completed within ${ms} ms`, field: "(request)" });
    }, ms);
    const clear = () => clearTimeout(timer);
    res.on("finish", clear);
    res.on("close", clear);
    next();
  };
}
