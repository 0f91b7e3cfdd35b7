/**
 * A tenant is one CDS client talking about one EHR's data (docs/service-contract.md, "Tenancy"): the
 * verified JWT issuer (`open` when auth is off) and the `fhirServer` origin ("" when the call names
 * none). Issued cards, feedback and suppressions are keyed by tenant + patient, and card uuids include
 * the tenant, so one EHR's feedback can never hide another's cards.
 */
export interface Tenant {
  issuer: string;
  /** Origin of the call's fhirServer, e.g. "https://ehr.example.org"; "" when none was given. */
  origin: string;
}

/** The issuer of calls made without JWT auth. */
export const OPEN_ISSUER = "open";

export function tenantOf(verifiedIssuer: string | undefined, fhirServer: string | undefined): Tenant {
  let origin = "";
  if (fhirServer !== undefined) {
    try {
      origin = new URL(fhirServer).origin;
    } catch {
      origin = "";
    }
  }
  return { issuer: verifiedIssuer ?? OPEN_ISSUER, origin };
}

/** A stable string for the tenant (part of card uuids). */
export const tenantKey = (t: Tenant): string => JSON.stringify([t.issuer, t.origin]);
