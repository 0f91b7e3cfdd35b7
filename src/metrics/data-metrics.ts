/**
 * A pipeline observer reporting the data a hook call could not use: every unreadable resource and every
 * unusable observation is counted (`resources_not_used_total{reason}`) and logged with its type and id
 * and the field at fault — never a value — and every search cut short by the page limit is counted
 * (`fhir_searches_truncated_total{query}`) and logged. The cards list the same items for the clinician.
 */
import type { Logger } from "pino";
import type { CardStages } from "../cds/pipeline";
import type { Metrics } from "./metrics";

/** Closed label sets: a query key is one of the prefetch keys, everything else is "other". */
const QUERY_KEYS = new Set([
  "patient",
  "vitaminD",
  "calcium",
  "magnesium",
  "renal",
  "relatedLabs",
  "medicationStatements",
  "medicationRequests",
  "conditions",
]);

export function dataReportObserver(metrics: Metrics, logger: Logger): NonNullable<CardStages["observers"]>[number] {
  return (_outcome, { req, result }) => {
    const { notUsed, ignoredObservations, truncated } = result.facts;
    for (const r of notUsed) {
      metrics.resourcesNotUsed.inc({ reason: r.reason });
      logger.info({ hookInstance: req.hookInstance, resource: r.ref, reason: r.reason, field: r.detail }, "resource not used");
    }
    for (const o of ignoredObservations) {
      const reason = o.reason.startsWith("status ") ? "status-unknown" : "unusable-observation";
      metrics.resourcesNotUsed.inc({ reason });
      logger.info({ hookInstance: req.hookInstance, resource: o.id, reason }, "observation not used");
    }
    for (const t of truncated) {
      metrics.searchesTruncated.inc({ query: QUERY_KEYS.has(t.query) ? t.query : "other" });
      logger.warn(
        { hookInstance: req.hookInstance, query: t.query, pages: t.pages },
        "search truncated at the page limit: data may be incomplete",
      );
    }
  };
}
