/** The Bulk Data client's outbound rules: no redirects, allow-listed origins only, token only where due, size caps, backoff. */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { downloadExport, kickOffUrl, retryAfterMs } from "../../src/screen/bulk-client";
import { removeTempDirs, tempDir } from "./helpers";

afterAll(removeTempDirs);

type Call = { url: string; method: string; headers: Record<string, string> };
function fakeServer(routes: (url: string, method: string) => Response) {
  const calls: Call[] = [];
  const fetchImpl = ((input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    calls.push({ url, method: init?.method ?? "GET", headers: (init?.headers ?? {}) as Record<string, string> });
    expect(init?.redirect).toBe("manual");
    return Promise.resolve(routes(url, init?.method ?? "GET"));
  }) as typeof fetch;
  return { calls, fetchImpl };
}
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
const BASE = "https://ehr.example.org/fhir";
const source = { kind: "bulk" as const, base: BASE, token: "secret-token" };

function run(routes: (url: string, method: string) => Response, env: NodeJS.ProcessEnv = {}) {
  const server = fakeServer(routes);
  const waits: number[] = [];
  const dir = join(tempDir(), "export");
  const promise = downloadExport(source, dir, {
    env,
    log: () => undefined,
    fetchImpl: server.fetchImpl,
    sleep: (ms) => Promise.resolve(void waits.push(ms)),
    clock: () => new Date("2031-06-01T12:00:00Z"),
  });
  return { promise, waits, dir, calls: server.calls };
}

describe("Bulk Data client", () => {
  it("builds Patient- and Group-level kick-off URLs with _type and _since", () => {
    expect(kickOffUrl(source)).toBe(
      `${BASE}/Patient/$export?_type=Patient,Observation,MedicationStatement,MedicationRequest,Condition,Medication`,
    );
    expect(kickOffUrl({ ...source, group: "g-1", since: "2031-01-01T00:00:00+01:00" })).toBe(
      `${BASE}/Group/g-1/$export?_type=Patient,Observation,MedicationStatement,MedicationRequest,Condition,Medication&_since=2031-01-01T00%3A00%3A00%2B01%3A00`,
    );
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    const now = new Date("2031-06-01T12:00:00Z");
    expect(retryAfterMs("7", now)).toBe(7000);
    expect(retryAfterMs("Sun, 01 Jun 2031 12:00:30 GMT", now)).toBe(30_000);
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs("soon", now)).toBeUndefined();
  });

  it("polls with backoff (Retry-After when given), sends the token only where due, downloads, then deletes the job", async () => {
    let polls = 0;
    const r = run(
      (url, method) => {
        if (url.includes("$export?")) return new Response(null, { status: 202, headers: { "content-location": `${BASE}/jobs/1` } });
        if (url === `${BASE}/jobs/1` && method === "DELETE") return new Response(null, { status: 202 });
        if (url === `${BASE}/jobs/1`) {
          polls += 1;
          if (polls === 1) return new Response(null, { status: 202, headers: { "retry-after": "5" } });
          if (polls <= 3) return new Response(null, { status: 202 });
          return json({
            requiresAccessToken: false,
            output: [
              { type: "Patient", url: "https://files.example.net/p.ndjson" },
              { type: "Encounter", url: `${BASE}/e.ndjson` },
            ],
          });
        }
        if (url === "https://files.example.net/p.ndjson") return new Response('{"resourceType":"Patient","id":"p"}\n');
        throw new Error(`unexpected ${method} ${url}`);
      },
      { CDS_FHIR_ALLOWLIST: "https://files.example.net" },
    );
    await r.promise;
    expect(r.waits).toEqual([5000, 2000, 4000]);
    expect(readdirSync(r.dir).sort()).toEqual(["Patient.000.ndjson", "job.json", "manifest.json"]);
    const kick = r.calls[0]!;
    expect(kick.headers).toMatchObject({ Accept: "application/fhir+json", Prefer: "respond-async", Authorization: "Bearer secret-token" });
    const file = r.calls.find((c) => c.url.startsWith("https://files.example.net"))!;
    expect(file.headers["Authorization"]).toBeUndefined();
    expect(r.calls.at(-1)).toMatchObject({ method: "DELETE", url: `${BASE}/jobs/1` });
  });

  it("refuses a redirect, a status URL or a file on an origin off the allow-list, and a file over the cap", async () => {
    await expect(run(() => new Response(null, { status: 302, headers: { location: "https://evil.example/" } })).promise).rejects.toThrow(
      /redirect/,
    );
    await expect(
      run(() => new Response(null, { status: 202, headers: { "content-location": "https://evil.example/status" } })).promise,
    ).rejects.toThrow(/refusing the status URL/);
    const manifest = (fileUrl: string) => (url: string) =>
      url.includes("$export?")
        ? new Response(null, { status: 202, headers: { "content-location": `${BASE}/jobs/2` } })
        : url === `${BASE}/jobs/2`
          ? json({ output: [{ type: "Observation", url: fileUrl }] })
          : new Response("x".repeat(2000));
    const offList = run(manifest("https://files.example.net/o.ndjson"));
    await expect(offList.promise).rejects.toThrow(/refusing https:\/\/files\.example\.net/);
    expect(offList.calls.some((c) => c.url.startsWith("https://files.example.net"))).toBe(false);
    const big = run(manifest(`${BASE}/o.ndjson`), { SCREEN_MAX_FILE_BYTES: "1000" });
    await expect(big.promise).rejects.toThrow(/larger than 1000 bytes/);
    expect(existsSync(join(big.dir, "Observation.000.ndjson"))).toBe(false);
  });

  it("reports a failed kick-off with the server's OperationOutcome", async () => {
    const r = run(() =>
      json({ resourceType: "OperationOutcome", issue: [{ severity: "error", code: "forbidden", diagnostics: "no bulk scope" }] }, 403),
    );
    await expect(r.promise).rejects.toThrow("$export kick-off failed: HTTP 403: no bulk scope");
  });
});
