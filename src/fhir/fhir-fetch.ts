/**
 * Reads from the EHR's FHIR server for the fallback fetch: Bearer token, a deadline shared by all
 * queries of one hook call, `next` links followed up to a bound (same origin only, so a hostile
 * server cannot redirect the token elsewhere), and FHIR failures mapped to CDS errors:
 * 401/403/404 → 412, other failures → 502, deadline → 504.
 *
 * Plain `fetch` (undici) rather than fhirclient's FhirClient: in Node fhirclient goes through
 * cross-fetch/node-fetch 2 (no keep-alive, module-level fetch that tests and the deadline cannot
 * reach). The SMART app uses fhirclient in the browser.
 */
import type { Bundle, FhirResource } from "fhir/r4";
import { z } from "zod";
import { CdsError } from "../errors";

export type FetchFn = typeof fetch;

export interface FhirFetchOptions {
  baseUrl: string;
  accessToken?: string;
  signal: AbortSignal;
  maxPages: number;
  fetchImpl: FetchFn;
}

const resourceShape = z.looseObject({ resourceType: z.string() });
const bundleShape = z.looseObject({
  resourceType: z.literal("Bundle"),
  entry: z.array(z.looseObject({ resource: resourceShape.optional() })).optional(),
  link: z.array(z.looseObject({ relation: z.string(), url: z.string() })).optional(),
});

function describe(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

async function getJson(url: string, opts: FhirFetchOptions): Promise<unknown> {
  const headers: Record<string, string> = { accept: "application/fhir+json, application/json" };
  if (opts.accessToken) headers.authorization = `Bearer ${opts.accessToken}`;
  let res: Response;
  try {
    res = await opts.fetchImpl(url, { headers, signal: opts.signal });
  } catch (e) {
    if (opts.signal.aborted) throw new CdsError("fhir_server_timeout", `FHIR server did not answer in time (${describe(url)})`);
    throw new CdsError("fhir_server_error", `FHIR server unreachable (${describe(url)}): ${(e as Error).message}`);
  }
  if ([401, 403, 404].includes(res.status)) {
    await res.body?.cancel();
    throw new CdsError("precondition_failed", `FHIR server answered ${res.status} for ${describe(url)}; required data is not available`);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new CdsError("fhir_server_error", `FHIR server answered ${res.status} for ${describe(url)}`);
  }
  try {
    return await res.json();
  } catch {
    if (opts.signal.aborted) throw new CdsError("fhir_server_timeout", `FHIR server did not answer in time (${describe(url)})`);
    throw new CdsError("fhir_server_error", `FHIR server sent invalid JSON for ${describe(url)}`);
  }
}

function absolute(opts: FhirFetchOptions, relative: string): string {
  return `${opts.baseUrl.replace(/\/+$/, "")}/${relative.replace(/^\/+/, "")}`;
}

/** GET one resource, e.g. "Patient/123". */
export async function fhirRead(relative: string, opts: FhirFetchOptions): Promise<FhirResource> {
  const url = absolute(opts, relative);
  const parsed = resourceShape.safeParse(await getJson(url, opts));
  if (!parsed.success) throw new CdsError("fhir_server_error", `FHIR server sent a non-resource for ${describe(url)}`);
  return parsed.data as unknown as FhirResource;
}

/** The URL of a Bundle's `next` page, if it is on the FHIR server's own origin. */
export function nextLink(bundle: Pick<Bundle, "link">, baseUrl: string): string | undefined {
  const url = bundle.link?.find((l) => l.relation === "next")?.url;
  if (!url) return undefined;
  try {
    return new URL(url, baseUrl).origin === new URL(baseUrl).origin ? new URL(url, baseUrl).href : undefined;
  } catch {
    return undefined;
  }
}

/** Resources of a searchset Bundle, with `search.mode` "outcome" entries (OperationOutcome) left out. */
export function bundleResources(bundle: Bundle<FhirResource>): FhirResource[] {
  return (bundle.entry ?? []).flatMap((e) => (e.resource && e.search?.mode !== "outcome" ? [e.resource] : []));
}

/** Runs a search (relative URL or an absolute `next` URL) and follows `next` links, at most `maxPages` pages in all. */
export async function fhirSearchAll(relativeOrAbsolute: string, opts: FhirFetchOptions): Promise<FhirResource[]> {
  let url: string | undefined = /^https?:/.test(relativeOrAbsolute) ? relativeOrAbsolute : absolute(opts, relativeOrAbsolute);
  const out: FhirResource[] = [];
  for (let page = 0; url && page < opts.maxPages; page++) {
    const parsed = bundleShape.safeParse(await getJson(url, opts));
    if (!parsed.success) throw new CdsError("fhir_server_error", `FHIR server sent no Bundle for ${describe(url)}`);
    const bundle = parsed.data as unknown as Bundle<FhirResource>;
    out.push(...bundleResources(bundle));
    url = nextLink(bundle, opts.baseUrl);
  }
  return out;
}
