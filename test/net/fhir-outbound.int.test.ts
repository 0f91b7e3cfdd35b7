/**
 * Outbound FHIR requests against real loopback servers: an allow-listed fhirServer (or a `next`
 * link on it) that redirects is never followed — the foreign server is reached zero times and the
 * hook answers 502; bodies are capped while streaming; requests per process are capped.
 */
import type { ServerResponse } from "node:http";
import zlib from "node:zlib";
import request from "supertest";
import { patientViewBody, searchset } from "../../devkit/hook-requests";
import { buildTestApp } from "../helpers/test-app";
import { json, loopback, stream, type Loopback } from "./loopback";

let foreign: Loopback;
beforeAll(async () => {
  foreign = await loopback((_req, res) => json(res, 200, searchset([])));
});
afterAll(() => foreign.close());
beforeEach(() => {
  foreign.hits.length = 0;
});

const hook = (app: ReturnType<typeof buildTestApp>, fhirServer: string) =>
  request(app)
    .post("/cds-services/vitd-patient-view")
    .send(patientViewBody({ fhirServer, prefetch: {} }));

const patientResource = { resourceType: "Patient", id: "pat-1", gender: "female", birthDate: "1970-01-01" };

describe("redirects are never followed", () => {
  it.each([301, 302, 303, 307, 308])(
    "fhirServer answering %i → 502 'redirect not followed', the foreign host is never contacted",
    async (status) => {
      const ehr = await loopback((req, res) => {
        res.writeHead(status, { location: `${foreign.origin}${req.url ?? ""}` });
        res.end();
      });
      try {
        const app = buildTestApp({ config: { fhirAllowlist: [ehr.origin] } });
        const res = await hook(app, `${ehr.origin}/fhir`);
        expect(res.status).toBe(502);
        expect(res.body.message).toContain("redirect not followed");
        expect(ehr.hits.length).toBeGreaterThan(0);
        expect(foreign.hits).toEqual([]);
      } finally {
        await ehr.close();
      }
    },
  );

  it("a `next` link on the allow-listed origin that redirects elsewhere → 502, the foreign host is never contacted", async () => {
    const ehr = await loopback((req, res, self) => {
      const url = req.url ?? "";
      if (url.startsWith("/fhir/page2")) {
        res.writeHead(307, { location: `${foreign.origin}/metadata-like/latest/meta-data` });
        return void res.end();
      }
      if (url.startsWith("/fhir/Patient/")) return json(res, 200, patientResource);
      json(res, 200, searchset([], `${self.origin}/fhir/page2?from=${encodeURIComponent(url)}`));
    });
    try {
      const app = buildTestApp({ config: { fhirAllowlist: [ehr.origin] } });
      const res = await hook(app, `${ehr.origin}/fhir`);
      expect(res.status).toBe(502);
      expect(res.body.message).toContain("redirect not followed");
      expect(ehr.hits.some((h) => h.startsWith("/fhir/page2"))).toBe(true);
      expect(foreign.hits).toEqual([]);
    } finally {
      await ehr.close();
    }
  });
});

describe("response size is capped while streaming (FHIR_MAX_RESPONSE_BYTES)", () => {
  it("a 50 MB search response without Content-Length is cut off after the cap → 502", async () => {
    const sent: Promise<number>[] = [];
    const ehr = await loopback((req, res) => {
      if ((req.url ?? "").startsWith("/fhir/Patient/")) return json(res, 200, patientResource);
      sent.push(stream(res, 50 * 1024 * 1024));
    });
    try {
      const app = buildTestApp({ config: { fhirAllowlist: [ehr.origin], fhirMaxResponseBytes: 256 * 1024 } });
      const res = await hook(app, `${ehr.origin}/fhir`);
      expect(res.status).toBe(502);
      expect(res.body.message).toContain("larger than 262144 bytes");
      await ehr.close();
      const bytes = await Promise.all(sent);
      // The reader stopped long before 50 MB (socket buffers hold a few MB at most).
      for (const b of bytes) expect(b).toBeLessThan(16 * 1024 * 1024);
    } finally {
      await ehr.close();
    }
  });

  it("a declared Content-Length over the cap is refused before reading → 502", async () => {
    const ehr = await loopback((req, res) => {
      if ((req.url ?? "").startsWith("/fhir/Patient/")) return json(res, 200, patientResource);
      const body = JSON.stringify(searchset([])).padEnd(300 * 1024, " ");
      res.writeHead(200, { "content-type": "application/fhir+json", "content-length": Buffer.byteLength(body) });
      res.end(body);
    });
    try {
      const app = buildTestApp({ config: { fhirAllowlist: [ehr.origin], fhirMaxResponseBytes: 256 * 1024 } });
      const res = await hook(app, `${ehr.origin}/fhir`);
      expect(res.status).toBe(502);
      expect(res.body.message).toContain("larger than");
    } finally {
      await ehr.close();
    }
  });
});

describe("compressed FHIR responses (gzip, br)", () => {
  const gzipped = (res: ServerResponse, body: unknown, encode: (b: Buffer) => Buffer, encoding: string) => {
    res.writeHead(200, { "content-type": "application/fhir+json", "content-encoding": encoding });
    res.end(encode(Buffer.from(JSON.stringify(body))));
  };

  it.each<[string, (b: Buffer) => Buffer]>([
    ["gzip", (b) => zlib.gzipSync(b)],
    ["br", (b) => zlib.brotliCompressSync(b)],
  ])("every answer %s-encoded → the hook reads them and answers 200", async (encoding, encode) => {
    let acceptEncoding: string | undefined;
    const ehr = await loopback((req, res) => {
      acceptEncoding = req.headers["accept-encoding"];
      gzipped(res, (req.url ?? "").startsWith("/fhir/Patient/") ? patientResource : searchset([]), encode, encoding);
    });
    try {
      const app = buildTestApp({ config: { fhirAllowlist: [ehr.origin] } });
      const res = await hook(app, `${ehr.origin}/fhir`);
      expect(res.status).toBe(200);
      expect(res.body.cards).toEqual([]);
      expect(acceptEncoding).toContain(encoding);
    } finally {
      await ehr.close();
    }
  });

  it("a ≈ 64 KB gzip that inflates to 64 MB (a zip bomb) is cut off at the cap → 502", async () => {
    const bomb = zlib.gzipSync(Buffer.from(JSON.stringify(searchset([])).padEnd(64 * 1024 * 1024, " ")));
    const ehr = await loopback((req, res) => {
      if ((req.url ?? "").startsWith("/fhir/Patient/")) return json(res, 200, patientResource);
      res.writeHead(200, { "content-type": "application/fhir+json", "content-encoding": "gzip", "content-length": bomb.length });
      res.end(bomb);
    });
    try {
      const app = buildTestApp({ config: { fhirAllowlist: [ehr.origin], fhirMaxResponseBytes: 256 * 1024 } });
      const res = await hook(app, `${ehr.origin}/fhir`);
      expect(res.status).toBe(502);
      expect(res.body.message).toContain("larger than 262144 bytes");
    } finally {
      await ehr.close();
    }
  });
});

describe("outbound FHIR concurrency is capped per process (FHIR_MAX_CONCURRENCY)", () => {
  it("20 concurrent hooks × 9 searches with a cap of 3: never more than 3 requests outstanding, all answered 200", async () => {
    // A FHIR "server" whose answers the test releases, batch by batch: what is outstanding is exactly what was sent.
    const outstanding: Array<{ url: string; resolve: (r: Response) => void }> = [];
    let maxOutstanding = 0;
    let calls = 0;
    const fetchImpl = ((input: string | URL) =>
      new Promise<Response>((resolve) => {
        calls++;
        outstanding.push({ url: input.toString(), resolve });
        maxOutstanding = Math.max(maxOutstanding, outstanding.length);
      })) as typeof fetch;
    const answer = (url: string) =>
      new Response(JSON.stringify(new URL(url).pathname.includes("/Patient/") ? patientResource : searchset([])), {
        headers: { "content-type": "application/fhir+json" },
      });
    const app = buildTestApp({
      fetchImpl,
      config: { fhirAllowlist: ["https://ehr.example.org"], fhirMaxConcurrency: 3, fhirTimeoutMs: 60_000 },
    });
    let done = false;
    const all = Promise.all(Array.from({ length: 20 }, () => hook(app, "https://ehr.example.org/fhir"))).finally(() => (done = true));
    while (!done) {
      await new Promise((r) => setImmediate(r)); // let every request that can be sent be sent
      for (const c of outstanding.splice(0)) c.resolve(answer(c.url));
    }
    const results = await all;
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(calls).toBeGreaterThanOrEqual(20 * 9);
    expect(maxOutstanding).toBeLessThanOrEqual(3); // without the cap: all 9 searches of a hook at once (and more)
  });
});
