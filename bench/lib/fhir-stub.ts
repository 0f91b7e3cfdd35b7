/**
 * A local FHIR server stub (plain node:http on 127.0.0.1) answering the service's fallback
 * queries from a generated patient after a fixed delay per request. `paged`: every search is
 * split in two pages, the first with a `next` link (so a search costs two sequential round trips).
 * Counts requests and TCP connections, to check the service's parallelism and keep-alive.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { FhirResource, Observation } from "fhir/r4";
import { searchsetAt } from "../../devkit/hook-requests";
import type { GeneratedPatient } from "../fixtures/patient-generator";

export interface FhirStub {
  /** FHIR base URL, e.g. http://127.0.0.1:40123/fhir */
  base: string;
  origin: string;
  stats(): { requests: number; connections: number };
  close(): Promise<void>;
}

const observationDate = (o: Observation) => o.effectiveDateTime ?? o.issued ?? "";

function matchesCodes(o: Observation, codes: string | null): boolean {
  if (!codes) return true;
  const wanted = new Set(codes.split(","));
  return (o.code.coding ?? []).some((c) => wanted.has(`${c.system ?? ""}|${c.code ?? ""}`));
}

function search(data: GeneratedPatient, type: string, params: URLSearchParams): FhirResource[] | undefined {
  const count = Number(params.get("_count") ?? 1000);
  switch (type) {
    case "Observation": {
      const floor = params.get("date")?.replace(/^ge/, "") ?? "";
      return data.observations
        .filter((o) => matchesCodes(o, params.get("code")) && observationDate(o) >= floor)
        .sort((a, b) => observationDate(b).localeCompare(observationDate(a)))
        .slice(0, count);
    }
    case "MedicationStatement":
      return data.medicationStatements.slice(0, count);
    case "MedicationRequest":
      return [];
    case "Condition":
      return data.conditions.slice(0, count);
    default:
      return undefined;
  }
}

function answer(data: GeneratedPatient, base: string, url: URL, paged: boolean): { status: number; body: unknown } {
  const path = url.pathname.replace(/^\/fhir\/?/, "");
  const [type = "", id] = path.split("/");
  if (type === "Patient" && id === data.patient.id) return { status: 200, body: data.patient };
  const found = id === undefined ? search(data, type, url.searchParams) : undefined;
  if (!found) return { status: 404, body: { resourceType: "OperationOutcome", issue: [{ severity: "error", code: "not-found" }] } };
  if (!paged) return { status: 200, body: searchsetAt(base, found) };
  const half = Math.ceil(found.length / 2);
  if (url.searchParams.get("_page") === "2") return { status: 200, body: searchsetAt(base, found.slice(half)) };
  const next = new URL(url.href);
  next.searchParams.set("_page", "2");
  return { status: 200, body: searchsetAt(base, found.slice(0, half), next.href) };
}

export async function startFhirStub(data: GeneratedPatient, options: { delayMs: number; paged: boolean }): Promise<FhirStub> {
  let requests = 0;
  let connections = 0;
  let base = "";
  // Answers are computed once per URL: the stub's own CPU time must not count as the service's latency.
  const cache = new Map<string, { status: number; text: string }>();
  const server = http.createServer((req, res) => {
    requests++;
    const key = req.url ?? "/";
    let cached = cache.get(key);
    if (!cached) {
      const { status, body } = answer(data, base, new URL(key, base), options.paged);
      cached = { status, text: JSON.stringify(body) };
      cache.set(key, cached);
    }
    const { status, text } = cached;
    setTimeout(() => {
      res.writeHead(status, { "content-type": "application/fhir+json", "content-length": Buffer.byteLength(text) });
      res.end(text);
    }, options.delayMs);
  });
  server.keepAliveTimeout = 65_000;
  server.on("connection", () => connections++);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  base = `${origin}/fhir`;
  return {
    base,
    origin,
    stats: () => ({ requests, connections }),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
