/**
 * Prometheus metrics (prom-client), one Registry per app instance (tests build many apps).
 * Label values come from closed sets (known service ids, patterns, indicators, status codes) so a
 * caller cannot blow up cardinality with made-up paths.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<"service" | "method" | "status">;
  httpDuration: Histogram<"service" | "method">;
  cards: Counter<"hook" | "pattern" | "indicator">;
  cardsSuppressed: Counter<"hook" | "pattern" | "indicator">;
  fhirFetchDuration: Histogram<"outcome">;
  fhirFetchErrors: Counter<"reason">;
  feedback: Counter<"service" | "outcome">;
  authFailures: Counter<"endpoint">;
  resourcesNotUsed: Counter<"reason">;
  searchesTruncated: Counter<"query">;
  feedbackStoreUp: Gauge;
}

/**
 * How often the event-loop delay of the default metrics (`…_eventloop_lag_*`) is sampled. prom-client's 10 ms wakes
 * the process 100 times a second: an idle service used ≈ 1.7 % of a core (17 ms of CPU per second), which every
 * pod pays and which counted in each fallback hook's CPU while it waited for the FHIR server. At 100 ms the idle
 * cost is ≈ 0.3 %, and a scrape interval still holds hundreds of samples for the percentiles.
 */
const EVENT_LOOP_SAMPLE_MS = 100;

export function createMetrics(options: { defaultMetrics?: boolean; prefix?: string } = {}): Metrics {
  const registry = new Registry();
  const p = options.prefix ?? "vitd_";
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: p, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: `${p}http_requests_total`,
      help: "HTTP requests by CDS service (discovery, a service id, <id>/feedback, metrics, healthz, other), method and status",
      labelNames: ["service", "method", "status"],
      registers,
    }),
    httpDuration: new Histogram({
      name: `${p}http_request_duration_seconds`,
      help: "HTTP request latency by CDS service and method",
      labelNames: ["service", "method"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    cards: new Counter({
      name: `${p}cards_total`,
      help: "Cards returned to CDS clients, by hook, pattern and indicator",
      labelNames: ["hook", "pattern", "indicator"],
      registers,
    }),
    cardsSuppressed: new Counter({
      name: `${p}cards_suppressed_total`,
      help: "Cards not shown because the clinician already overrode or accepted them (same evidence, indicator not higher)",
      labelNames: ["hook", "pattern", "indicator"],
      registers,
    }),
    fhirFetchDuration: new Histogram({
      name: `${p}fhir_fetch_duration_seconds`,
      help: "Fallback FHIR request latency (to response headers) by outcome (2xx, 4xx, 5xx, error, timeout)",
      labelNames: ["outcome"],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8],
      registers,
    }),
    fhirFetchErrors: new Counter({
      name: `${p}fhir_fetch_errors_total`,
      help: "Fallback FHIR requests that failed, by reason (http_4xx, http_5xx, network, timeout)",
      labelNames: ["reason"],
      registers,
    }),
    feedback: new Counter({
      name: `${p}feedback_total`,
      help: "Feedback items stored, by service and outcome",
      labelNames: ["service", "outcome"],
      registers,
    }),
    authFailures: new Counter({
      name: `${p}auth_failures_total`,
      help: "Requests rejected with 401, by endpoint kind (service, feedback)",
      labelNames: ["endpoint"],
      registers,
    }),
    resourcesNotUsed: new Counter({
      name: `${p}resources_not_used_total`,
      help: "FHIR resources left out of a hook call, by reason (malformed, status-unknown, unusable-observation)",
      labelNames: ["reason"],
      registers,
    }),
    feedbackStoreUp: new Gauge({
      name: `${p}feedback_store_up`,
      help: "1 when the feedback store answered the last readiness check, 0 when it did not",
      registers,
    }),
    searchesTruncated: new Counter({
      name: `${p}fhir_searches_truncated_total`,
      help: "Fallback searches cut short by FHIR_MAX_PAGES (data may be incomplete), by query key",
      labelNames: ["query"],
      registers,
    }),
  };
}
