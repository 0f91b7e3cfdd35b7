/**
 * The launch context an "EHR" hands the app, carried inside the opaque `launch` token.
 * The token is base64url(JSON) — stateless, like smart-launcher's — so a test or the sandbox
 * can mint one without talking to the server first.
 */
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

export function encodeLaunch(context: LaunchContext): string {
  return Buffer.from(JSON.stringify(context), "utf8").toString("base64url");
}

/** Parses a launch token; undefined when it is not one of ours. */
export function decodeLaunch(token: string): LaunchContext | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (typeof value !== "object" || value === null) return undefined;
    const v = value as Record<string, unknown>;
    if (typeof v.patient !== "string" || !/^[A-Za-z0-9\-.]{1,64}$/.test(v.patient)) return undefined;
    return {
      patient: v.patient,
      ...(typeof v.appContext === "string" ? { appContext: v.appContext } : {}),
      ...(v.deny === true ? { deny: true } : {}),
      ...(typeof v.expiresIn === "number" && v.expiresIn >= 0 ? { expiresIn: v.expiresIn } : {}),
    };
  } catch {
    return undefined;
  }
}
