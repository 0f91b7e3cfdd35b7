/** PKCE S256 (RFC 7636): BASE64URL(SHA256(code_verifier)) must equal the code_challenge sent to /authorize. */
import { createHash } from "node:crypto";

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

export function verifyPkceS256(codeVerifier: string | undefined, codeChallenge: string): boolean {
  if (!codeVerifier || !VERIFIER.test(codeVerifier)) return false;
  return createHash("sha256").update(codeVerifier).digest("base64url") === codeChallenge;
}
