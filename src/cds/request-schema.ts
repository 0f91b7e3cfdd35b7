/**
 * zod schemas of CDS Hooks 2.0 requests for the hooks this service answers
 * (docs/service-contract.md; CDS Hooks 2.0 and its patient-view, order-select and order-sign hook definitions).
 * A failed parse becomes a 400 naming the first bad field.
 */
import { z } from "zod";
import { CdsError } from "../errors";
import type { DataRequest, PrefetchValue } from "../fhir/data-request";
import { addIssuesOf, bundleEnvelopeSchema, type BundleEnvelope } from "../fhir/resource-schemas";
import { passesBundleEnvelope } from "../fhir/resource-validators";

export type HookName = "patient-view" | "order-select" | "order-sign";

/** FHIR id: [A-Za-z0-9\-\.]{1,64}. Enforced because ids are substituted into FHIR query URLs. */
const fhirId = z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, "must be a FHIR id ([A-Za-z0-9-.], at most 64 characters)");
const userReference = z
  .string()
  .regex(/^(Practitioner|PractitionerRole|Patient|RelatedPerson)\/[A-Za-z0-9\-.]{1,64}$/, "must be a reference like Practitioner/123");

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
  token_type: z.string().regex(/^bearer$/i, "must be Bearer"),
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
    .transform((value): PrefetchValue =>
      value === null
        ? null
        : value.resourceType === "Bundle"
          ? { kind: "bundle", bundle: value as BundleEnvelope }
          : { kind: "resource", resource: value },
    ),
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
    selections: z.array(z.string().regex(/^[A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/, "must be a reference like MedicationRequest/123")).min(1),
    draftOrders: draftOrdersBundle,
  }),
  "order-sign": z.looseObject({ ...baseContext, draftOrders: draftOrdersBundle }),
} as const;

/** Trailing slashes dropped: query URLs are built as `${fhirServer}/${path}`. */
const trimSlashes = (url: string) => url.replace(/\/+$/, "");

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
      hookInstance: z.uuid({ error: "must be a UUID" }),
      fhirServer: z
        .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
        // Credentials in the URL would be sent to, echoed by and logged with every request: refused, never echoed.
        .refine((u) => !/^[a-z]+:\/\/[^/?#]*@/i.test(u), { error: "must not contain credentials (user:password@)" })
        .optional(),
      fhirAuthorization: fhirAuthorization.optional(),
      context,
      prefetch: prefetch.optional(),
    })
    .superRefine((req, ctx) => {
      if (req.fhirAuthorization && !req.fhirServer) {
        ctx.addIssue({ code: "custom", path: ["fhirServer"], message: "is required when fhirAuthorization is present" });
      }
    })
    .transform((req) => {
      const c = req.context;
      return {
        hook,
        hookInstance: req.hookInstance,
        ...(req.fhirServer ? { fhirServer: trimSlashes(req.fhirServer) } : {}),
        ...(req.fhirAuthorization ? { accessToken: req.fhirAuthorization.access_token } : {}),
        patientId: c.patientId,
        userId: c.userId,
        ...(c.encounterId ? { encounterId: c.encounterId } : {}),
        ...(c.selections ? { selections: c.selections } : {}),
        draftOrders: (c.draftOrders?.entry ?? []).map((e) => e.resource),
        ...(req.prefetch ? { prefetch: req.prefetch } : {}),
      };
    });
}

const schemas = {
  "patient-view": requestSchema("patient-view", contextByHook["patient-view"]),
  "order-select": requestSchema("order-select", contextByHook["order-select"]),
  "order-sign": requestSchema("order-sign", contextByHook["order-sign"]),
};

/** A parsed hook request, flattened for the pipeline: its type is the schemas' output, never written by hand. */
export type HookRequest = z.output<(typeof schemas)[HookName]>;

// The data layer takes a parsed request as it is.
const _isDataRequest = (r: HookRequest): DataRequest => r;
void _isDataRequest;

function pathOf(path: PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), "");
}

/** Validates a hook request body for `hook`; throws a 400 CdsError naming each bad field. */
export function parseHookRequest(hook: HookName, body: unknown): HookRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new CdsError("invalid_request", "request body must be a JSON object", [{ field: "(body)", message: "must be a JSON object" }]);
  }
  const result = schemas[hook].safeParse(body);
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({ field: pathOf(i.path) || "(body)", message: i.message }));
    const first = issues[0];
    throw new CdsError("invalid_request", first ? `${first.field}: ${first.message}` : "invalid request", issues);
  }
  return result.data;
}
