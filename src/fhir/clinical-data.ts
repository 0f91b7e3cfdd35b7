/**
 * Prefetch first, then fallback fetch — exact CDS Hooks semantics (cds-hooks-notes.md §1):
 * - key absent → not provided: fetch it from fhirServer;
 * - key null → the EHR ran the query and found nothing: no fetch;
 * - an OperationOutcome → the EHR's query failed: fetch it ourselves;
 * - a Bundle → use it; if it carries a `next` link, the remaining pages are fetched when possible.
 * Every query still missing is run in parallel against an allow-listed fhirServer under one
 * deadline. Data that is needed but unobtainable → 412. Every resource has the shape of
 * resource-schemas.ts by then: prefetch and draft orders were checked with the request (400),
 * fetched resources are checked by fhir-fetch.ts (502).
 */
import type { Bundle, FhirResource, MedicationRequest } from "fhir/r4";
import { CdsError } from "../errors";
import type { HookRequest } from "../cds/request-schema";
import { fallbackQueryUrl, type PrefetchQuery } from "../cds/prefetch-queries";
import type { ClinicalResources } from "./normalize";
import { bundleResources, fhirRead, fhirSearchAll, nextLink, type FetchFn, type FhirFetchOptions } from "./fhir-fetch";
import { groupResources, unresolvedMedicationRefs } from "./group-resources";
import type { Limiter } from "../net/limiter";
import { MalformedFhirError } from "./resource-check";

export interface DataAccessDeps {
  fetchImpl: FetchFn;
  timeoutMs: number;
  maxPages: number;
  maxResponseBytes: number;
  limiter: Limiter;
  isFhirServerAllowed: (fhirServer: string) => boolean;
  now: Date;
}

/** What must still be fetched for one query key. */
type Pending = { key: string; url: string; kind: "read" | "search" };

function fromPrefetch(queries: readonly PrefetchQuery[], req: HookRequest, now: Date) {
  const have: FhirResource[] = [];
  const pending: Pending[] = [];
  for (const query of queries) {
    const value = req.prefetch?.[query.key];
    const kind = query.template.includes("?") ? "search" : "read";
    if (value === null) continue;
    if (value === undefined || value.resourceType === "OperationOutcome") {
      pending.push({ key: query.key, url: fallbackQueryUrl(query, req, now), kind });
    } else if (value.resourceType === "Bundle") {
      const bundle = value as unknown as Bundle<FhirResource>;
      for (const r of bundleResources(bundle)) have.push(r); // not push(...list): ~130k arguments overflow the stack
      const next = req.fhirServer ? nextLink(bundle, req.fhirServer) : undefined;
      if (next) pending.push({ key: `${query.key} (next pages)`, url: next, kind: "search" });
    } else {
      have.push(value as unknown as FhirResource);
    }
  }
  return { have, pending };
}

function keepMalformed(e: unknown): undefined {
  if (e instanceof MalformedFhirError) throw e;
  return undefined;
}

function fetchOptions(req: HookRequest, deps: DataAccessDeps, signal: AbortSignal): FhirFetchOptions {
  return {
    baseUrl: req.fhirServer ?? "",
    ...(req.accessToken ? { accessToken: req.accessToken } : {}),
    signal,
    maxPages: deps.maxPages,
    fetchImpl: deps.fetchImpl,
    maxResponseBytes: deps.maxResponseBytes,
    limiter: deps.limiter,
  };
}

export async function gatherClinicalResources(
  req: HookRequest,
  queries: readonly PrefetchQuery[],
  deps: DataAccessDeps,
): Promise<ClinicalResources> {
  const { have, pending } = fromPrefetch(queries, req, deps.now);
  const serverUsable = req.fhirServer !== undefined && deps.isFhirServerAllowed(req.fhirServer);
  const required = pending.filter((p) => !p.key.endsWith("(next pages)"));

  if (required.length > 0 && !serverUsable) {
    const keys = required.map((p) => p.key).join(", ");
    const why = req.fhirServer ? `fhirServer ${new URL(req.fhirServer).origin} is not on the allow-list` : "no fhirServer was given";
    throw new CdsError("precondition_failed", `Required data not prefetched (${keys}) and ${why}`);
  }

  const resources = [...have];
  if (serverUsable && pending.length > 0) {
    const signal = AbortSignal.timeout(deps.timeoutMs);
    const opts = fetchOptions(req, deps, signal);
    const results = await Promise.all(
      pending.map((p) => (p.kind === "read" ? fhirRead(p.url, opts).then((r) => [r]) : fhirSearchAll(p.url, opts))),
    );
    for (const list of results) for (const r of list) resources.push(r);
    const medRefs = unresolvedMedicationRefs(resources);
    // A Medication that cannot be read only loses its name/strength; a malformed one is the server's error (502).
    const meds = await Promise.all(medRefs.map((ref) => fhirRead(ref, opts).catch(keepMalformed)));
    for (const m of meds) if (m !== undefined) resources.push(m);
  }

  const draftOrders = req.draftOrders.filter((r) => r.resourceType === "MedicationRequest") as unknown as MedicationRequest[];
  return groupResources(resources, {
    patientId: req.patientId,
    draftOrders,
    ...(req.selections ? { selections: req.selections } : {}),
  });
}
