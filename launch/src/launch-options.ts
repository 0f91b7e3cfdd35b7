/**
 * Which launch this is and what to ask the authorization server for (SMART App Launch 2.x):
 * - EHR launch:        launch.html?iss=<fhir base>&launch=<token>   → scope "launch"
 * - standalone launch: launch.html?iss=<fhir base>                  → scope "launch/patient"
 * - open server:       launch.html?fhirServiceUrl=<fhir base>&patientId=<id> (no authorization)
 * The resource scopes name exactly what the app reads (src/fhir/queries.ts + referenced Medications).
 */
import type { PkceMode } from "./launch-config";

export const RESOURCE_SCOPES = [
  "patient/Patient.rs",
  "patient/Observation.rs",
  "patient/MedicationStatement.rs",
  "patient/MedicationRequest.rs",
  "patient/Medication.rs",
  "patient/Condition.rs",
] as const;

export type LaunchKind = "ehr" | "standalone" | "open";

export class LaunchError extends Error {
  override name = "LaunchError";
}

export interface AuthorizeOptions {
  clientId: string;
  scope: string;
  redirectUri: string;
  pkceMode: PkceMode;
  iss?: string;
  launch?: string;
  fhirServiceUrl?: string;
  patientId?: string;
  /** Open-server launches only: stands in for the token response (carries `appContext`). */
  fakeTokenResponse?: { appContext: string };
}

export function scopeFor(kind: LaunchKind): string {
  const context = kind === "ehr" ? ["launch"] : kind === "standalone" ? ["launch/patient"] : [];
  return ["openid", "fhirUser", ...context, ...RESOURCE_SCOPES].join(" ");
}

function httpUrl(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new LaunchError(`The ${name} parameter is not a valid URL: "${value}".`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new LaunchError(`The ${name} parameter must be an http(s) URL.`);
  return value;
}

export function launchKind(params: URLSearchParams): LaunchKind {
  if (params.get("iss")) return params.get("launch") ? "ehr" : "standalone";
  if (params.get("fhirServiceUrl")) return "open";
  throw new LaunchError(
    "This app must be launched from an EHR (launch.html?iss=…&launch=…), standalone (launch.html?iss=<FHIR base URL>) " +
      "or against an open FHIR server (launch.html?fhirServiceUrl=<FHIR base URL>&patientId=<id>).",
  );
}

export function authorizeOptions(params: URLSearchParams, config: { clientId: string; pkceMode: PkceMode }): AuthorizeOptions {
  const kind = launchKind(params);
  const base = {
    clientId: params.get("clientId") || config.clientId,
    scope: scopeFor(kind),
    redirectUri: "index.html",
    pkceMode: config.pkceMode,
  };
  if (kind === "open") {
    const patientId = params.get("patientId");
    if (!patientId)
      throw new LaunchError("An open-server launch needs a patientId parameter (launch.html?fhirServiceUrl=…&patientId=<id>).");
    const appContext = params.get("appContext");
    return {
      ...base,
      fhirServiceUrl: httpUrl(params.get("fhirServiceUrl") ?? "", "fhirServiceUrl"),
      patientId,
      ...(appContext ? { fakeTokenResponse: { appContext } } : {}),
    };
  }
  const launch = params.get("launch");
  return { ...base, iss: httpUrl(params.get("iss") ?? "", "iss"), ...(launch ? { launch } : {}) };
}
