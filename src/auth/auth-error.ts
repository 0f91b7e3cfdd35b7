/**
 * A 401 for the CDS client: `tokenPresent` decides the WWW-Authenticate challenge (RFC 6750 §3.1:
 * no error code when the request carried no token at all, `error="invalid_token"` otherwise).
 * The message is the reason, written for the integrator; it never contains the token.
 */
import { CdsError } from "../errors";

export class AuthError extends CdsError {
  constructor(
    reason: string,
    readonly tokenPresent = true,
  ) {
    super("unauthorized", reason, [{ field: "Authorization", message: reason }]);
    this.name = "AuthError";
  }
}

/** The WWW-Authenticate value for a 401 (quotes and control characters removed from the description). */
export function wwwAuthenticate(error: CdsError): string {
  const realm = `Bearer realm="cds-services"`;
  if (error instanceof AuthError && !error.tokenPresent) return realm;
  const description = error.message.replace(/[^\x20-\x7e]|["\\]/g, "'").slice(0, 200);
  return `${realm}, error="invalid_token", error_description="${description}"`;
}
