/**
 * What the two request checks share (the zod schemas of request-schema.ts and the fast guard of
 * request-check.ts): the field rules, and the one function that turns an accepted request into the flat
 * HookRequest the pipeline reads — so both paths give the same output by construction.
 */
import { z } from "zod";
import type { PrefetchValue } from "../fhir/data-request";
import type { BundleEnvelope } from "../fhir/resource-schemas";

export type HookName = "patient-view" | "order-select" | "order-sign";

/** FHIR id: [A-Za-z0-9\-\.]{1,64}. Enforced because ids are substituted into FHIR query URLs. */
export const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
export const USER_REFERENCE = /^(Practitioner|PractitionerRole|Patient|RelatedPerson)\/[A-Za-z0-9\-.]{1,64}$/;
export const SELECTION_REFERENCE = /^[A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/;
export const BEARER = /^bearer$/i;
/** Credentials in the URL would be sent to, echoed by and logged with every request: refused, never echoed. */
const CREDENTIALS_IN_URL = /^[a-z]+:\/\/[^/?#]*@/i;

/** The two string rules too intricate to restate (RFC 9562 UUID; WHATWG URL parse): both checks call these. */
export const hookInstanceSchema = z.uuid({ error: "must be a UUID" });
/** The pattern `z.uuid()` checks, from zod itself: the fast guard tests it without a safeParse (≈ 10 µs per hook). */
export const UUID = z.regexes.uuid();
export const fhirServerSchema = z
  .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
  .refine((u) => !CREDENTIALS_IN_URL.test(u), { error: "must not contain credentials (user:password@)" });

/** A prefetch value tagged for the data layer (a Bundle's envelope has been checked by then). */
export function tagPrefetch(value: { resourceType: string } | null): PrefetchValue {
  if (value === null) return null;
  return value.resourceType === "Bundle" ? { kind: "bundle", bundle: value as BundleEnvelope } : { kind: "resource", resource: value };
}

/** A request either check has accepted, as far as the flat HookRequest reads it. */
export interface AcceptedRequest {
  hookInstance: string;
  fhirServer?: string | undefined;
  fhirAuthorization?: { access_token: string } | undefined;
  context: {
    userId: string;
    patientId: string;
    encounterId?: string | undefined;
    selections?: string[];
    draftOrders?: { entry?: { resource: { resourceType: string } }[] | undefined };
  };
  prefetch?: Record<string, PrefetchValue> | undefined;
}

export type FlatRequest = ReturnType<typeof flatRequest>;

/** Trailing slashes dropped: query URLs are built as `${fhirServer}/${path}`. */
const trimSlashes = (url: string) => url.replace(/\/+$/, "");

/**
 * The flat request of one hook. Only the hook's own context fields are read: a patient-view context may
 * carry anything else (its schema is loose), so its `selections` or `draftOrders` are never looked at.
 */
export function flatRequest(hook: HookName, req: AcceptedRequest) {
  const c = req.context;
  return {
    hook,
    hookInstance: req.hookInstance,
    ...(req.fhirServer ? { fhirServer: trimSlashes(req.fhirServer) } : {}),
    ...(req.fhirAuthorization ? { accessToken: req.fhirAuthorization.access_token } : {}),
    patientId: c.patientId,
    userId: c.userId,
    ...(c.encounterId ? { encounterId: c.encounterId } : {}),
    ...(hook === "order-select" && c.selections ? { selections: c.selections } : {}),
    draftOrders: hook === "patient-view" ? [] : (c.draftOrders?.entry ?? []).map((e) => e.resource),
    ...(req.prefetch ? { prefetch: req.prefetch } : {}),
  };
}
