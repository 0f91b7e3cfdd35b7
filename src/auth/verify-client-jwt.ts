/**
 * Verifies the CDS client's `Authorization: Bearer <JWT>` (CDS Hooks 2.0 "Trusting CDS Clients"):
 * asymmetric `alg` only, `kid` required, `typ` JWT when present, `iss` on the trust list, `jku` (when
 * given) listed for that issuer, signature against the issuer's JWK Set, `aud` = the endpoint URL called,
 * `exp` and `iat` (not in the future, not older than `maxTokenAgeSec`) with `clockToleranceSec` leeway,
 * and `jti` never seen before. `sub`, `nbf` and `tenant` are optional (nbf is checked when present).
 * Every failure is an AuthError (401) whose message says which check failed.
 */
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type KeyLike, type ProtectedHeaderParameters } from "jose";
import type { TrustedIssuers } from "../config/env-config";
import { ALLOWED_ALGORITHMS, isAllowedAlgorithm } from "./algorithms";
import { AuthError } from "./auth-error";
import type { JwksCache } from "./jwks-cache";
import type { ReplayGuard } from "./replay-cache";

export interface JwtVerifierOptions {
  trustedIssuers: TrustedIssuers;
  jwks: JwksCache;
  replay: ReplayGuard;
  clock: () => Date;
  clockToleranceSec?: number;
  maxTokenAgeSec?: number;
}

/** Who called, once the token is verified. */
export interface CdsClient {
  iss: string;
  jti: string;
  kid: string;
  jwksUrl: string;
  tenant?: string;
}

export type JwtVerifier = (token: string, audiences: readonly string[]) => Promise<CdsClient>;

function decode(token: string): { header: ProtectedHeaderParameters; payload: JWTPayload } {
  try {
    return { header: decodeProtectedHeader(token), payload: decodeJwt(token) };
  } catch {
    throw new AuthError("malformed JWT (expected three base64url JSON parts)");
  }
}

function checkHeader(header: ProtectedHeaderParameters): { alg: string; kid: string } {
  const { alg, kid, typ } = header;
  if (!isAllowedAlgorithm(alg)) {
    throw new AuthError(`alg "${String(alg)}" is not accepted (none and HMAC are forbidden; use one of ${ALLOWED_ALGORITHMS.join(", ")})`);
  }
  if (typ !== undefined && typ.toUpperCase() !== "JWT") throw new AuthError(`typ must be "JWT" (got "${typ}")`);
  if (typeof kid !== "string" || kid === "") throw new AuthError("kid header is required");
  return { alg, kid };
}

function jwksUrlFor(options: JwtVerifierOptions, iss: unknown, jku: unknown): { iss: string; url: string } {
  const urls = typeof iss === "string" && Object.hasOwn(options.trustedIssuers, iss) ? options.trustedIssuers[iss] : undefined;
  if (typeof iss !== "string" || !urls || urls.length === 0) throw new AuthError(`issuer ${JSON.stringify(iss ?? null)} is not trusted`);
  if (jku === undefined) return { iss, url: urls[0] as string };
  if (typeof jku !== "string" || !urls.includes(jku)) throw new AuthError(`jku ${JSON.stringify(jku)} is not listed for issuer ${iss}`);
  return { iss, url: jku };
}

function claimError(e: unknown, audiences: readonly string[]): AuthError {
  if (e instanceof AuthError) return e;
  if (e instanceof errors.JWSSignatureVerificationFailed) return new AuthError("signature verification failed");
  if (e instanceof errors.JWTExpired) {
    return new AuthError(e.claim === "iat" ? "token is too old (iat)" : "token has expired (exp)");
  }
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.claim === "aud") return new AuthError(`aud must be ${audiences.join(" or ")}`);
    if (e.claim === "iat" && e.reason === "check_failed") return new AuthError("iat is in the future");
    return new AuthError(`claim ${e.claim} is invalid: ${e.reason === "missing" ? "missing" : e.message}`);
  }
  if (e instanceof errors.JOSEAlgNotAllowed) return new AuthError("alg is not accepted");
  if (e instanceof errors.JOSEError) return new AuthError(`invalid JWT (${e.code})`);
  return new AuthError("invalid JWT");
}

export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  const tolerance = options.clockToleranceSec ?? 60;
  const maxAge = options.maxTokenAgeSec ?? 300;
  return async (token, audiences) => {
    const { header, payload } = decode(token);
    const { kid } = checkHeader(header);
    const { iss, url } = jwksUrlFor(options, payload.iss, header.jku);
    let verified: JWTPayload;
    try {
      const key: KeyLike = await options.jwks.keyFor(url, header);
      ({ payload: verified } = await jwtVerify(token, key, {
        algorithms: [...ALLOWED_ALGORITHMS],
        issuer: iss,
        audience: [...audiences],
        clockTolerance: tolerance,
        maxTokenAge: maxAge,
        currentDate: options.clock(),
        requiredClaims: ["iss", "aud", "exp", "iat", "jti"],
      }));
    } catch (e) {
      throw claimError(e, audiences);
    }
    const jti = verified.jti;
    if (typeof jti !== "string" || jti === "" || jti.length > 256) throw new AuthError("jti must be a non-empty string");
    const nowMs = options.clock().getTime();
    const lastValidMs = (Math.min(verified.exp as number, (verified.iat as number) + maxAge) + tolerance) * 1000;
    if (await options.replay.seen(iss, jti, lastValidMs, nowMs)) throw new AuthError("jti has already been used (replay)");
    return { iss, jti, kid, jwksUrl: url, ...(typeof verified.tenant === "string" ? { tenant: verified.tenant } : {}) };
  };
}
