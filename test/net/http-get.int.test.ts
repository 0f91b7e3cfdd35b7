/**
 * The outbound GET transport against real loopback servers, for both implementations (node:http in
 * production, fetch for callers that bring their own): bodies are read whole and as UTF-8 even when a
 * character is split across chunks, connections are reused, a redirect is answered and never followed,
 * bodies are capped before and while they stream, the caller's signal aborts at any point, and TLS
 * certificates are verified.
 */
import { readFileSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import zlib from "node:zlib";
import { fetchHttpGet, nodeHttpGet, type HttpGet } from "../../src/net/http-get";
import { ResponseTooLargeError } from "../../src/net/outbound";
import { json, loopback, stream, type Loopback } from "./loopback";

const noSignal = () => new AbortController().signal;
const get = (httpGet: HttpGet, url: string, signal = noSignal()) => httpGet(url, { headers: { accept: "application/fhir+json" }, signal });

describe.each<[string, () => HttpGet]>([
  ["node:http (production)", nodeHttpGet],
  ["fetch", () => fetchHttpGet(fetch)],
])("outbound GET over %s", (_name, transport) => {
  const httpGet = transport();
  const servers: Loopback[] = [];
  const serve = async (handler: Parameters<typeof loopback>[0]) => {
    const s = await loopback(handler);
    servers.push(s);
    return s;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it("reads a 200 body whole, sends the caller's headers, and decodes a character split across chunks", async () => {
    const text = JSON.stringify({ resourceType: "Patient", name: [{ text: "Zoë Ångström 25‑(OH)D" }] });
    const bytes = Buffer.from(text, "utf8");
    const cut = bytes.indexOf(Buffer.from("ë", "utf8")) + 1; // inside the two-byte ë
    let accept: string | undefined;
    const s = await serve((req, res) => {
      accept = req.headers.accept;
      res.writeHead(200, { "content-type": "application/fhir+json" });
      res.write(bytes.subarray(0, cut));
      setImmediate(() => res.end(bytes.subarray(cut)));
    });
    const answer = await get(httpGet, `${s.origin}/fhir/Patient/p1`);
    expect(answer.status).toBe(200);
    expect(await answer.text(1_000_000)).toBe(text);
    expect(accept).toBe("application/fhir+json");
  });

  it("reuses its connections for sequential requests (keep-alive): no new connection once warm", async () => {
    let connections = 0;
    const s = await serve((_req, res) => json(res, 200, { resourceType: "Bundle" }));
    s.server.on("connection", () => connections++);
    const read = async (id: string) => (await get(httpGet, `${s.origin}/fhir/Observation?_id=${id}`)).text(1_000_000);
    // undici opens a second connection for its second request, then reuses both; node:http reuses its first.
    for (const id of ["warm-1", "warm-2"]) await read(id);
    const warm = connections;
    for (const id of ["a", "b", "c", "d"]) await read(id);
    expect(s.hits).toHaveLength(6);
    expect(warm).toBeLessThanOrEqual(2);
    expect(connections).toBe(warm);
  });

  it.each([301, 302, 307, 308])("a %i is answered as it is: the Location is never requested", async (status) => {
    const foreign = await serve((_req, res) => json(res, 200, { resourceType: "Patient" }));
    const s = await serve((_req, res) => {
      res.writeHead(status, { location: `${foreign.origin}/steal` });
      res.end();
    });
    const answer = await get(httpGet, `${s.origin}/fhir/Patient/p1`);
    expect(answer.status).toBe(status);
    answer.discard();
    expect(foreign.hits).toEqual([]);
  });

  it("refuses a body whose declared length is over the cap without reading it", async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "5000" });
      res.end(Buffer.alloc(5000, 0x20));
    });
    const answer = await get(httpGet, `${s.origin}/big`);
    await expect(answer.text(1000)).rejects.toBeInstanceOf(ResponseTooLargeError);
  });

  it("stops reading a chunked body once it passes the cap: the server is cut off", async () => {
    const total = 64 * 1024 * 1024;
    let written: Promise<number> = Promise.resolve(0);
    const s = await serve((_req, res) => {
      written = stream(res, total);
    });
    const answer = await get(httpGet, `${s.origin}/endless`);
    // (the length, not the text: a failure message quoting 64 MB would not finish)
    await expect(answer.text(256 * 1024).then((text) => text.length)).rejects.toBeInstanceOf(ResponseTooLargeError);
    expect(await written).toBeLessThan(total);
  });

  it.each<[string, (b: Buffer) => Buffer]>([
    ["gzip", (b) => zlib.gzipSync(b)],
    ["deflate", (b) => zlib.deflateSync(b)],
    ["br", (b) => zlib.brotliCompressSync(b)],
  ])("decodes a %s body (the cap counts decoded bytes)", async (encoding, encode) => {
    const text = JSON.stringify({
      resourceType: "Bundle",
      entry: Array.from({ length: 200 }, (_, i) => ({ resource: { id: `o${i}`, note: "Zoë" } })),
    });
    const s = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/fhir+json", "content-encoding": encoding });
      res.end(encode(Buffer.from(text)));
    });
    const answer = await get(httpGet, `${s.origin}/fhir/Observation`);
    expect(await answer.text(1_000_000)).toBe(text);
    const again = await get(httpGet, `${s.origin}/fhir/Observation`);
    await expect(again.text(text.length - 1)).rejects.toBeInstanceOf(ResponseTooLargeError);
  });

  it("cuts off a compressed body that inflates past the cap (a zip bomb), however small on the wire", async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20)); // ≈ 50 KB on the wire
    const s = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip", "content-length": bomb.length });
      res.end(bomb);
    });
    const answer = await get(httpGet, `${s.origin}/bomb`);
    await expect(answer.text(1024 * 1024).then((t) => t.length)).rejects.toBeInstanceOf(ResponseTooLargeError);
  });

  it("rejects a body whose gzip is corrupt", async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      res.end(Buffer.from("this is not gzip at all"));
    });
    const answer = await get(httpGet, `${s.origin}/corrupt`);
    await expect(answer.text(1_000_000)).rejects.toThrow();
  });

  it("rejects when the signal aborts before the headers arrive", async () => {
    const controller = new AbortController();
    const s = await serve(() => controller.abort()); // never answers; the caller gives up
    await expect(get(httpGet, `${s.origin}/slow`, controller.signal)).rejects.toThrow();
    expect(s.hits).toEqual(["/slow"]);
  });

  it("rejects the body read when the signal aborts while the body streams", async () => {
    const controller = new AbortController();
    const s = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"resourceType":"Bundle","entry":['); // and never ends
    });
    const answer = await get(httpGet, `${s.origin}/stalls`, controller.signal);
    const body = answer.text(1_000_000);
    controller.abort();
    await expect(body).rejects.toThrow();
  });

  it("rejects a signal that has already aborted without contacting the server", async () => {
    const s = await serve((_req, res) => json(res, 200, {}));
    await expect(get(httpGet, `${s.origin}/x`, AbortSignal.abort())).rejects.toThrow();
    expect(s.hits).toEqual([]);
  });

  it("rejects a URL that is not http or https", async () => {
    await expect(get(httpGet, "file:///etc/passwd")).rejects.toThrow();
  });

  it("verifies TLS: a server with a self-signed certificate is refused", async () => {
    const fixtures = path.join(__dirname, "fixtures");
    let reached = 0;
    const server = https.createServer(
      { cert: readFileSync(path.join(fixtures, "untrusted-cert.pem")), key: readFileSync(path.join(fixtures, "untrusted-key.pem")) },
      (_req, res) => {
        reached++;
        res.end("{}");
      },
    );
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const port = (server.address() as AddressInfo).port;
      await expect(get(httpGet, `https://127.0.0.1:${port}/fhir/Patient/p1`)).rejects.toThrow();
      expect(reached).toBe(0);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe("outbound GET over node:http: encodings", () => {
  const httpGet = nodeHttpGet();
  let s: Loopback;
  let acceptEncoding: string | undefined;
  beforeAll(async () => {
    s = await loopback((req, res) => {
      acceptEncoding = req.headers["accept-encoding"];
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "zstd" });
      res.end("(zstd bytes)");
    });
  });
  afterAll(() => s.close());

  it("offers gzip, deflate and br, and refuses to read a body in an encoding it did not offer", async () => {
    const answer = await get(httpGet, `${s.origin}/zstd`);
    await expect(answer.text(1_000_000)).rejects.toThrow(/unsupported content-encoding "zstd"/);
    expect(acceptEncoding).toBe("gzip, deflate, br");
  });
});
