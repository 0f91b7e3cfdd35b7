/**
 * The launch context an "EHR" hands the app, carried inside the opaque `launch` token.
 * Tokens are minted by the server only: `base64url(JSON claims) "." base64url(HMAC-SHA256)` with a
 * per-instance random secret (or an explicit one shared by instances), and expire (default 10 min).
 * Anything altered, forged, minted under another secret or expired does not decode.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export interface LaunchContext {
  /** FHIR id of the patient in context. */
  patient: string;
  /** CDS Hooks card link `appContext` (a string, usually JSON), returned in the token response. */
  appContext?: string;
  /** Simulate the user refusing consent: /authorize redirects back with error=access_denied. */
  deny?: boolean;
  /** Access token lifetime in seconds (default: the server's); 0 gives an already-expired token. */
  expiresIn?: number;
}

export interface LaunchSigner {
  mint(context: LaunchContext): string;
  /** The context of a token this signer minted and that has not expired; undefined otherwise. */
  decode(token: string): LaunchContext | undefined;
}

export interface LaunchSignerOptions {
  /** HMAC key, at least 16 bytes; default: 32 random bytes (tokens are then valid for this instance only). */
  secret?: string | Buffer | undefined;
  clock?: () => Date;
  ttlSeconds?: number;
}

/** A FHIR resource id (R4 `id` datatype). */
export const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const MAX_APP_CONTEXT = 4096;

export function createLaunchSigner(options: LaunchSignerOptions = {}): LaunchSigner {
  const key = options.secret === undefined ? randomBytes(32) : Buffer.from(options.secret);
  if (key.length < 16) throw new Error("launchSecret must be at least 16 bytes");
  const now = () => (options.clock ?? (() => new Date()))().getTime();
  const ttlMs = (options.ttlSeconds ?? 600) * 1000;
  const sign = (payload: string) => createHmac("sha256", key).update(payload).digest();

  return {
    mint(context) {
      const checked = validContext(context);
      if (!checked) throw new Error(`not a valid launch context: ${JSON.stringify(context)}`);
      const payload = Buffer.from(JSON.stringify({ ...checked, exp: now() + ttlMs }), "utf8").toString("base64url");
      return `${payload}.${sign(payload).toString("base64url")}`;
    },
    decode(token) {
      const [payload, mac, extra] = token.split(".");
      if (!payload || !mac || extra !== undefined) return undefined;
      const expected = sign(payload);
      const given = Buffer.from(mac, "base64url");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      const claims = parse(payload);
      if (!claims || typeof claims.exp !== "number" || claims.exp <= now()) return undefined;
      return validContext(claims);
    },
  };
}

function parse(payload: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The context's known fields, or undefined when the patient is not a FHIR id or a field is malformed. */
function validContext(v: Partial<Record<keyof LaunchContext, unknown>>): LaunchContext | undefined {
  if (typeof v.patient !== "string" || !FHIR_ID.test(v.patient)) return undefined;
  if (v.appContext !== undefined && (typeof v.appContext !== "string" || v.appContext.length > MAX_APP_CONTEXT)) return undefined;
  if (v.expiresIn !== undefined && (typeof v.expiresIn !== "number" || !(v.expiresIn >= 0))) return undefined;
  return {
    patient: v.patient,
    ...(typeof v.appContext === "string" ? { appContext: v.appContext } : {}),
    ...(v.deny === true ? { deny: true } : {}),
    ...(typeof v.expiresIn === "number" ? { expiresIn: v.expiresIn } : {}),
  };
}
