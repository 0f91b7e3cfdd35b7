/**
 * Turns whatever went wrong (OAuth error in the redirect, HTTP errors from the FHIR server,
 * network failures, launch mistakes) into a message a clinician can act on. Table-driven.
 */
import { LaunchError } from "./launch-options";

export interface ErrorView {
  title: string;
  message: string;
  /** Technical detail for support (shown collapsed). */
  detail?: string;
}

/** Errors an authorization server may put in the redirect (RFC 6749 §4.1.2.1). */
const OAUTH_ERRORS: Record<string, ErrorView> = {
  access_denied: {
    title: "Access was not granted",
    message:
      "Consent to read this patient's record was denied, so the app cannot show anything. Relaunch the app and approve access to continue.",
  },
  invalid_scope: {
    title: "Authorization failed",
    message:
      "The authorization server did not accept the permissions this app asks for. Ask your EHR administrator to check the app registration.",
  },
  unauthorized_client: {
    title: "Authorization failed",
    message: "This app is not registered with the authorization server (check SMART_CLIENT_ID).",
  },
};

export function describeOAuthError(error: string, description: string | null): ErrorView {
  const known = OAUTH_ERRORS[error] ?? {
    title: "Authorization failed",
    message: "The authorization server refused the launch. Relaunch the app from the EHR; if it keeps failing, contact support.",
  };
  return { ...known, detail: description ? `${error}: ${description}` : error };
}

const HTTP_STATUS: { test: (status: number) => boolean; view: ErrorView }[] = [
  {
    test: (s) => s === 401,
    view: {
      title: "Session expired",
      message: "Your session has expired or the access token was rejected (HTTP 401). Relaunch the app from the EHR to sign in again.",
    },
  },
  {
    test: (s) => s === 403,
    view: { title: "Access refused", message: "The FHIR server refused access to part of this patient's record (HTTP 403)." },
  },
  {
    test: (s) => s === 404,
    view: {
      title: "Patient not found",
      message: "The FHIR server does not know this patient (HTTP 404). Check the patient in context and relaunch.",
    },
  },
  {
    test: (s) => s >= 500,
    view: {
      title: "FHIR server error",
      message: "The FHIR server failed to answer. Try again in a few minutes; if it persists, contact support.",
    },
  },
];

function statusOf(e: unknown): number | undefined {
  const status = (e as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

export function describeError(e: unknown, serverUrl?: string): ErrorView {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof LaunchError) return { title: "The app was not launched correctly", message };
  const status = statusOf(e);
  if (status !== undefined) {
    const view = HTTP_STATUS.find((s) => s.test(status))?.view;
    if (view) return { ...view, detail: message };
  }
  const unreachable = {
    title: "FHIR server unreachable",
    message: `The FHIR server${serverUrl ? ` (${serverUrl})` : ""} could not be reached. Check that it is running and reachable from this browser, then relaunch.`,
    detail: message,
  };
  if (e instanceof TypeError && /fetch|network|load failed/i.test(message)) return unreachable;
  // authorize(): neither .well-known/smart-configuration nor /metadata answered.
  if (/Failed to fetch the conformance statement/i.test(message)) {
    return { ...unreachable, message: `${unreachable.message} (It did not answer SMART discovery or /metadata.)` };
  }
  if (/no 'state' parameter|no state found/i.test(message)) {
    return {
      title: "The app was not launched correctly",
      message: "Open this app through a SMART launch (from the EHR, or launch.html).",
      detail: message,
    };
  }
  return { title: "The app could not load", message: "Something went wrong while loading this patient's data.", detail: message };
}
