/**
 * The FHIR queries this service needs, as data. Each is both a CDS Hooks prefetch template (advertised
 * in discovery) and the fallback query run against `fhirServer` when the EHR did not prefetch it.
 * They fetch only what the rules use (clinical-spec.md §2), newest first and bounded by `_count`
 * (CDS Hooks 2.0 has no date tokens; the fallback adds a date floor, see `lookbackDays`).
 */
import { labQueryGroups } from "../fhir/lab-query-codes";

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
  { key: "medicationStatements", template: "MedicationStatement?patient={{context.patientId}}&_include=MedicationStatement:medication&_count=100" },
  {
    key: "medicationRequests",
    template:
      "MedicationRequest?patient={{context.patientId}}&status=active,on-hold,completed,stopped&_include=MedicationRequest:medication&_count=100",
  },
  { key: "conditions", template: "Condition?patient={{context.patientId}}&clinical-status=active,recurrence,relapse&_count=100" },
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

/** The fallback query for `query`: tokens filled, plus the `date=ge…` floor when it has `lookbackDays`. */
export function fallbackQueryUrl(query: PrefetchQuery, context: { patientId: string; userId: string; encounterId?: string }, now: Date): string {
  let url = fillTemplate(query.template, context);
  if (query.lookbackDays !== undefined) {
    url += `&date=ge${new Date(now.getTime() - query.lookbackDays * DAY_MS).toISOString().slice(0, 10)}`;
  }
  return url;
}
