/**
 * JWS algorithms accepted on CDS client JWTs. CDS Hooks 2.0 "JWT Signing Algorithm": `none` and every
 * symmetric (HMAC) algorithm SHALL NOT be used; ES384 and RS384 are RECOMMENDED. We accept the
 * asymmetric RFC 7518 families with at least SHA-256 (EC P-256/384/521, RSA PKCS#1 v1.5 and PSS),
 * because real EHRs sign with RS384 or RS256 and the spec leaves the choice to the service's risk tolerance.
 */
export const ALLOWED_ALGORITHMS = ["ES384", "RS384", "ES256", "ES512", "RS256", "RS512", "PS256", "PS384", "PS512"] as const;

export type AllowedAlgorithm = (typeof ALLOWED_ALGORITHMS)[number];

export function isAllowedAlgorithm(alg: unknown): alg is AllowedAlgorithm {
  return typeof alg === "string" && (ALLOWED_ALGORITHMS as readonly string[]).includes(alg);
}
