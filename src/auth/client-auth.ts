/**
 * Express side of CDS client authentication: mounted on `POST /cds-services/:id` and
 * `POST /cds-services/:id/feedback` (discovery stays public, docs/service-contract.md). Computes the
 * audience this endpoint answers to and stores the verified client in `res.locals.cdsClient`.
 *
 * Audience (CDS Hooks 2.0: "the URL of the CDS Service endpoint being invoked"):
 * - service call: `${base}/cds-services/{id}`;
 * - feedback: `${base}/cds-services/{id}/feedback` (the endpoint literally invoked) or
 *   `${base}/cds-services/{id}` (the service the feedback is about; clients differ) — either is accepted.
 * `base` comes from the app (`baseUrlOf`): CDS_PUBLIC_URL, else — outside production only — the
 * request's protocol + Host. No base → 401 (the audience cannot be checked).
 */
import type { Request, RequestHandler } from "express";
import type { Logger } from "pino";
import type { AppConfig } from "../config/env-config";
import { AuthError } from "./auth-error";
import { JwksCache, type JwksCacheOptions } from "./jwks-cache";
import { ReplayCache, type ReplayGuard } from "./replay-cache";
import { createJwtVerifier, type CdsClient, type JwtVerifier } from "./verify-client-jwt";

export const PROTECTED_PATHS = ["/cds-services/:id", "/cds-services/:id/feedback"];

const BEARER = /^Bearer[ \t]+([A-Za-z0-9\-_.=+/]+)[ \t]*$/i;

export function expectedAudiences(base: string, serviceId: string, feedback: boolean): string[] {
  const service = `${base}/cds-services/${serviceId}`;
  return feedback ? [`${service}/feedback`, service] : [service];
}

/** This service's public base URL as seen for a request (undefined when it cannot be known safely). */
export type BaseUrlOf = (req: Request) => string | undefined;

export function clientAuth(verify: JwtVerifier, baseUrlOf: BaseUrlOf): RequestHandler {
  return (req, res, next) => {
    const header = req.get("authorization");
    if (!header) {
      next(new AuthError("Authorization: Bearer <JWT> is required", false));
      return;
    }
    const token = BEARER.exec(header)?.[1];
    if (!token) {
      next(new AuthError("Authorization header must be Bearer <JWT>"));
      return;
    }
    const id = String(req.params.id);
    const base = baseUrlOf(req);
    if (base === undefined) {
      next(new AuthError("this service's public URL is not configured (CDS_PUBLIC_URL), so no token audience can be accepted"));
      return;
    }
    const audiences = expectedAudiences(base, id, req.path.endsWith("/feedback"));
    verify(token, audiences).then(
      (client) => {
        res.locals.cdsClient = client satisfies CdsClient;
        next();
      },
      (e: unknown) => next(e),
    );
  };
}

export interface AuthSetupOptions {
  clock?: () => Date;
  jwks?: JwksCacheOptions;
  maxTokenAgeSec?: number;
  replayCacheSize?: number;
  /** Shared replay protection (the PostgreSQL store's); default: a per-process ReplayCache. */
  replay?: ReplayGuard;
}

/**
 * The authentication middleware for this configuration, or undefined when no issuer is trusted
 * (auth off: logged loudly). Warns when the audience has to be derived from the request.
 */
export function authFromConfig(
  config: Pick<AppConfig, "trustedIssuers" | "publicUrl">,
  logger: Logger,
  options: AuthSetupOptions,
  baseUrlOf: BaseUrlOf,
): RequestHandler | undefined {
  const issuers = Object.keys(config.trustedIssuers);
  if (issuers.length === 0) {
    logger.warn(
      "JWT AUTHENTICATION IS OFF: CDS_TRUSTED_ISSUERS is empty, so any caller can invoke the CDS services and post feedback. " +
        "Configure trusted issuers before exposing this service.",
    );
    return undefined;
  }
  if (!config.publicUrl) logger.warn("CDS_PUBLIC_URL is not set: JWT aud is compared with the URL derived from each request's Host");
  const clock = options.clock ?? (() => new Date());
  const verify = createJwtVerifier({
    trustedIssuers: config.trustedIssuers,
    jwks: new JwksCache({ now: () => clock().getTime(), ...options.jwks }),
    replay: options.replay ?? new ReplayCache(options.replayCacheSize),
    clock,
    ...(options.maxTokenAgeSec !== undefined ? { maxTokenAgeSec: options.maxTokenAgeSec } : {}),
  });
  logger.info({ issuers }, "JWT authentication on");
  return clientAuth(verify, baseUrlOf);
}
