/**
 * zod schemas of CDS Hooks 2.0 requests for the hooks this service answers
 * (docs/service-contract.md; CDS Hooks 2.0 and its patient-view, order-select and order-sign hook definitions).
 * A failed parse becomes a 400 naming the first bad field. A request the fast guard of request-check.ts
 * accepts never reaches zod (zod's loose objects copy every field they check); these schemas are the rules.
 */
import { z } from "zod";
import { CdsError } from "../errors";
import type { DataRequest } from "../fhir/data-request";
import { addIssuesOf, bundleEnvelopeSchema } from "../fhir/resource-schemas";
import { passesBundleEnvelope } from "../fhir/resource-validators";
import { checkedHookRequest } from "./request-check";
import {
  BEARER,
  FHIR_ID,
  fhirServerSchema,
  flatRequest,
  hookInstanceSchema,
  SELECTION_REFERENCE,
  tagPrefetch,
  USER_REFERENCE,
  type FlatRequest,
  type HookName,
} from "./request-fields";

export type { HookName } from "./request-fields";

const fhirId = z.string().regex(FHIR_ID, "must be a FHIR id ([A-Za-z0-9-.], at most 64 characters)");
const userReference = z.string().regex(USER_REFERENCE, "must be a reference like Practitioner/123");

/**
 * Draft orders: a Bundle whose entries hold resources. Only the envelope is checked here; each
 * resource is read on its own (src/fhir/read-resources.ts), so an unreadable draft is left out and
 * listed under "Data not used" rather than failing the call.
 */
const draftOrdersBundle = z.looseObject({
  resourceType: z.literal("Bundle"),
  entry: z.array(z.looseObject({ resource: z.looseObject({ resourceType: z.string().min(1) }) })).optional(),
});

const fhirAuthorization = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().regex(BEARER, "must be Bearer"),
  expires_in: z.number().int().nonnegative(),
  scope: z.string().min(1),
  subject: z.string().min(1),
});

const anyResource = z.looseObject({ resourceType: z.string().min(1) });

/**
 * A prefetch value is a FHIR resource (often a searchset Bundle) or null ("the EHR found nothing").
 * Only the envelope is checked here (a Bundle's `entry` and `link` lists; the 400 names the path,
 * e.g. `prefetch.vitaminD.entry`); the resources themselves are read one by one and an unreadable
 * one is left out and reported (src/fhir/read-resources.ts).
 */
const prefetch = z.record(
  z.string(),
  z
    .union([z.null(), anyResource])
    .superRefine((value, ctx) => {
      // The generated check first (no copy); zod only to name the field at fault.
      if (value?.resourceType === "Bundle" && !passesBundleEnvelope(value)) addIssuesOf(bundleEnvelopeSchema, value, ctx);
    })
    // Tagged for the data layer; the refinement above has just checked a Bundle's envelope.
    .transform(tagPrefetch),
);

const baseContext = {
  userId: userReference,
  patientId: fhirId,
  encounterId: fhirId.optional(),
};

const contextByHook = {
  "patient-view": z.looseObject(baseContext),
  "order-select": z.looseObject({
    ...baseContext,
    selections: z.array(z.string().regex(SELECTION_REFERENCE, "must be a reference like MedicationRequest/123")).min(1),
    draftOrders: draftOrdersBundle,
  }),
  "order-sign": z.looseObject({ ...baseContext, draftOrders: draftOrdersBundle }),
} as const;

/** What every hook's context schema yields (order hooks add their fields). */
interface ContextOut {
  userId: string;
  patientId: string;
  encounterId?: string | undefined;
  selections?: string[];
  draftOrders?: z.output<typeof draftOrdersBundle>;
}

function requestSchema(hook: HookName, context: z.ZodType<ContextOut>) {
  return z
    .looseObject({
      hook: z.literal(hook, { error: `must be "${hook}" for this service` }),
      hookInstance: hookInstanceSchema,
      fhirServer: fhirServerSchema.optional(),
      fhirAuthorization: fhirAuthorization.optional(),
      context,
      prefetch: prefetch.optional(),
    })
    .superRefine((req, ctx) => {
      if (req.fhirAuthorization && !req.fhirServer) {
        ctx.addIssue({ code: "custom", path: ["fhirServer"], message: "is required when fhirAuthorization is present" });
      }
    })
    .transform((req) => flatRequest(hook, req));
}

const schemas = {
  "patient-view": requestSchema("patient-view", contextByHook["patient-view"]),
  "order-select": requestSchema("order-select", contextByHook["order-select"]),
  "order-sign": requestSchema("order-sign", contextByHook["order-sign"]),
};

/** A parsed hook request, flattened for the pipeline: its type is the schemas' output, never written by hand. */
export type HookRequest = z.output<(typeof schemas)[HookName]>;

// The fast guard builds the same type (flatRequest is both paths' last step).
const _sameAsChecked = (r: HookRequest): FlatRequest => r;
void _sameAsChecked;

// The data layer takes a parsed request as it is.
const _isDataRequest = (r: HookRequest): DataRequest => r;
void _isDataRequest;

function pathOf(path: PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), "");
}

/**
 * Validates a hook request body for `hook`; throws a 400 CdsError naming each bad field. The fast guard
 * (request-check.ts) answers for a request it can vouch for; zod decides the rest and names the fields at fault.
 */
export function parseHookRequest(hook: HookName, body: unknown): HookRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new CdsError("invalid_request", "request body must be a JSON object", [{ field: "(body)", message: "must be a JSON object" }]);
  }
  const checked = checkedHookRequest(hook, body as Record<string, unknown>);
  if (checked) return checked;
  const result = schemas[hook].safeParse(body);
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({ field: pathOf(i.path) || "(body)", message: i.message }));
    const first = issues[0];
    throw new CdsError("invalid_request", first ? `${first.field}: ${first.message}` : "invalid request", issues);
  }
  return result.data;
}

/** zod alone, without the fast guard (for the test that holds the two to the same answers). */
export function parseWithZod(hook: HookName, body: unknown): { ok: true; request: HookRequest } | { ok: false } {
  const result = schemas[hook].safeParse(body);
  return result.success ? { ok: true, request: result.data } : { ok: false };
}
