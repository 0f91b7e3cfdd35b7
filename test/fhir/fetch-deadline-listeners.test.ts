/**
 * Memory regression guard for the fallback fetch (found by the memory benchmark): after a FHIR
 * request completes, nothing may stay subscribed to the hook's deadline signal. Node keeps a
 * timeout signal that has 'abort' listeners — and everything they reach — alive until it fires,
 * so a leftover listener per request held every fallback hook's responses for FHIR_TIMEOUT_MS.
 */
import { getEventListeners } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { CdsError } from "../../src/errors";
import { fhirRead, fhirSearchAll } from "../../src/fhir/fhir-fetch";
import { fetchHttpGet, nodeHttpGet, type HttpGet } from "../../src/net/http-get";
import { Limiter } from "../../src/net/limiter";

describe.each<[string, () => HttpGet]>([
  ["node:http (production)", nodeHttpGet],
  ["fetch", () => fetchHttpGet(fetch)],
])("FHIR reads over %s and the hook deadline", (_transport, transport) => {
  const httpGet = transport();
  let server: http.Server;
  let base = "";
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url?.startsWith("/fhir/slow")) return; // never answers
      const bundle = req.url?.includes("page=2")
        ? { resourceType: "Bundle", entry: [{ resource: { resourceType: "Observation", id: "b" } }] }
        : {
            resourceType: "Bundle",
            entry: [{ resource: { resourceType: "Observation", id: "a" } }],
            link: [{ relation: "next", url: `${base}/Observation?page=2` }],
          };
      res.setHeader("content-type", "application/fhir+json");
      res.end(req.url?.startsWith("/fhir/Patient") ? JSON.stringify({ resourceType: "Patient", id: "p" }) : JSON.stringify(bundle));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const options = (signal: AbortSignal) => ({
    baseUrl: base,
    signal,
    maxPages: 5,
    httpGet,
    maxResponseBytes: 1_000_000,
    limiter: new Limiter(4),
  });

  it("leaves no abort listener on the deadline once reads and paged searches are done", async () => {
    const deadline = AbortSignal.timeout(60_000);
    const [found, patient] = await Promise.all([
      fhirSearchAll("Observation?code=x", options(deadline)),
      fhirRead("Patient/p", options(deadline)),
    ]);
    expect(found.resources.map((r) => (r as { id: string }).id)).toEqual(["a", "b"]); // two pages were fetched
    expect(found.truncated).toBe(false);
    expect((patient as { id: string }).id).toBe("p");
    expect(getEventListeners(deadline, "abort")).toHaveLength(0);
  });

  it("still aborts a request in flight when the deadline passes", async () => {
    const deadline = new AbortController();
    const pending = fhirRead("slow/1", options(deadline.signal));
    deadline.abort();
    await expect(pending).rejects.toMatchObject({ code: "fhir_server_timeout" });
    await expect(pending).rejects.toBeInstanceOf(CdsError);
    expect(getEventListeners(deadline.signal, "abort")).toHaveLength(0);
  });
});
