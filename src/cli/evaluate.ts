/**
 * `vitd-cds evaluate`: one hook call through the service's own pipeline (src/cds/pipeline.ts), with
 * no prefetch, so every query runs against the given FHIR server (Bearer token when given).
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { runHook, type HookResponse } from "../cds/pipeline";
import type { ClinicalConfig } from "../config/clinical-config";
import { loadClinicalConfigFile } from "../config/clinical-config-file";
import { FHIR_LIMIT_DEFAULTS } from "../config/env-config";
import type { FetchFn } from "../fhir/fhir-fetch";
import { Limiter } from "../net/limiter";
import type { EvaluateArgs } from "./args";

export interface EvaluateDeps {
  fetchImpl?: FetchFn;
  clock?: () => Date;
  clinicalConfig?: ClinicalConfig;
  env?: NodeJS.ProcessEnv;
}

const SERVICE_ID = { "patient-view": "vitd-patient-view", "order-sign": "vitd-order-sign" } as const;

/** The draft orders file: a Bundle, or a single MedicationRequest wrapped into one. */
function readDraftOrders(path: string | undefined): Record<string, unknown> {
  if (!path) return { resourceType: "Bundle", type: "collection", entry: [] };
  const parsed = JSON.parse(readFileSync(path, "utf8")) as { resourceType?: string };
  return parsed.resourceType === "Bundle" ? parsed : { resourceType: "Bundle", type: "collection", entry: [{ resource: parsed }] };
}

export function hookBody(args: EvaluateArgs): Record<string, unknown> {
  const context: Record<string, unknown> = { userId: args.user, patientId: args.patient };
  if (args.hook === "order-sign") context["draftOrders"] = readDraftOrders(args.draft);
  const body: Record<string, unknown> = { hook: args.hook, hookInstance: randomUUID(), fhirServer: args.fhir, context };
  if (args.token) {
    body["fhirAuthorization"] = { access_token: args.token, token_type: "Bearer", expires_in: 300, scope: `patient/*.read`, subject: "vitd-cds-cli" };
  }
  return body;
}

export async function evaluate(args: EvaluateArgs, deps: EvaluateDeps = {}): Promise<HookResponse> {
  const env = deps.env ?? process.env;
  const timeout = Number(env["FHIR_TIMEOUT_MS"] ?? "15000");
  return runHook(
    SERVICE_ID[args.hook],
    hookBody(args),
    {
      clinicalConfig: deps.clinicalConfig ?? loadClinicalConfigFile(env["CDS_THRESHOLDS"]),
      clock: deps.clock ?? (() => new Date()),
      serviceLabel: "vitd-cds",
      // The user named this server on the command line: no allow-list applies.
      dataAccess: {
        fetchImpl: deps.fetchImpl ?? fetch,
        timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : 15000,
        maxPages: 50,
        maxResponseBytes: FHIR_LIMIT_DEFAULTS.maxResponseBytes,
        limiter: new Limiter(FHIR_LIMIT_DEFAULTS.maxConcurrency),
        isFhirServerAllowed: () => true,
      },
    },
    { baseUrl: env["CDS_PUBLIC_URL"]?.replace(/\/+$/, "") ?? "" },
  );
}
