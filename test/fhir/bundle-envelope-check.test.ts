/**
 * A search reply's Bundle envelope is checked by the generated check-only validator: zod (which copies every
 * field of every entry) runs only for an envelope that validator rejects, to name the field in the 502.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fhirSearchAll } from "../../src/fhir/fhir-fetch";
import { bundleEnvelopeSchema } from "../../src/fhir/resource-schemas";
import { nodeHttpGet } from "../../src/net/http-get";
import { Limiter } from "../../src/net/limiter";

const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ resource: { resourceType: "Observation", id: `o${i}` } }));

let server: http.Server;
let base = "";
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const bundle = req.url?.includes("malformed")
      ? { resourceType: "Bundle", entry: { resource: { resourceType: "Observation", id: "x" } } }
      : req.url?.includes("page=2")
        ? { resourceType: "Bundle", entry: entries(3) }
        : { resourceType: "Bundle", entry: entries(40), link: [{ relation: "next", url: `${base}/Observation?page=2` }] };
    res.setHeader("content-type", "application/fhir+json");
    res.end(JSON.stringify(bundle));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
afterEach(() => jest.restoreAllMocks());

const options = () => ({
  baseUrl: base,
  signal: AbortSignal.timeout(10_000),
  maxPages: 5,
  httpGet: nodeHttpGet(),
  maxResponseBytes: 1_000_000,
  limiter: new Limiter(4),
});

test("well-formed search pages are read without zod", async () => {
  const zod = jest.spyOn(bundleEnvelopeSchema, "safeParse");
  const found = await fhirSearchAll("Observation?code=x", options());
  expect(found.resources).toHaveLength(43);
  expect(zod).not.toHaveBeenCalled();
});

test("a malformed envelope is still a 502 that names the field (zod words it)", async () => {
  const zod = jest.spyOn(bundleEnvelopeSchema, "safeParse");
  await expect(fhirSearchAll("Observation?malformed=1", options())).rejects.toMatchObject({
    code: "fhir_server_error",
    issues: [expect.objectContaining({ field: "entry" })],
  });
  expect(zod).toHaveBeenCalledTimes(1);
});
