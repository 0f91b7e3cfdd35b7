/**
 * Prefetch first, then fallback fetch — exact CDS Hooks semantics:
 * - key absent → not provided: fetch it from fhirServer;
 * - key null → the EHR ran the query and found nothing: no fetch;
 * - an OperationOutcome → the EHR's query failed: fetch it ourselves;
 * - a Bundle → use it; if it carries a `next` link, the remaining pages are fetched when possible.
 * Every query still missing is run in parallel against an allow-listed fhirServer under one
 * deadline. Data that is needed but unobtainable → 412. Every resource — prefetched, drafted or
 * fetched — is then read on its own (read-resources.ts): an unreadable one is left out and listed,
 * never a failed call. A search cut short by the page limit is named in `truncated`.
 */
import type { MedicationRequest } from "fhir/r4";
import { CdsError } from "../errors";
import type { DataRequest } from "./data-request";
import { fallbackQueryUrl, type PrefetchQuery } from "./queries";
import type { HttpGet } from "../net/http-get";
import type { Limiter } from "../net/limiter";
import type { ClinicalResources } from "./normalize";
import { bundleResources, fhirRead, fhirSearchAll, nextLink, type FhirFetchOptions, type SearchResult } from "./fhir-fetch";
import { groupResources, unresolvedMedicationRefs } from "./group-resources";
import { ResourceReader } from "./read-resources";

export interface DataAccessDeps {
  httpGet: HttpGet;
  timeoutMs: number;
  maxPages: number;
  maxResponseBytes: number;
  limiter: Limiter;
  isFhirServerAllowed: (fhirServer: string) => boolean;
  now: Date;
}

/** What must still be fetched for one query key. */
type Pending = { key: string; url: string; kind: "read" | "search"; nextPagesOnly?: true };

function fromPrefetch(queries: readonly PrefetchQuery[], req: DataRequest, now: Date) {
  const have: unknown[] = [];
  const pending: Pending[] = [];
  for (const query of queries) {
    const value = req.prefetch?.[query.key];
    const kind = query.template.includes("?") ? "search" : "read";
    if (value === null) continue;
    if (value === undefined || (value.kind === "resource" && value.resource.resourceType === "OperationOutcome")) {
      pending.push({ key: query.key, url: fallbackQueryUrl(query, req, now), kind });
    } else if (value.kind === "bundle") {
      for (const r of bundleResources(value.bundle)) have.push(r); // not push(...list): ~130k arguments overflow the stack
      const next = req.fhirServer ? nextLink(value.bundle, req.fhirServer) : undefined;
      if (next) pending.push({ key: query.key, url: next, kind: "search", nextPagesOnly: true });
    } else {
      have.push(value.resource);
    }
  }
  return { have, pending };
}

function fetchOptions(req: DataRequest, deps: DataAccessDeps, signal: AbortSignal): FhirFetchOptions {
  return {
    baseUrl: req.fhirServer ?? "",
    ...(req.accessToken ? { accessToken: req.accessToken } : {}),
    signal,
    maxPages: deps.maxPages,
    httpGet: deps.httpGet,
    maxResponseBytes: deps.maxResponseBytes,
    limiter: deps.limiter,
  };
}

const run = (p: Pending, opts: FhirFetchOptions): Promise<SearchResult> =>
  p.kind === "read" ? fhirRead(p.url, opts).then((r) => ({ resources: [r], truncated: false })) : fhirSearchAll(p.url, opts);

export async function gatherClinicalResources(
  req: DataRequest,
  queries: readonly PrefetchQuery[],
  deps: DataAccessDeps,
): Promise<ClinicalResources> {
  const { have, pending } = fromPrefetch(queries, req, deps.now);
  const serverUsable = req.fhirServer !== undefined && deps.isFhirServerAllowed(req.fhirServer);
  const required = pending.filter((p) => !p.nextPagesOnly);

  if (required.length > 0 && !serverUsable) {
    const keys = required.map((p) => p.key).join(", ");
    const why = req.fhirServer ? `fhirServer ${new URL(req.fhirServer).origin} is not on the allow-list` : "no fhirServer was given";
    throw new CdsError("precondition_failed", `Required data not prefetched (${keys}) and ${why}`);
  }

  const reader = new ResourceReader();
  const resources = reader.readAll(have);
  const truncated = new Set<string>();
  if (serverUsable && pending.length > 0) {
    const signal = AbortSignal.timeout(deps.timeoutMs);
    const opts = fetchOptions(req, deps, signal);
    const results = await Promise.all(pending.map((p) => run(p, opts)));
    results.forEach((result, i) => {
      for (const r of reader.readAll(result.resources)) resources.push(r);
      if (result.truncated) truncated.add(pending[i]!.key);
    });
    // A Medication that cannot be fetched or read only loses its name/strength (an unreadable one is listed).
    const medRefs = unresolvedMedicationRefs(resources);
    const meds = await Promise.all(medRefs.map((ref) => fhirRead(ref, opts).catch(() => undefined)));
    for (const m of meds) {
      const med = m === undefined ? undefined : reader.read(m);
      if (med) resources.push(med);
    }
  }

  const draftOrders = reader.readAll(req.draftOrders).filter((r): r is MedicationRequest => r.resourceType === "MedicationRequest");
  return {
    ...groupResources(resources, {
      patientId: req.patientId,
      draftOrders,
      ...(req.selections ? { selections: [...req.selections] } : {}),
    }),
    notUsed: reader.notUsed,
    truncated: [...truncated].map((query) => ({ query, pages: deps.maxPages })),
  };
}
