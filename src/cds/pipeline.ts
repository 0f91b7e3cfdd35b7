/**
 * One hook call, start to finish, without Express: validate the request → gather FHIR data
 * (prefetch, then fallback fetch) → run the clinical engine → filter suppressed cards.
 * Errors are CdsErrors (mapped to status codes by the HTTP layer).
 */
import type { ClinicalConfig } from "../config/clinical-config";
import { CdsError } from "../errors";
import { runEngine, type EngineResult } from "../engine";
import { gatherClinicalResources, type DataAccessDeps } from "../fhir/clinical-data";
import type { Card } from "../render";
import { prefetchQueries } from "./prefetch-queries";
import { parseHookRequest, type HookRequest } from "./request-schema";
import { serviceById } from "./services";
import { tenantKey, tenantOf, type Tenant } from "./tenant";

export interface HookResponse {
  cards: Card[];
}

/** Hides cards the clinician already dealt with (feedback-based suppression, per tenant); identity when absent. */
export type CardFilter = (cards: Card[], req: HookRequest, result: EngineResult, tenant: Tenant) => Promise<Card[]>;

export interface PipelineDeps {
  clinicalConfig: ClinicalConfig;
  clock: () => Date;
  dataAccess: Omit<DataAccessDeps, "now">;
  serviceLabel: string;
  cardFilter?: CardFilter;
}

export interface HookCallMeta {
  /** Public base URL of this service, e.g. "https://cds.example.org" (for the SMART app link); undefined → cards carry no link. */
  baseUrl: string | undefined;
  /** The verified JWT issuer of the caller; undefined when auth is off. */
  issuer?: string | undefined;
  /** Called once the request is parsed (for logging hookInstance, metrics). */
  onParsed?: (req: HookRequest) => void;
  onResult?: (result: EngineResult) => void;
}

export async function runHook(serviceId: string, body: unknown, deps: PipelineDeps, meta: HookCallMeta): Promise<HookResponse> {
  const service = serviceById.get(serviceId);
  if (!service) throw new CdsError("not_found", `No CDS service "${serviceId}"`);
  const req = parseHookRequest(service.hook, body);
  meta.onParsed?.(req);
  const tenant = tenantOf(meta.issuer, req.fhirServer);
  const now = deps.clock();
  const resources = await gatherClinicalResources(req, prefetchQueries, { ...deps.dataAccess, now });
  const result = runEngine(resources, {
    config: deps.clinicalConfig,
    now,
    render: {
      hook: req.hook,
      patientId: req.patientId,
      tenant: tenantKey(tenant),
      serviceLabel: deps.serviceLabel,
      draftOrders: resources.draftOrders,
      ...(meta.baseUrl !== undefined ? { smartLaunchUrl: `${meta.baseUrl}/smart/launch.html` } : {}),
    },
  });
  meta.onResult?.(result);
  const cards = deps.cardFilter ? await deps.cardFilter(result.cards, req, result, tenant) : result.cards;
  return { cards };
}
