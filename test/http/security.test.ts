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

  describe("with the clock under test control", () => {
    // Fixed windows run on timers: fake ones, advanced explicitly (no sleeping); network ticks stay real.
    beforeEach(() => jest.useFakeTimers({ doNotFake: ["nextTick", "setImmediate", "queueMicrotask"], now: 60_000 * 1000 }));
    afterEach(() => jest.useRealTimers());

    it("allows N requests per minute per client IP, then 429 with Retry-After until the window turns", async () => {
      const app = appWith(rateLimit({ perMinute: 3 })!);
      const from = (ip: string) => request(app).get("/ok").set("X-Forwarded-For", ip);
      for (let i = 0; i < 3; i++) expect((await from("10.0.0.1")).status).toBe(200);
      jest.advanceTimersByTime(15_000);
      const limited = await from("10.0.0.1");
      expect(limited.status).toBe(429);
      expect(limited.headers["retry-after"]).toBe("45");
      expect(limited.body).toMatchObject({ error: "too_many_requests" });
      expect((await from("10.0.0.2")).status).toBe(200); // another client has its own budget
      jest.advanceTimersByTime(46_000); // the window has turned
      const again = await from("10.0.0.1");
      expect(again.status).toBe(200);
      expect(again.headers["ratelimit-remaining"]).toBe("2");
    });

    it("IPv6 clients in one /56 share a budget (one host cannot rotate through its subnet)", async () => {
      const app = appWith(rateLimit({ perMinute: 1 })!);
      const from = (ip: string) => request(app).get("/ok").set("X-Forwarded-For", ip);
      expect((await from("2001:db8:0:1::1")).status).toBe(200);
      expect((await from("2001:db8:0:2::7")).status).toBe(429);
      expect((await from("2001:db8:0:100::1")).status).toBe(200); // another /56
    });
  });
});

describe("requestTimeout", () => {
  const handler = errorHandler(pino({ level: "silent" }));

  it("answers 503 JSON with a field and Retry-After through the error handler when the handler does not answer in time", async () => {
    const res = await request(appWith(requestTimeout(30, handler))).get("/never");
    expect(res.status).toBe(503);
    expect(res.headers["retry-after"]).toBe("5");
    expect(res.body).toEqual({
      error: "request_timeout",
      message: "The request was not completed within 30 ms",
      field: "(request)",
      issues: [{ field: "(request)", message: "not completed within 30 ms" }],
    });
  });

  it("the 503 is written by the error handler it is given (one place turns errors into responses)", async () => {
    const seen: unknown[] = [];
    const spy: typeof handler = (err, req, res, next) => {
      seen.push(err);
      handler(err, req, res, next);
    };
    expect((await request(appWith(requestTimeout(30, spy))).get("/never")).status).toBe(503);
    expect(seen).toEqual([expect.objectContaining({ code: "request_timeout", status: 503 })]);
  });

  it("a late answer after the timeout is discarded without crashing; fast requests are untouched", async () => {
    const app = appWith(requestTimeout(20, handler));
    expect((await request(app).get("/late")).status).toBe(503);
    release();
    await settled;
    expect((await request(app).get("/ok")).body).toEqual({ ok: true });
  });
});
