/**
 * A FHIR R4 server for one patient's record, on loopback, behaving like the servers the records come
 * from: type-level search with `patient`, `code` (system|code, OR by comma; an Observation matches by its
 * code or a component's), `status`, `date=ge`, `_include=*:medication`, `_sort` on the date parameters
 * the service asks for (insertion order without it, as many servers default to), `_count` with absolute
 * `next` links, and reads by id. It also builds the prefetch an EHR would send for the same templates.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Bundle, FhirResource } from "fhir/r4";

type Json = Record<string, any>;

const SORT_FIELDS: Record<string, (r: Json) => string | undefined> = {
  date: (r) => (r.effectiveDateTime ?? r.effectivePeriod?.start ?? r.issued) as string | undefined,
  authoredon: (r) => r.authoredOn as string | undefined,
  effective: (r) => (r.effectiveDateTime ?? r.effectivePeriod?.start) as string | undefined,
  "recorded-date": (r) => r.recordedDate as string | undefined,
};

const codesOf = (r: Json): string[] =>
  [
    r.code as Json | undefined,
    ...(Array.isArray(r.component) ? (r.component as Json[]).map((c) => c.code as Json | undefined) : []),
  ].flatMap((cc) => (Array.isArray(cc?.coding) ? (cc.coding as Json[]).map((c) => `${String(c.system)}|${String(c.code)}`) : []));

/** Matches of a type-level search, in the order the server returns them (without paging). */
export function search(record: readonly Json[], type: string, params: URLSearchParams): { matches: Json[]; included: Json[] } {
  let matches = record.filter((r) => r.resourceType === type);
  const code = params.get("code");
  if (code) {
    const wanted = new Set(code.split(","));
    matches = matches.filter((r) => codesOf(r).some((c) => wanted.has(c)));
  }
  const status = params.get("status");
  if (status) matches = matches.filter((r) => status.split(",").includes(r.status));
  const floor = params.get("date")?.replace(/^ge/, "");
  if (floor) matches = matches.filter((r) => (SORT_FIELDS.date!(r) ?? "") >= floor);
  const sort = params.get("_sort");
  if (sort) {
    const field = SORT_FIELDS[sort.replace(/^-/, "")];
    if (field) matches = [...matches].sort((a, b) => (field(b) ?? "").localeCompare(field(a) ?? "") * (sort.startsWith("-") ? 1 : -1));
  }
  const included: Json[] = [];
  if (params.get("_include")?.endsWith(":medication")) {
    for (const m of matches) {
      const ref = m.medicationReference?.reference as string | undefined;
      const med = ref?.startsWith("Medication/")
        ? record.find((r) => r.resourceType === "Medication" && r.id === ref.slice(11))
        : undefined;
      if (med && !included.includes(med)) included.push(med);
    }
  }
  return { matches, included };
}

const searchset = (matches: Json[], included: Json[], next?: string): Bundle<FhirResource> => ({
  resourceType: "Bundle",
  type: "searchset",
  ...(next ? { link: [{ relation: "next", url: next }] } : {}),
  entry: [
    ...matches.map((resource) => ({ resource, search: { mode: "match" } })),
    ...included.map((resource) => ({ resource, search: { mode: "include" } })),
  ] as Bundle<FhirResource>["entry"],
});

/** The prefetch an EHR would send for `templates` (every match, no paging; empty searches as null). */
export function prefetchFor(record: readonly Json[], templates: Record<string, string>, patientId: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, template] of Object.entries(templates)) {
    const filled = template.replace(/\{\{context\.patientId\}\}/g, patientId);
    const [path = "", query = ""] = filled.split("?");
    if (!filled.includes("?")) {
      out[key] = record.find((r) => `${r.resourceType}/${r.id}` === path) ?? null;
      continue;
    }
    const { matches, included } = search(record, path, new URLSearchParams(query));
    out[key] = matches.length === 0 ? null : searchset(matches, included);
  }
  return out;
}

export interface RecordServer {
  base: string;
  urls: string[];
  close(): Promise<void>;
}

export async function serveRecord(record: readonly Json[]): Promise<RecordServer> {
  const urls: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
    urls.push(req.url ?? "");
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/fhir+json" });
      res.end(JSON.stringify(body));
    };
    const [, , type, id] = url.pathname.split("/");
    if (!type) return send(404, { resourceType: "OperationOutcome" });
    if (id) {
      const found = record.find((r) => r.resourceType === type && r.id === id);
      return found ? send(200, found) : send(404, { resourceType: "OperationOutcome", issue: [{ severity: "error", code: "not-found" }] });
    }
    const { matches, included } = search(record, type, url.searchParams);
    const count = Number(url.searchParams.get("_count") ?? 50);
    const page = Number(url.searchParams.get("_page") ?? 0);
    const slice = matches.slice(page * count, (page + 1) * count);
    let next: string | undefined;
    if ((page + 1) * count < matches.length) {
      const n = new URL(url);
      n.searchParams.set("_page", String(page + 1));
      next = n.href;
    }
    send(200, searchset(slice, page === 0 ? included : [], next));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`,
    urls,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
