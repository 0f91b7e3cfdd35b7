/**
 * What the simulator page says to the sandbox, the CDS service and the FHIR server (browser fetch).
 * Every failure becomes an ApiError with a sentence a person can read (`describeFailure`); the raw
 * answer stays available for the JSON panel.
 */
import type { Action, Card, Coding } from "../../../src/render/card-schema";

export interface SandboxConfig {
  hookFhirServer: string | null;
  browserFhirServer: string | null;
  userId: string;
  canReset: boolean;
}

export type HookName = "patient-view" | "order-select" | "order-sign";

export interface PatientEntry {
  id: string;
  name: string;
  /** The hook the demo story is written for; undefined for patients of another FHIR server. */
  hook?: "patient-view" | "order-sign";
  /** The clinical story in a sentence or two (demo patients only). */
  story?: string;
  /** topic → indicator the demo patient should get (demo patients only). */
  expected?: Record<string, string>;
}

export interface FhirResourceLike {
  resourceType: string;
  id?: string;
  [key: string]: unknown;
}

export interface DraftBundle {
  resourceType: "Bundle";
  type: string;
  entry?: { resource?: FhirResourceLike }[];
}

export interface DiscoveredService {
  id: string;
  hook: string;
  title?: string;
}

/** A failed call: `message` is for people; `status` and `body` are what came back. */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    message: string,
    readonly status?: number,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The message inside a CDS service error ({error, message}), an OperationOutcome or an OAuth error, if any. */
function messageIn(body: unknown): string | undefined {
  if (typeof body === "string") return body.trim().slice(0, 300) || undefined;
  if (typeof body !== "object" || body === null) return undefined;
  const b = body as Record<string, unknown>;
  if (typeof b["message"] === "string") return b["message"];
  if (b["resourceType"] === "OperationOutcome" && Array.isArray(b["issue"])) {
    const texts = (b["issue"] as { diagnostics?: unknown; details?: { text?: unknown } }[])
      .map((i) => i.diagnostics ?? i.details?.text)
      .filter((t): t is string => typeof t === "string");
    return texts.join("; ") || undefined;
  }
  if (typeof b["error_description"] === "string") return b["error_description"];
  if (typeof b["error"] === "string") return b["error"];
  return undefined;
}

const STATUS_HINTS: Record<number, string> = {
  400: "the request was not accepted",
  401: "it needs credentials this page does not have",
  403: "it refused this request",
  404: "nothing is there",
  412: "it could not get the patient data it needs",
  413: "the request was too large",
  429: "too many requests: wait a moment",
  500: "it failed internally",
  502: "a server behind it answered badly",
  503: "it is not ready: try again shortly",
  504: "it ran out of time reading the FHIR server",
};

/** One readable sentence for a failed call, e.g. "The patient-view hook failed (HTTP 504: it ran out of time…): FHIR reads exceeded 4000 ms". */
export function describeFailure(what: string, status: number, body: unknown): string {
  const hint = STATUS_HINTS[status] ?? (status >= 500 ? "the server failed" : "the request was refused");
  const detail = messageIn(body);
  return `${what} failed (HTTP ${status}: ${hint})${detail ? `: ${detail}` : "."}`;
}

async function call(url: string, init: RequestInit, what: string): Promise<{ status: number; body: unknown }> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch {
    throw new ApiError(
      `${what} failed: ${new URL(url, location.href).origin} could not be reached (is it running, and does it allow this page's origin?).`,
    );
  }
  const body = parseBody(await res.text());
  if (!res.ok) throw new ApiError(describeFailure(what, res.status, body), res.status, body);
  return { status: res.status, body };
}

async function json<T>(url: string, what: string, init: RequestInit = {}): Promise<T> {
  return (await call(url, init, what)).body as T;
}

export const getConfig = () => json<SandboxConfig>("/sandbox/config.json", "Reading the sandbox settings");
export const getPatients = () => json<PatientEntry[]>("/sandbox/patients.json", "Reading the demo patient list");

/** The in-process /fhir's write token (same-origin only); undefined when the FHIR server is external or the host is refused. */
export async function getWriteToken(): Promise<string | undefined> {
  const res = await fetch("/sandbox/write-token");
  return res.ok ? ((await res.json()) as { token: string }).token : undefined;
}

export async function resetDemoData(writeToken: string | undefined): Promise<{ reloaded: number }> {
  return json("/sandbox/reset", "Reloading the demo data", {
    method: "POST",
    headers: writeToken ? { authorization: `Bearer ${writeToken}` } : {},
  });
}

export async function getDraftOrders(patientId: string): Promise<DraftBundle | undefined> {
  const res = await fetch(`/sandbox/draft-orders/${encodeURIComponent(patientId)}.json`);
  if (res.status === 404) return undefined;
  if (!res.ok) throw new ApiError(describeFailure("Reading the draft order", res.status, parseBody(await res.text())), res.status);
  return (await res.json()) as DraftBundle;
}

/** `GET {discoveryUrl}`: the services, by hook. */
export async function discover(discoveryUrl: string): Promise<DiscoveredService[]> {
  const body = await json<{ services?: DiscoveredService[] }>(discoveryUrl, "Service discovery", {
    headers: { accept: "application/json" },
  });
  if (!Array.isArray(body.services)) throw new ApiError(`Service discovery at ${discoveryUrl} did not answer {"services": [...]}.`);
  return body.services;
}

export interface HookExchange {
  url: string;
  request: Record<string, unknown>;
  status?: number;
  response?: unknown;
  cards?: Card[];
  error?: ApiError;
}

/** POSTs a hook; never throws: the exchange (request, response or error) is what the JSON panel shows. */
export async function callHook(serviceUrl: string, hook: HookName, request: Record<string, unknown>): Promise<HookExchange> {
  const exchange: HookExchange = { url: serviceUrl, request };
  try {
    const { status, body } = await call(
      serviceUrl,
      { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request) },
      `The ${hook} hook`,
    );
    exchange.status = status;
    exchange.response = body;
    const cards = (body as { cards?: unknown }).cards;
    if (!Array.isArray(cards)) throw new ApiError(`The ${hook} hook answered without a "cards" list.`, status, body);
    exchange.cards = cards as Card[];
  } catch (err) {
    exchange.error = err instanceof ApiError ? err : new ApiError(String(err));
    if (exchange.error.status !== undefined) exchange.status = exchange.error.status;
    if (exchange.error.body !== undefined) exchange.response = exchange.error.body;
  }
  return exchange;
}

export interface FeedbackItem {
  card: string;
  outcome: "accepted" | "overridden";
  acceptedSuggestions?: { id: string }[];
  overrideReason?: { reason?: Coding; userComment?: string };
  outcomeTimestamp: string;
}

export async function sendFeedback(serviceUrl: string, item: FeedbackItem): Promise<void> {
  await call(
    `${serviceUrl}/feedback`,
    { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ feedback: [item] }) },
    "Sending feedback",
  );
}

/** A FHIR search's resources (first page), for the patient and provider pickers. */
export async function searchFhir(fhirBase: string, query: string): Promise<FhirResourceLike[]> {
  const bundle = await json<{ entry?: { resource?: FhirResourceLike }[] }>(
    `${fhirBase}/${query}`,
    `Searching ${query.split("?")[0] ?? ""} on ${fhirBase}`,
    { headers: { accept: "application/fhir+json" } },
  );
  return (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
}

/**
 * Applies one suggestion action against the FHIR server (drafts of the order being signed are handled by the caller).
 * The write token goes only to this page's own origin (the in-process /fhir), never to an external server.
 */
export async function applyOnServer(fhirBase: string, action: Action, writeToken?: string): Promise<string> {
  const ownServer = new URL(fhirBase, location.origin).origin === location.origin;
  const headers: Record<string, string> = { "content-type": "application/fhir+json", accept: "application/fhir+json" };
  if (writeToken && ownServer) headers["authorization"] = `Bearer ${writeToken}`;
  const resource = action.resource as FhirResourceLike | undefined;
  if (action.type === "create" && resource) {
    const created = await json<FhirResourceLike>(`${fhirBase}/${resource.resourceType}`, `Creating the ${resource.resourceType}`, {
      method: "POST",
      headers,
      body: JSON.stringify(resource),
    });
    return `created ${created.resourceType}/${created.id ?? "?"}`;
  }
  if (action.type === "update" && resource?.id) {
    await json<unknown>(`${fhirBase}/${resource.resourceType}/${resource.id}`, `Updating ${resource.resourceType}/${resource.id}`, {
      method: "PUT",
      headers,
      body: JSON.stringify(resource),
    });
    return `updated ${resource.resourceType}/${resource.id}`;
  }
  const target = action.resourceId ?? (resource?.id ? `${resource.resourceType}/${resource.id}` : undefined);
  if (action.type === "delete" && target) {
    await json<unknown>(`${fhirBase}/${target}`, `Deleting ${target}`, { method: "DELETE", headers });
    return `deleted ${target}`;
  }
  throw new ApiError(`This suggestion's ${action.type} action has no resource to apply.`);
}
