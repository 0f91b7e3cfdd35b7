/** GET /metrics (Prometheus text): requests by service and status, latency, cards, FHIR fetches, feedback. */
import request from "supertest";
import { buildTestApp } from "../helpers/test-app";
import { ACCESS_TOKEN, FHIR_BASE, fullPrefetch, patientViewBody } from "../../devkit/hook-requests";
import { toxicity10000Daily } from "../fixtures/hooks";
import { serviceLabel } from "../../src/metrics/http-metrics";
import type { FetchFn } from "../../src/net/outbound";
import perfHooks from "node:perf_hooks";
import { createMetrics } from "../../src/metrics/metrics";

const SERVICE = "/cds-services/vitd-patient-view";
const toxicityHook = patientViewBody({
  fhirServer: null,
  patientId: "pat-2",
  prefetch: fullPrefetch(toxicity10000Daily.patient, toxicity10000Daily.resources),
});

/** The value of one sample line, e.g. `vitd_cards_total{hook="patient-view",...}`; 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split("\n").find((l) => {
    if (!l.startsWith(`${name}{`) && !l.startsWith(`${name} `)) return false;
    return want.every((w) => l.includes(w));
  });
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
}

const metricsText = async (app: ReturnType<typeof buildTestApp>) => {
  const res = await request(app).get("/metrics");
  expect(res.status).toBe(200);
  expect(res.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text;
};

it("counts requests by service and status, and times them", async () => {
  const app = buildTestApp();
  await request(app).get("/cds-services");
  await request(app).post(SERVICE).send(toxicityHook);
  await request(app).post(SERVICE).send({ hook: "patient-view" });
  await request(app).post("/cds-services/made-up-id").send({});
  const text = await metricsText(app);
  expect(sample(text, "vitd_http_requests_total", { service: "discovery", method: "GET", status: "200" })).toBe(1);
  expect(sample(text, "vitd_http_requests_total", { service: "vitd-patient-view", status: "200" })).toBe(1);
  expect(sample(text, "vitd_http_requests_total", { service: "vitd-patient-view", status: "400" })).toBe(1);
  expect(sample(text, "vitd_http_requests_total", { service: "unknown-service", status: "404" })).toBe(1);
  expect(sample(text, "vitd_http_request_duration_seconds_count", { service: "vitd-patient-view", method: "POST" })).toBe(2);
  expect(sample(text, "vitd_http_request_duration_seconds_bucket", { service: "vitd-patient-view", le: "+Inf" })).toBe(2);
});

it("counts cards by pattern and indicator, and feedback by outcome", async () => {
  const app = buildTestApp();
  const res = await request(app).post(SERVICE).send(toxicityHook);
  const uuid = res.body.cards[0].uuid as string;
  await request(app)
    .post(`${SERVICE}/feedback`)
    .send({
      feedback: [
        { card: uuid, outcome: "overridden", outcomeTimestamp: "2026-06-01T12:00:00Z" },
        { card: "x", outcome: "accepted", acceptedSuggestions: [{ id: "s" }], outcomeTimestamp: "2026-06-01T12:00:00Z" },
      ],
    });
  await request(app).post(SERVICE).send(toxicityHook); // now suppressed
  const text = await metricsText(app);
  expect(sample(text, "vitd_cards_total", { hook: "patient-view", pattern: "vitamin-d-toxicity", indicator: "critical" })).toBe(1);
  expect(sample(text, "vitd_cards_suppressed_total", { pattern: "vitamin-d-toxicity", indicator: "critical" })).toBe(1);
  expect(sample(text, "vitd_feedback_total", { service: "vitd-patient-view", outcome: "overridden" })).toBe(1);
  expect(sample(text, "vitd_feedback_total", { service: "vitd-patient-view", outcome: "accepted" })).toBe(1);
});

it("times fallback FHIR fetches and counts their errors", async () => {
  const calls: string[] = [];
  const fetchImpl: FetchFn = (input) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    calls.push(url);
    if (url.includes("/Patient/")) return Promise.resolve(new Response(JSON.stringify(toxicity10000Daily.patient), { status: 200 }));
    if (url.includes("Condition?")) return Promise.reject(new TypeError("fetch failed"));
    return Promise.resolve(new Response("{}", { status: 503 }));
  };
  const app = buildTestApp({ fetchImpl });
  const res = await request(app)
    .post(SERVICE)
    .send(patientViewBody({ fhirServer: FHIR_BASE }));
  expect(res.status).toBe(502);
  expect(calls.length).toBeGreaterThan(2);
  const text = await metricsText(app);
  expect(sample(text, "vitd_fhir_fetch_duration_seconds_count", { outcome: "2xx" })).toBe(1);
  expect(sample(text, "vitd_fhir_fetch_duration_seconds_count", { outcome: "5xx" })).toBe(calls.length - 2);
  expect(sample(text, "vitd_fhir_fetch_errors_total", { reason: "http_5xx" })).toBe(calls.length - 2);
  expect(sample(text, "vitd_fhir_fetch_errors_total", { reason: "network" })).toBe(1);
  expect(text).not.toContain(ACCESS_TOKEN);
});

it("each app has its own registry", async () => {
  const a = buildTestApp();
  const b = buildTestApp();
  await request(a).get("/cds-services");
  expect(sample(await metricsText(a), "vitd_http_requests_total", { service: "discovery" })).toBe(1);
  expect(sample(await metricsText(b), "vitd_http_requests_total", { service: "discovery" })).toBe(0);
});

it.each([
  ["/cds-services", "discovery"],
  ["/cds-services/vitd-order-sign", "vitd-order-sign"],
  ["/cds-services/vitd-order-sign/feedback", "vitd-order-sign/feedback"],
  ["/cds-services/%3Cscript%3E", "unknown-service"],
  ["/cds-services/a/b/c", "other"],
  ["/smart/launch.html", "other"],
  ["/metrics", "metrics"],
])("service label of %s is %s (closed set: no cardinality blow-up)", (path, label) => {
  expect(serviceLabel(path)).toBe(label);
});

it("samples the event-loop delay every 100 ms, not prom-client's 10 ms (100 wake-ups a second cost an idle pod 1.7 % of a core)", async () => {
  const monitor = jest.spyOn(perfHooks, "monitorEventLoopDelay");
  try {
    const metrics = createMetrics({ defaultMetrics: true });
    expect(monitor).toHaveBeenCalledWith(expect.objectContaining({ resolution: 100 }));
    expect(monitor.mock.calls.every(([o]) => (o?.resolution ?? 10) >= 100)).toBe(true);
    expect(await metrics.registry.metrics()).toContain("vitd_nodejs_eventloop_lag_p99_seconds");
  } finally {
    monitor.mockRestore();
  }
});
