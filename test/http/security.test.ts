/** Rate limit and request timeout middleware, on a minimal Express app with the real error handler. */
import express from "express";
import pino from "pino";
import request from "supertest";
import { errorHandler } from "../../src/http/error-handler";
import { rateLimit, requestTimeout } from "../../src/http/security";

/** The /late handler waits for `release`, then tries to answer; `settled` resolves once it has tried. */
let release: () => void = () => undefined;
let settled: Promise<unknown> = Promise.resolve();

function appWith(...mw: express.RequestHandler[]) {
  const app = express();
  app.set("trust proxy", true); // lets tests pose as different client IPs via X-Forwarded-For
  app.use(...mw);
  app.get("/ok", (_req, res) => {
    res.json({ ok: true });
  });
  app.get("/never", () => undefined); // a handler that never answers
  app.get("/late", async (_req, res) => {
    const gate = new Promise<void>((r) => (release = r));
    const attempt = gate.then(() => {
      res.json({ late: true });
    });
    settled = attempt.catch(() => undefined);
    await attempt; // throws ERR_HTTP_HEADERS_SENT → Express → error handler (headersSent guard)
  });
  app.use(errorHandler(pino({ level: "silent" })));
  return app;
}

describe("rateLimit", () => {
  it("is off (undefined) when the limit is 0 — the default", () => {
    expect(rateLimit({ perMinute: 0 })).toBeUndefined();
  });

  it("allows N requests per minute per client IP, then 429 with Retry-After until the window turns", async () => {
    let t = 60_000 * 1000 + 15_000; // 15 s into a minute
    const app = appWith(rateLimit({ perMinute: 3, now: () => t })!);
    const from = (ip: string) => request(app).get("/ok").set("X-Forwarded-For", ip);
    for (let i = 0; i < 3; i++) expect((await from("10.0.0.1")).status).toBe(200);
    const limited = await from("10.0.0.1");
    expect(limited.status).toBe(429);
    expect(limited.headers["retry-after"]).toBe("45");
    expect(limited.body).toMatchObject({ error: "too_many_requests" });
    expect((await from("10.0.0.2")).status).toBe(200); // another client has its own budget
    t += 45_000; // next minute
    const again = await from("10.0.0.1");
    expect(again.status).toBe(200);
    expect(again.headers["ratelimit-remaining"]).toBe("2");
  });

  it("tracks at most maxClients per window (memory bound); others pass unlimited", async () => {
    const app = appWith(rateLimit({ perMinute: 1, now: () => 0, maxClients: 1 })!);
    await request(app).get("/ok").set("X-Forwarded-For", "10.0.0.1");
    expect((await request(app).get("/ok").set("X-Forwarded-For", "10.0.0.1")).status).toBe(429);
    expect((await request(app).get("/ok").set("X-Forwarded-For", "10.0.0.9")).status).toBe(200);
    expect((await request(app).get("/ok").set("X-Forwarded-For", "10.0.0.9")).status).toBe(200);
  });
});

describe("requestTimeout", () => {
  it("answers 503 JSON with a field when the handler does not answer in time", async () => {
    const res = await request(appWith(requestTimeout(30))).get("/never");
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: "request_timeout", message: "The request was not completed within 30 ms", field: "(request)" });
  });

  it("a late answer after the timeout is discarded without crashing; fast requests are untouched", async () => {
    const app = appWith(requestTimeout(20));
    expect((await request(app).get("/late")).status).toBe(503);
    release();
    await settled;
    expect((await request(app).get("/ok")).body).toEqual({ ok: true });
  });
});
