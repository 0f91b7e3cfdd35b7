/** /healthz is liveness (no dependency asked); /readyz is readiness: store answering and not shutting down. */
import request from "supertest";
import { SqliteFeedbackStore } from "../../src/feedback/sqlite-store";
import { buildTestApp } from "../helpers/test-app";

it("ready while the store answers; 503 + Retry-After once it is closed, while /healthz stays 200; the gauge follows", async () => {
  const store = new SqliteFeedbackStore(":memory:");
  const app = buildTestApp({ feedbackStore: store });
  expect((await request(app).get("/readyz")).body).toEqual({ status: "ready", service: "vitd-cds" });
  expect((await request(app).get("/metrics")).text).toMatch(/vitd_feedback_store_up 1/);
  await store.close();
  const ready = await request(app).get("/readyz");
  expect([ready.status, ready.body.reason, ready.headers["retry-after"]]).toEqual([503, "feedback store unavailable", "5"]);
  expect((await request(app).get("/healthz")).status).toBe(200);
  expect((await request(app).get("/metrics")).text).toMatch(/vitd_feedback_store_up 0/);
});

it("not ready once shutdown has begun", async () => {
  let shuttingDown = false;
  const app = buildTestApp({ isShuttingDown: () => shuttingDown });
  expect((await request(app).get("/readyz")).status).toBe(200);
  shuttingDown = true;
  const res = await request(app).get("/readyz");
  expect([res.status, res.body.reason]).toEqual([503, "shutting down"]);
  expect((await request(app).get("/healthz")).status).toBe(200);
});

it("feedback while the store is down → 503 with Retry-After, never 500", async () => {
  const store = new SqliteFeedbackStore(":memory:");
  const app = buildTestApp({ feedbackStore: store });
  await store.close();
  const res = await request(app)
    .post("/cds-services/vitd-patient-view/feedback")
    .send({ feedback: [{ card: "c1", outcome: "overridden", outcomeTimestamp: "2026-06-01T11:00:00Z" }] });
  expect([res.status, res.body.error, res.headers["retry-after"]]).toEqual([503, "service_unavailable", "5"]);
});

describe("CDS_TRUST_PROXY", () => {
  const hit = (app: ReturnType<typeof buildTestApp>, forwardedFor: string) =>
    request(app).get("/cds-services").set("X-Forwarded-For", forwardedFor);

  it("off (default): every client behind one proxy shares one rate-limit bucket", async () => {
    const app = buildTestApp({ config: { rateLimitPerMinute: 1 } });
    expect((await hit(app, "203.0.113.1")).status).toBe(200);
    expect((await hit(app, "203.0.113.2")).status).toBe(429);
  });

  it("loopback trusted: clients are told apart by X-Forwarded-For", async () => {
    const app = buildTestApp({ config: { rateLimitPerMinute: 1, trustProxy: "loopback" } });
    expect((await hit(app, "203.0.113.1")).status).toBe(200);
    expect((await hit(app, "203.0.113.2")).status).toBe(200);
    expect((await hit(app, "203.0.113.1")).status).toBe(429);
  });
});
