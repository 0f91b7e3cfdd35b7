/** What the simulator page says to the sandbox, the CDS service and the FHIR server (browser fetch). */
import type { Action, Card, Coding } from "../../../src/render/card-schema";

export interface SandboxConfig {
  hookFhirServer: string | null;
  browserFhirServer: string | null;
  userId: string;
  canReset: boolean;
}

export interface PatientEntry {
  id: string;
  name: string;
  hook: "patient-view" | "order-sign";
  expected: Record<string, string>;
  why: string;
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

export const SERVICE_FOR_HOOK = { "patient-view": "vitd-patient-view", "order-sign": "vitd-order-sign" } as const;
export type HookName = keyof typeof SERVICE_FOR_HOOK;

async function json<T>(res: Response, what: string): Promise<T> {
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
  return (await res.json()) as T;
}

export const getConfig = async () => json<SandboxConfig>(await fetch("/sandbox/config.json"), "sandbox config");
export const getPatients = async () => json<PatientEntry[]>(await fetch("/sandbox/patients.json"), "patient list");

/** The in-process /fhir's write token (same-origin only); undefined when the FHIR server is external or the host is refused. */
export async function getWriteToken(): Promise<string | undefined> {
  const res = await fetch("/sandbox/write-token");
  return res.ok ? (await json<{ token: string }>(res, "write token")).token : undefined;
}

export async function resetDemoData(writeToken: string | undefined): Promise<Response> {
  return fetch("/sandbox/reset", { method: "POST", headers: writeToken ? { authorization: `Bearer ${writeToken}` } : {} });
}

export async function getDraftOrders(patientId: string): Promise<DraftBundle | undefined> {
  const res = await fetch(`/sandbox/draft-orders/${encodeURIComponent(patientId)}.json`);
  return res.status === 404 ? undefined : json<DraftBundle>(res, "draft orders");
}

export async function callHook(hook: HookName, body: Record<string, unknown>): Promise<Card[]> {
  const res = await fetch(`/cds-services/${SERVICE_FOR_HOOK[hook]}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return (await json<{ cards: Card[] }>(res, `${hook} hook`)).cards;
}

export interface FeedbackItem {
  card: string;
  outcome: "accepted" | "overridden";
  acceptedSuggestions?: { id: string }[];
  overrideReason?: { reason?: Coding; userComment?: string };
  outcomeTimestamp: string;
}

export async function sendFeedback(hook: HookName, item: FeedbackItem): Promise<void> {
  const res = await fetch(`/cds-services/${SERVICE_FOR_HOOK[hook]}/feedback`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ feedback: [item] }) });
  await json<unknown>(res, "feedback");
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
    const created = await json<FhirResourceLike>(await fetch(`${fhirBase}/${resource.resourceType}`, { method: "POST", headers, body: JSON.stringify(resource) }), "create");
    return `created ${created.resourceType}/${created.id ?? "?"}`;
  }
  if (action.type === "update" && resource?.id) {
    await json<unknown>(await fetch(`${fhirBase}/${resource.resourceType}/${resource.id}`, { method: "PUT", headers, body: JSON.stringify(resource) }), "update");
    return `updated ${resource.resourceType}/${resource.id}`;
  }
  const target = action.resourceId ?? (resource?.id ? `${resource.resourceType}/${resource.id}` : undefined);
  if (action.type === "delete" && target) {
    await json<unknown>(await fetch(`${fhirBase}/${target}`, { method: "DELETE", headers }), "delete");
    return `deleted ${target}`;
  }
  throw new Error(`cannot apply a ${action.type} action without a resource`);
}
