/** Bearer-token checks shared by the FHIR server and the sandbox routes (constant-time comparison). */
import { createHash, timingSafeEqual } from "node:crypto";

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();

/** Whether an Authorization header is exactly `Bearer <token>`. */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  const m = /^Bearer (\S+)$/.exec(authorization ?? "");
  return m?.[1] !== undefined && timingSafeEqual(digest(m[1]), digest(token));
}
