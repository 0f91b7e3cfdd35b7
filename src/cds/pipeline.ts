/**
 * One hook call, start to finish, without Express: validate the request → gather FHIR data
 * (prefetch, then fallback fetch) → run the clinical engine → hide suppressed cards → record the
 * cards shown → tell the observers (metrics, data report). Errors are CdsErrors (mapped to status
 * codes by the HTTP layer).
 */
import type { ClinicalConfig } from "../config/clinical-config";
import { CdsError } from "../errors";
import { runEngine, type EngineResult } from "../engine";
import { gatherClinicalResources, type DataAccessDeps } from "../fhir/clinical-data";
import type { Card } from "../render";
import { prefetchQueries } from "../fhir/queries";
import { parseHookRequest, type HookRequest } from "./request-schema";
import { serviceById } from "./services";
import { tenantKey, tenantOf, type Tenant } from "./tenant";

export interface HookResponse {
  cards: Card[];
}

/** One hook call as the stages after the engine see it. */
export interface HookCall {
  req: HookRequest;
  result: EngineResult;
  tenant: Tenant;
}

/** The stages after the engine, each optional; implemented outside `cds/` (feedback, metrics). */
export interface CardStages {
  /** Hides cards the clinician already dealt with (feedback-based suppression, per tenant); returns the cards to show. */
  hideSuppressed?: (cards: Card[], call: HookCall) => Promise<Card[]>;
  /** Records the cards shown, so feedback naming their uuid can be tied back. */
  recordIssued?: (shown: Card[], call: HookCall) => Promise<void>;
  /** Told what was shown and what was hidden; synchronous, must not throw. */
  observers?: ((outcome: { shown: Card[]; hidden: Card[] }, call: HookCall) => void)[];
}

export interface PipelineDeps {
  clinicalConfig: ClinicalConfig;
  clock: () => Date;
  dataAccess: Omit<DataAccessDeps, "now">;
  serviceLabel: string;
  cards?: CardStages;
}

export interface HookCallMeta {
  /** Public base URL of this service, e.g. "https://cds.example.org" (for the SMART app link); undefined → cards carry no link. */
  baseUrl: string | undefined;
  /** The verified JWT issuer of the caller; undefined when auth is off. */
  issuer?: string | undefined;
  /** Called once the request is parsed (for logging hookInstance). */
  onParsed?: (req: HookRequest) => void;
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
      ...(meta.baseUrl !== undefined
        ? { smartLaunchUrl: `${meta.baseUrl}/smart/launch.html`, patternDocsUrl: `${meta.baseUrl}/smart/patterns` }
        : {}),
    },
  });
  const call: HookCall = { req, result, tenant };
  const stages = deps.cards ?? {};
  const shown = stages.hideSuppressed ? await stages.hideSuppressed(result.cards, call) : result.cards;
  await stages.recordIssued?.(shown, call);
  if (stages.observers?.length) {
    const hidden = result.cards.filter((c) => !shown.includes(c));
    for (const observe of stages.observers) observe({ shown, hidden }, call);
  }
  return { cards: shown };
}
