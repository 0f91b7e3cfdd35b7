/**
 * Test CDS client: key pairs generated in the test, a JWK Set to serve with nock, and signed tokens
 * shaped like the CDS Hooks 2.0 example (alg/kid/typ/jku header; iss, aud, exp, iat, jti payload).
 */
import { createHmac, randomUUID } from "node:crypto";
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK, type KeyLike } from "jose";

export const ISSUER = "https://ehr.example.org/";
export const JWKS_ORIGIN = "https://ehr.example.org";
export const JWKS_PATH = "/.well-known/jwks.json";
export const JWKS_URL = `${JWKS_ORIGIN}${JWKS_PATH}`;

export interface TestKey {
  alg: string;
  kid: string;
  privateKey: KeyLike;
  publicKey: KeyLike;
  jwk: JWK;
}

export async function makeKey(alg: string, kid = `${alg.toLowerCase()}-key`): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  return { alg, kid, privateKey, publicKey, jwk };
}

export const jwks = (...keys: TestKey[]) => ({ keys: keys.map((k) => k.jwk) });

export interface TokenOptions {
  aud?: string | string[];
  iss?: string;
  /** Seconds since the epoch; default `now`. */
  iat?: number;
  exp?: number;
  jti?: string;
  jku?: string | null;
  kid?: string | null;
  typ?: string | null;
  extra?: Record<string, unknown>;
}

export function sign(key: TestKey, now: Date, o: TokenOptions = {}): Promise<string> {
  const nowSec = Math.floor(now.getTime() / 1000);
  const header: Record<string, unknown> = { alg: key.alg };
  if (o.typ !== null) header.typ = o.typ ?? "JWT";
  if (o.kid !== null) header.kid = o.kid ?? key.kid;
  if (o.jku !== null) header.jku = o.jku ?? JWKS_URL;
  return new SignJWT({ jti: o.jti ?? randomUUID(), ...o.extra })
    .setProtectedHeader(header as { alg: string })
    .setIssuer(o.iss ?? ISSUER)
    .setAudience(o.aud ?? "http://127.0.0.1/cds-services/vitd-patient-view")
    .setIssuedAt(o.iat ?? nowSec)
    .setExpirationTime(o.exp ?? nowSec + 300)
    .sign(key.privateKey);
}

const b64 = (x: unknown) => Buffer.from(typeof x === "string" ? x : JSON.stringify(x)).toString("base64url");

function claims(now: Date, aud: string) {
  const nowSec = Math.floor(now.getTime() / 1000);
  return { iss: ISSUER, aud, iat: nowSec, exp: nowSec + 300, jti: randomUUID() };
}

/** `alg: none`, no signature (RFC 7519 §6 unsecured JWT). */
export function unsecuredToken(now: Date, aud: string): string {
  return `${b64({ alg: "none", typ: "JWT", kid: "rs384-key" })}.${b64(claims(now, aud))}.`;
}

/** The classic key-confusion attack: HS256 with the server's *public* key (PEM) as the HMAC secret. */
export async function hmacWithPublicKey(key: TestKey, now: Date, aud: string): Promise<string> {
  const secret = await exportSPKI(key.publicKey);
  const input = `${b64({ alg: "HS256", typ: "JWT", kid: key.kid, jku: JWKS_URL })}.${b64(claims(now, aud))}`;
  return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
}

/** Same header and claims, signature bytes flipped. */
export function tamperSignature(token: string): string {
  const [h, p, s = ""] = token.split(".");
  const sig = Buffer.from(s, "base64url");
  sig[0] = (sig[0] ?? 0) ^ 0xff;
  return `${h}.${p}.${sig.toString("base64url")}`;
}

/** Payload swapped for another (signature no longer matches). */
export function swapPayload(token: string, payload: Record<string, unknown>): string {
  const [h, , s] = token.split(".");
  return `${h}.${b64(payload)}.${s}`;
}
