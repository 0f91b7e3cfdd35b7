/**
 * The FHIR queries this service needs, as data. Each is both a CDS Hooks prefetch template (advertised
 * in discovery) and the fallback query run against `fhirServer` when the EHR did not prefetch it.
 * They fetch only what the rules use (docs/clinical-logic.md), newest first (`_sort=-date`,
 * `-effective`, `-authoredon`, `-recorded-date`) and bounded by `_count`, so a page limit drops the
 * oldest data, never the newest (CDS Hooks 2.0 has no date tokens; the fallback adds a date floor to
 * Observation searches only, see `lookbackDays`: a floor on orders would drop active orders without
 * `authoredOn`). Conditions are not filtered by clinical status: a problem-list entry without one
 * counts as active, and the server would leave it out.
 * `fallbackQueryUrl` is the one builder of the URLs actually sent — by the service's fallback fetch
 * and by the SMART app — and percent-encodes every query value (`code=http%3A%2F%2Floinc.org%7C…`),
 * so a FHIR proxy that collapses `//` cannot break a token; discovery shows the templates readable.
 */
import { labQueryGroups } from "./lab-query-codes";

export interface PrefetchQuery {
  key: string;
  /** FHIR query with CDS Hooks tokens, e.g. "Patient/{{context.patientId}}". */
  template: string;
  /** Fallback only: add `date=ge<now - lookbackDays>` to bound the search in time. */
  lookbackDays?: number;
}

const observationQuery = (tokens: readonly string[], count: number) =>
  `Observation?patient={{context.patientId}}&code=${tokens.join(",")}&_sort=-date&_count=${count}`;

export const prefetchQueries: readonly PrefetchQuery[] = [
  { key: "patient", template: "Patient/{{context.patientId}}" },
  { key: "vitaminD", template: observationQuery(labQueryGroups.vitaminD, 20), lookbackDays: 400 },
  { key: "calcium", template: observationQuery(labQueryGroups.calcium, 40), lookbackDays: 400 },
  { key: "magnesium", template: observationQuery(labQueryGroups.magnesium, 20), lookbackDays: 400 },
  { key: "renal", template: observationQuery(labQueryGroups.renal, 10), lookbackDays: 400 },
  { key: "relatedLabs", template: observationQuery(labQueryGroups.related, 10), lookbackDays: 400 },
  {
    key: "medicationStatements",
    template: "MedicationStatement?patient={{context.patientId}}&_include=MedicationStatement:medication&_sort=-effective&_count=100",
  },
  {
    key: "medicationRequests",
    template:
      "MedicationRequest?patient={{context.patientId}}&status=active,on-hold,completed,stopped&_include=MedicationRequest:medication&_sort=-authoredon&_count=100",
  },
  { key: "conditions", template: "Condition?patient={{context.patientId}}&_sort=-recorded-date&_count=100" },
];

export type PrefetchTemplates = Record<string, string>;

export const prefetchTemplates: PrefetchTemplates = Object.fromEntries(prefetchQueries.map((q) => [q.key, q.template]));

/** Substitutes the {{context.*}} tokens this service uses. Values are FHIR ids (validated), URL-encoded anyway. */
export function fillTemplate(template: string, context: { patientId: string; userId: string; encounterId?: string }): string {
  return template.replace(/\{\{\s*context\.(\w+)\s*\}\}/g, (_, name: string) => {
    const value = (context as Record<string, string | undefined>)[name];
    if (value === undefined) throw new Error(`prefetch token context.${name} has no value`);
    return encodeURIComponent(value);
  });
}

const DAY_MS = 86_400_000;

/** A query value percent-encoded, commas kept (FHIR's OR separator, decoded the same by every server). */
const encodeValue = (value: string): string => encodeURIComponent(value).replace(/%2C/gi, ",");

/**
 * The URL sent for `query` (relative to the FHIR base): tokens filled, the `date=ge…` floor added when it
 * has `lookbackDays`, every query value percent-encoded.
 */
export function fallbackQueryUrl(
  query: PrefetchQuery,
  context: { patientId: string; userId: string; encounterId?: string },
  now: Date,
): string {
  const filled = fillTemplate(query.template, context);
  const [path = "", search] = filled.split("?", 2);
  if (search === undefined) return filled;
  const pairs = search.split("&").map((pair) => {
    const eq = pair.indexOf("=");
    return eq < 0 ? pair : `${pair.slice(0, eq)}=${encodeValue(decodeURIComponent(pair.slice(eq + 1)))}`;
  });
  if (query.lookbackDays !== undefined)
    pairs.push(`date=ge${new Date(now.getTime() - query.lookbackDays * DAY_MS).toISOString().slice(0, 10)}`);
  return `${path}?${pairs.join("&")}`;
}
