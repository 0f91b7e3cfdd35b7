/**
 * Reads from the EHR's FHIR server for the fallback fetch: Bearer token, a deadline shared by all
 * queries of one hook call, `next` links followed up to a bound (same origin only, so a hostile
 * server cannot redirect the token elsewhere), and FHIR failures mapped to CDS errors:
 * 401/403/404 → 412, other failures → 502, deadline → 504. Redirects are never followed (3xx → 502),
 * bodies are capped while streaming (`maxResponseBytes` → 502), and every request takes a slot of
 * the process-wide limiter (FHIR_MAX_CONCURRENCY) for as long as it runs. A search must answer a Bundle
 * whose envelope is well-formed (else 502); the resources inside are returned as JSON for the caller to
 * read one by one (read-resources.ts: an unreadable one is left out and reported).
 *
 * The transport is an HttpGet (src/net/http-get.ts: node:http with keep-alive in production, or any
 * fetch) rather than fhirclient's FhirClient: in Node fhirclient goes through cross-fetch/node-fetch 2
 * (no keep-alive, module-level fetch that tests and the deadline cannot reach). The SMART app uses
 * fhirclient in the browser.
 */

import { CdsError } from "../errors";
import type { Limiter } from "../net/limiter";
import type { HttpAnswer, HttpGet } from "../net/http-get";
import { isRedirect, ResponseTooLargeError } from "../net/outbound";
import { checkServerResource } from "./resource-check";
import { bundleEnvelopeSchema, type BundleEnvelope } from "./resource-schemas";
import { passesBundleEnvelope } from "./resource-validators";

export interface FhirFetchOptions {
  baseUrl: string;
  accessToken?: string;
  signal: AbortSignal;
  maxPages: number;
  httpGet: HttpGet;
  /** Largest response body read (bytes); larger → 502. */
  maxResponseBytes: number;
  /** Process-wide cap on concurrent FHIR requests; a request waits for a slot within the deadline. */
  limiter: Limiter;
}

/** The JSON has a `resourceType` (else it is not FHIR at all; its fields are checked by resource-schemas.ts). */
function resourceTypeOf(json: unknown): string | undefined {
  const type =
    typeof json === "object" && json !== null && !Array.isArray(json) ? (json as { resourceType?: unknown }).resourceType : undefined;
  return typeof type === "string" && type !== "" ? type : undefined;
}

/** A URL as it may appear in errors and logs: origin and path, never userinfo or query values. */
function describe(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}`;
}

/**
 * Runs one request under its own AbortController that follows the shared deadline only while the
 * request runs. fetch leaves its 'abort' listener on the signal it is given, and Node keeps a
 * timeout signal that has listeners (and all they reach: requests, responses) alive until it fires —
 * so with the deadline signal passed directly, every fallback hook's responses stayed in memory for
 * FHIR_TIMEOUT_MS after the hook had answered (see docs/benchmarks.md, memory).
 */
async function underDeadline<T>(deadline: AbortSignal, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const abort = () => controller.abort(deadline.reason);
  if (deadline.aborted) abort();
  else deadline.addEventListener("abort", abort, { once: true });
  try {
    return await run(controller.signal);
  } finally {
    deadline.removeEventListener("abort", abort);
  }
}

function getJson(url: string, opts: FhirFetchOptions): Promise<unknown> {
  return underDeadline(opts.signal, (signal) =>
    opts.limiter
      .run(signal, () => getJsonWith(url, opts, signal))
      .catch((e: unknown) => {
        if (e instanceof CdsError || !signal.aborted) throw e;
        throw new CdsError(
          "fhir_server_timeout",
          `FHIR server did not answer in time (${describe(url)}; still waiting for a free connection slot)`,
          [],
          { cause: e },
        );
      }),
  );
}

async function getJsonWith(url: string, opts: FhirFetchOptions, signal: AbortSignal): Promise<unknown> {
  const headers: Record<string, string> = { accept: "application/fhir+json, application/json" };
  if (opts.accessToken) headers.authorization = `Bearer ${opts.accessToken}`;
  let res: HttpAnswer;
  try {
    res = await opts.httpGet(url, { headers, signal });
  } catch (e) {
    if (opts.signal.aborted) throw new CdsError("fhir_server_timeout", `FHIR server did not answer in time (${describe(url)})`);
    throw new CdsError("fhir_server_error", `FHIR server unreachable (${describe(url)})`, [], { cause: e });
  }
  const { status } = res;
  if (isRedirect({ status, type: "default" })) {
    res.discard();
    throw new CdsError("fhir_server_error", `FHIR server answered ${status} for ${describe(url)} (redirect not followed)`);
  }
  if ([401, 403, 404].includes(status)) {
    res.discard();
    throw new CdsError("precondition_failed", `FHIR server answered ${status} for ${describe(url)}; required data is not available`);
  }
  if (status < 200 || status > 299) {
    res.discard();
    throw new CdsError("fhir_server_error", `FHIR server answered ${status} for ${describe(url)}`);
  }
  let text: string;
  try {
    text = await res.text(opts.maxResponseBytes);
  } catch (e) {
    if (e instanceof ResponseTooLargeError)
      throw new CdsError("fhir_server_error", `FHIR server response for ${describe(url)} is larger than ${opts.maxResponseBytes} bytes`);
    if (opts.signal.aborted) throw new CdsError("fhir_server_timeout", `FHIR server did not answer in time (${describe(url)})`);
    throw new CdsError("fhir_server_error", `FHIR server response for ${describe(url)} could not be read`, [], { cause: e });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    if (opts.signal.aborted) throw new CdsError("fhir_server_timeout", `FHIR server did not answer in time (${describe(url)})`);
    throw new CdsError("fhir_server_error", `FHIR server sent invalid JSON for ${describe(url)}`, [], { cause: e });
  }
}

function absolute(opts: FhirFetchOptions, relative: string): string {
  return `${opts.baseUrl.replace(/\/+$/, "")}/${relative.replace(/^\/+/, "")}`;
}

/** GET one resource, e.g. "Patient/123": its JSON (it has a `resourceType`; the caller reads its fields). */
export async function fhirRead(relative: string, opts: FhirFetchOptions): Promise<unknown> {
  const url = absolute(opts, relative);
  const json = await getJson(url, opts);
  if (!resourceTypeOf(json)) throw new CdsError("fhir_server_error", `FHIR server sent a non-resource for ${describe(url)}`);
  return json;
}

/** The URL of a Bundle's `next` page, if it is on the FHIR server's own origin. */
export function nextLink(bundle: Pick<BundleEnvelope, "link">, baseUrl: string): string | undefined {
  const url = bundle.link?.find((l) => l.relation === "next")?.url;
  if (!url) return undefined;
  try {
    return new URL(url, baseUrl).origin === new URL(baseUrl).origin ? new URL(url, baseUrl).href : undefined;
  } catch {
    return undefined;
  }
}

/** Resources (as JSON) of a searchset Bundle, with `search.mode` "outcome" entries left out. */
export function bundleResources(bundle: BundleEnvelope): unknown[] {
  return (bundle.entry ?? []).flatMap((e) => (e.resource !== undefined && e.search?.mode !== "outcome" ? [e.resource] : []));
}

export interface SearchResult {
  resources: unknown[];
  /** A `next` page was left unread because `maxPages` were read: the result may lack data. */
  truncated: boolean;
}

/** Runs a search (relative URL or an absolute `next` URL) and follows `next` links, at most `maxPages` pages in all. */
export async function fhirSearchAll(relativeOrAbsolute: string, opts: FhirFetchOptions): Promise<SearchResult> {
  let url: string | undefined = /^https?:/.test(relativeOrAbsolute) ? relativeOrAbsolute : absolute(opts, relativeOrAbsolute);
  const resources: unknown[] = [];
  for (let page = 0; url && page < opts.maxPages; page++) {
    const json = await getJson(url, opts);
    if (resourceTypeOf(json) !== "Bundle") throw new CdsError("fhir_server_error", `FHIR server sent no Bundle for ${describe(url)}`);
    const bundle = checkServerResource<BundleEnvelope>(json, bundleEnvelopeSchema, describe(url), passesBundleEnvelope);
    for (const r of bundleResources(bundle)) resources.push(r); // not push(...list): ~130k arguments overflow the stack
    url = nextLink(bundle, opts.baseUrl);
  }
  return { resources, truncated: url !== undefined };
}
