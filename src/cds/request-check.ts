/**
 * The fast path of request validation: a check-only guard that accepts a hook request only where the zod
 * schemas of request-schema.ts would, and then builds the same flat request (flatRequest) from the body
 * as it is — no copy of any level. It may decline what zod accepts (zod then decides); it must never
 * accept what zod rejects. test/cds/request-check.test.ts holds the two to the same answers and outputs on
 * the fixture requests and every one-field mutation of them.
 */
import type { PrefetchValue } from "../fhir/data-request";
import { passesBundleEnvelope } from "../fhir/resource-validators";
import {
  BEARER,
  FHIR_ID,
  fhirServerSchema,
  flatRequest,
  SELECTION_REFERENCE,
  tagPrefetch,
  USER_REFERENCE,
  UUID,
  type AcceptedRequest,
  type FlatRequest,
  type HookName,
} from "./request-fields";

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const isFilled = (v: unknown): v is string => typeof v === "string" && v.length > 0;
const matches = (v: unknown, re: RegExp): v is string => typeof v === "string" && re.test(v);
/**
 * A resource the guard hands on as it is: zod's copy of it would leave out an own `__proto__` key (JSON.parse
 * makes one), so such a resource is left to zod and both paths give the same object.
 */
const isResource = (v: unknown): v is Json & { resourceType: string } =>
  isObject(v) && isFilled(v.resourceType) && !Object.hasOwn(v, "__proto__");

function draftOrdersOk(d: unknown): boolean {
  if (!isObject(d) || d.resourceType !== "Bundle") return false;
  if (d.entry === undefined) return true;
  return Array.isArray(d.entry) && d.entry.every((e) => isObject(e) && isResource(e.resource));
}

function contextOk(hook: HookName, c: unknown): c is AcceptedRequest["context"] {
  if (!isObject(c) || !matches(c.userId, USER_REFERENCE) || !matches(c.patientId, FHIR_ID)) return false;
  if (c.encounterId !== undefined && !matches(c.encounterId, FHIR_ID)) return false;
  if (hook === "order-select") {
    const s = c.selections;
    if (!Array.isArray(s) || s.length === 0 || !s.every((r) => matches(r, SELECTION_REFERENCE))) return false;
  }
  return hook === "patient-view" || draftOrdersOk(c.draftOrders);
}

function authorizationOk(a: unknown): boolean {
  return (
    isObject(a) &&
    isFilled(a.access_token) &&
    matches(a.token_type, BEARER) &&
    Number.isSafeInteger(a.expires_in) &&
    (a.expires_in as number) >= 0 &&
    isFilled(a.scope) &&
    isFilled(a.subject)
  );
}

/** The prefetch record tagged like zod's transform does, or undefined to leave it to zod. */
function checkedPrefetch(p: unknown): Record<string, PrefetchValue> | undefined {
  if (!isObject(p)) return undefined;
  const out: Record<string, PrefetchValue> = {};
  for (const key of Object.keys(p)) {
    if (key === "__proto__") return undefined; // zod leaves such a key out; so does zod's path
    const v = p[key];
    if (v === null) out[key] = null;
    else if (isResource(v) && (v.resourceType !== "Bundle" || passesBundleEnvelope(v))) out[key] = tagPrefetch(v);
    else return undefined;
  }
  return out;
}

/** The flat request when the guard can vouch for `body` (a JSON object), else undefined (zod decides). */
export function checkedHookRequest(hook: HookName, body: Json): FlatRequest | undefined {
  if (body.hook !== hook || !matches(body.hookInstance, UUID)) return undefined;
  const { fhirServer, fhirAuthorization, context } = body;
  if (fhirServer !== undefined && !fhirServerSchema.safeParse(fhirServer).success) return undefined;
  if (fhirAuthorization !== undefined && (fhirServer === undefined || !authorizationOk(fhirAuthorization))) return undefined;
  if (!contextOk(hook, context)) return undefined;
  let prefetch: Record<string, PrefetchValue> | undefined;
  if (body.prefetch !== undefined && !(prefetch = checkedPrefetch(body.prefetch))) return undefined;
  return flatRequest(hook, {
    hookInstance: body.hookInstance,
    fhirServer: fhirServer as string | undefined,
    fhirAuthorization: fhirAuthorization as AcceptedRequest["fhirAuthorization"],
    context,
    prefetch,
  });
}
