/**
 * Hardening middleware: security headers (helmet), a per-client rate limit (off unless
 * CDS_RATE_LIMIT_PER_MINUTE > 0) and a whole-request timeout (CDS_REQUEST_TIMEOUT_MS).
 *
 * Headers come in two layers:
 * - everywhere: helmet's defaults except CSP, X-Frame-Options and the cross-origin policies, which
 *   would break the SMART app (it runs inside EHR frames and calls arbitrary FHIR servers) — its pages set their own;
 * - JSON API (/cds-services, /metrics, /healthz): `default-src 'none'`, no framing, `no-store` (cards
 *   carry PHI), and Cross-Origin-Resource-Policy `cross-origin` so browser-based CDS clients can read them.
 * Both are static, so helmet runs once at start-up and each response gets the recorded headers (static-headers.ts).
 */
import type { ErrorRequestHandler, RequestHandler } from "express";
import { rateLimit as expressRateLimit } from "express-rate-limit";
import helmet from "helmet";
import { CdsError } from "../errors";
import { recordHeaders, replayHeaders } from "./static-headers";

const BASE_HEADERS = {
  contentSecurityPolicy: false,
  xFrameOptions: false,
  crossOriginEmbedderPolicy: false,
  crossOriginOpenerPolicy: false,
  crossOriginResourcePolicy: false,
  referrerPolicy: { policy: "no-referrer" },
} as const;

const API_HEADERS = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  xFrameOptions: { action: "deny" },
  crossOriginResourcePolicy: { policy: "cross-origin" },
  crossOriginEmbedderPolicy: false,
  referrerPolicy: { policy: "no-referrer" },
} as const;

const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader("Cache-Control", "no-store");
  next();
};

/** The middleware behind each layer, in the order they run (recorded once by the replays below; compared in tests). */
export const securityHeaderLayers = {
  base: (): RequestHandler[] => [helmet(BASE_HEADERS)],
  api: (): RequestHandler[] => [noStore, helmet(API_HEADERS)],
};

export function baseSecurityHeaders(): RequestHandler {
  return replayHeaders(recordHeaders(securityHeaderLayers.base()));
}

export function apiSecurityHeaders(): RequestHandler {
  return replayHeaders(recordHeaders(securityHeaderLayers.api()));
}

export interface RateLimitOptions {
  perMinute: number;
}

/**
 * `perMinute` requests per one-minute window per client (express-rate-limit: `req.ip`, i.e. the socket address or
 * the proxy-reported one if Express `trust proxy` is configured; IPv6 clients grouped by /56 so one host cannot
 * rotate through its subnet). Keyed by address rather than JWT issuer because the issuer is not verified yet when
 * the limit must apply (before spending CPU on signatures). Over the limit: 429 through the one error handler, with
 * Retry-After and the RateLimit-* headers. Undefined when off. Per process: behind several replicas the effective
 * limit is the sum (the ingress is the place for a global one).
 */
export function rateLimit(options: RateLimitOptions): RequestHandler | undefined {
  if (options.perMinute <= 0) return undefined;
  return expressRateLimit({
    windowMs: 60_000,
    limit: options.perMinute,
    standardHeaders: "draft-6",
    legacyHeaders: false,
    ipv6Subnet: 56,
    // The library's console warnings about `trust proxy` are replaced by the app's start-up log line (createApp).
    validate: { trustProxy: false, xForwardedForHeader: false },
    handler: (req, _res, next, opts) => {
      const resetMs = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime?.getTime();
      const retrySec = resetMs === undefined ? 60 : Math.max(1, Math.ceil((resetMs - Date.now()) / 1000));
      next(new CdsError("too_many_requests", `Rate limit of ${opts.limit as number} requests per minute exceeded; retry in ${retrySec} s`));
    },
  });
}

/**
 * Answers 503 when a request has not been answered within `ms` (e.g. a stuck dependency), so clients
 * are never left hanging. The answer goes through the one error handler (`onError`, the app's
 * errorHandler); the late handler's output is discarded (the error handler sees headersSent).
 */
export function requestTimeout(ms: number, onError: ErrorRequestHandler): RequestHandler {
  return (req, res, next) => {
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      const error = new CdsError("request_timeout", `The request was not completed within ${ms} ms`, [
        { field: "(request)", message: `not completed within ${ms} ms` },
      ]);
      void onError(error, req, res, () => undefined);
    }, ms);
    const clear = () => clearTimeout(timer);
    res.on("finish", clear);
    res.on("close", clear);
    next();
  };
}
