/**
 * The hook endpoint (src/http/hook-endpoint.ts) takes POST /cds-services/{id} ahead of express's router, and the
 * security headers are replayed from a recording (src/http/static-headers.ts): hook answers must carry exactly
 * the headers, checks and answers they had through the general chain.
 */
import express, { type RequestHandler } from "express";
import pino from "pino";
import request from "supertest";
import { fullPrefetch, patientViewBody } from "../../devkit/hook-requests";
import { deficientOn50000Weekly } from "../fixtures/hooks";
import { cdsCors } from "../../src/http/cors";
import { hookEndpoint } from "../../src/http/hook-endpoint";
import { securityHeaderLayers } from "../../src/http/security";
import { recordHeaders, replayHeaders } from "../../src/http/static-headers";
import { errorHandler } from "../../src/http/error-handler";
import { buildTestApp } from "../helpers/test-app";

/** Response headers that vary per response or per app rather than per middleware. */
const VARYING = new Set(["date", "connection", "keep-alive", "content-length", "content-type", "etag"]);
const fixedHeaders = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).filter(([k]) => !VARYING.has(k)));

function appWith(handlers: RequestHandler[]) {
  const app = express();
  app.disable("x-powered-by");
  app.use(...handlers);
  app.get("/x", (_req, res) => {
    res.json({ ok: true });
  });
  return app;
}

describe("security headers replayed from a recording", () => {
  const layers = () => [...securityHeaderLayers.base(), ...securityHeaderLayers.api(), cdsCors];

  it("set exactly what helmet, no-store and CORS set when they run on the request", async () => {
    const live = await request(appWith(layers())).get("/x");
    const replayed = await request(appWith([replayHeaders(recordHeaders(layers()))])).get("/x");
    expect(Object.keys(fixedHeaders(live.headers)).length).toBeGreaterThanOrEqual(15);
    expect(fixedHeaders(replayed.headers)).toEqual(fixedHeaders(live.headers));
  });

  it("a later layer's value replaces an earlier one in place, a removal is replayed, and set-after-remove wins", () => {
    const set =
      (name: string, value: string): RequestHandler =>
      (_req, res, next) => {
        res.setHeader(name, value);
        next();
      };
    const remove =
      (name: string): RequestHandler =>
      (_req, res, next) => {
        res.removeHeader(name);
        next();
      };
    const list = recordHeaders([set("A", "1"), set("B", "2"), set("a", "3"), remove("X-Powered-By"), remove("C"), set("C", "4")]);
    expect(list.set).toEqual([
      ["A", "3"],
      ["B", "2"],
      ["C", "4"],
    ]);
    expect(list.removed).toEqual(["x-powered-by"]);
  });

  it("refuses a middleware that does not go on at once (its headers could depend on the request)", () => {
    const later: RequestHandler = (_req, _res, next) => void setImmediate(next);
    expect(() => recordHeaders([later])).toThrow(/synchronously/);
  });
});

describe("hook calls through the hook endpoint", () => {
  const app = buildTestApp();
  const { patient, resources } = deficientOn50000Weekly;
  const body = () => JSON.stringify(patientViewBody({ fhirServer: null, prefetch: fullPrefetch(patient, resources) }));

  it("a hook answer carries the same security and CORS headers as discovery (the general chain)", async () => {
    const discovery = await request(app).get("/cds-services");
    const hook = await request(app).post("/cds-services/vitd-patient-view").set("content-type", "application/json").send(body());
    expect(hook.status).toBe(200);
    expect(hook.headers["cache-control"]).toBe("no-store");
    expect(hook.headers["access-control-allow-origin"]).toBe("*");
    expect(fixedHeaders(hook.headers)).toEqual(fixedHeaders(discovery.headers));
  });

  it("the path forms express's router accepted still reach the hook: any case, a trailing slash, a query string", async () => {
    for (const path of ["/CDS-Services/vitd-patient-view", "/cds-services/vitd-patient-view/", "/cds-services/vitd-patient-view?x=1"]) {
      const res = await request(app).post(path).set("content-type", "application/json").send(body());
      expect([path, res.status, res.body.cards?.[0]?.source?.topic?.code]).toEqual([path, 200, "repletion-cramp"]);
    }
  });

  it("an unknown service → 404, a second path segment is not a hook (→ 404 from the general chain)", async () => {
    const unknown = await request(app).post("/cds-services/nope").set("content-type", "application/json").send(body());
    expect([unknown.status, unknown.body.error]).toEqual([404, "not_found"]);
    const deeper = await request(app).post("/cds-services/vitd-patient-view/more").set("content-type", "application/json").send(body());
    expect([deeper.status, deeper.body.error]).toEqual([404, "not_found"]);
  });

  it("a service id that is not valid percent-encoding → 400 naming the path, never 500 (hook and feedback)", async () => {
    for (const path of ["/cds-services/%E0%A4%A", "/cds-services/%E0%A4%A/feedback"]) {
      const res = await request(app).post(path).set("content-type", "application/json").send("{}");
      expect([path, res.status, res.body.error, res.body.field]).toEqual([path, 400, "invalid_request", "(path)"]);
    }
  });

  it("a step that throws or rejects becomes the error handler's answer; other methods and paths go on", async () => {
    const logger = pino({ level: "silent" });
    const thrower: RequestHandler = () => {
      throw new Error("boom");
    };
    const rejecter: RequestHandler = () => Promise.reject(new Error("async boom"));
    const build = (step: RequestHandler) => {
      const a = express();
      a.use(hookEndpoint({ common: [], hook: [step], onError: errorHandler(logger) }));
      a.use((_req, res) => {
        res.status(299).json({ general: true });
      });
      return a;
    };
    for (const step of [thrower, rejecter]) {
      const res = await request(build(step)).post("/cds-services/x").send({});
      expect([res.status, res.body.error]).toEqual([500, "internal_error"]);
    }
    expect((await request(build(thrower)).get("/cds-services/x")).status).toBe(299);
    expect((await request(build(thrower)).post("/cds-services")).status).toBe(299);
  });
});
