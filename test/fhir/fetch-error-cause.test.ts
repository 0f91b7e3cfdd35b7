/** A failed FHIR read keeps the original error as `cause` (logged by the error handler, never sent to the client). */
import express from "express";
import pino from "pino";
import request from "supertest";
import { CdsError } from "../../src/errors";
import { fhirRead } from "../../src/fhir/fhir-fetch";
import { errorHandler } from "../../src/http/error-handler";
import { fetchHttpGet } from "../../src/net/http-get";
import { Limiter } from "../../src/net/limiter";
import type { FetchFn } from "../../src/net/outbound";

const options = (fetchImpl: FetchFn) => ({
  baseUrl: "http://fhir.test/r4",
  signal: AbortSignal.timeout(5_000),
  maxPages: 1,
  httpGet: fetchHttpGet(fetchImpl),
  maxResponseBytes: 1_000_000,
  limiter: new Limiter(2),
});

describe("FHIR errors keep their cause", () => {
  it("a refused connection: 502 whose cause is the network error, not a string in the message", async () => {
    const refused = Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });
    const error = await fhirRead(
      "Patient/p",
      options(() => Promise.reject(refused)),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CdsError);
    expect(error).toMatchObject({ code: "fhir_server_error", status: 502, cause: refused });
    expect((error as CdsError).message).not.toContain("fetch failed");
    expect((error as CdsError).toBody()).not.toHaveProperty("cause");
  });

  it("invalid JSON: the parse error is the cause", async () => {
    const error = await fhirRead(
      "Patient/p",
      options(() => Promise.resolve(new Response("{not json", { status: 200 }))),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "fhir_server_error", cause: expect.any(SyntaxError) });
  });

  it("the error handler logs the cause", async () => {
    const lines: string[] = [];
    const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(line) });
    const app = express();
    app.get("/x", () => {
      throw new CdsError("fhir_server_error", "FHIR server unreachable (fhir.test)", [], {
        cause: new Error("connect ECONNREFUSED 10.0.0.1:443"),
      });
    });
    app.use(errorHandler(logger));
    const res = await request(app).get("/x");
    expect(res.status).toBe(502);
    expect(JSON.stringify(res.body)).not.toContain("ECONNREFUSED");
    expect(lines.join("")).toContain("connect ECONNREFUSED 10.0.0.1:443");
  });
});
