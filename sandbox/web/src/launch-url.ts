/** Pure helpers of the simulator page: the SMART launch URL of a card link or of the launch button, and a patient's name. */

export interface LaunchUrlInput {
  /** The simulator page's origin (where /smart-auth is mounted). */
  origin: string;
  /** The app's launch page: a card link's `url`, or the sandbox's own /smart/launch.html. */
  appLaunchUrl: string;
  patientId: string;
  /** A card link's `appContext`, handed to the app (token response, or URL parameter in open-server mode). */
  appContext?: string | undefined;
  /** EHR launch through the sandbox's SMART authorization server (its FHIR server); else an open-server launch. */
  ehrLaunch: boolean;
  /** The FHIR server for an open-server launch. */
  fhirUrl: string;
}

/**
 * EHR launch: `/smart-auth/launch?app=…&patient=…[&appContext=…]`, which redirects to the app with `iss` and a signed
 * `launch` token (the appContext comes back in the token response, as an EHR does it).
 * Open server: the app's launch page with `fhirServiceUrl`, `patientId` and `appContext`.
 */
export function smartLaunchUrl(input: LaunchUrlInput): string {
  if (input.ehrLaunch) {
    const url = new URL("/smart-auth/launch", input.origin);
    url.searchParams.set("app", input.appLaunchUrl);
    url.searchParams.set("patient", input.patientId);
    if (input.appContext !== undefined) url.searchParams.set("appContext", input.appContext);
    return url.toString();
  }
  const url = new URL(input.appLaunchUrl, input.origin);
  url.searchParams.set("fhirServiceUrl", input.fhirUrl);
  url.searchParams.set("patientId", input.patientId);
  if (input.appContext !== undefined) url.searchParams.set("appContext", input.appContext);
  return url.toString();
}

/** "Margaret Ellison" from a FHIR HumanName list (official first, then usual, then any); undefined when there is none. */
export function humanName(names: unknown): string | undefined {
  if (!Array.isArray(names)) return undefined;
  const list = names.filter(
    (n): n is { use?: unknown; text?: unknown; given?: unknown; family?: unknown } => typeof n === "object" && n !== null,
  );
  const pick = list.find((n) => n.use === "official") ?? list.find((n) => n.use === "usual") ?? list[0];
  if (!pick) return undefined;
  if (typeof pick.text === "string" && pick.text.trim()) return pick.text.trim();
  const given = Array.isArray(pick.given) ? pick.given.filter((g): g is string => typeof g === "string") : [];
  const family = typeof pick.family === "string" ? pick.family : "";
  const full = [...given, family].join(" ").trim();
  return full || undefined;
}
