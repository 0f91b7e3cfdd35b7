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
import { fetchHttpGet, nodeHttpGet } from "../net/http-get";
import { Limiter } from "../net/limiter";
import type { FetchFn } from "../net/outbound";
import type { EvaluateArgs } from "./args";
import { SERVICE_NAME } from "../service-name";

export interface EvaluateDeps {
  fetchImpl?: FetchFn;
  clock?: () => Date;
  clinicalConfig?: ClinicalConfig;
  env?: NodeJS.ProcessEnv;
}

const SERVICE_ID = { "patient-view": "vitd-patient-view", "order-select": "vitd-order-select", "order-sign": "vitd-order-sign" } as const;

/** `--draft` could not be used: a missing file, bad JSON or not a FHIR resource (exit 2, like bad arguments). */
export class DraftError extends Error {
  override name = "DraftError";
}

interface DraftResource {
  resourceType?: unknown;
  id?: unknown;
  [k: string]: unknown;
}

interface DraftBundle {
  resourceType: "Bundle";
  type: string;
  entry: { resource?: DraftResource }[];
}

/** `--draft`: inline JSON (starts with "{") or a file; a Bundle, or one resource wrapped into a collection Bundle. */
export function readDraftOrders(draft: string): DraftBundle {
  const inline = draft.trimStart().startsWith("{");
  let text: string;
  try {
    text = inline ? draft : readFileSync(draft, "utf8");
  } catch (err) {
    throw new DraftError(
      `cannot read --draft file "${draft}": ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new DraftError(`--draft ${inline ? "JSON" : `file "${draft}"`} is not valid JSON: ${(err as Error).message}`);
  }
  const resource = parsed as { resourceType?: unknown; entry?: unknown };
  if (typeof parsed !== "object" || parsed === null || typeof resource.resourceType !== "string") {
    throw new DraftError("--draft must be a FHIR resource: a MedicationRequest or a Bundle of draft orders");
  }
  if (resource.resourceType === "Bundle") {
    const list: unknown[] = Array.isArray(resource.entry) ? (resource.entry as unknown[]) : [];
    const entry = list.filter((e): e is DraftBundle["entry"][number] => typeof e === "object" && e !== null);
    return { type: "collection", ...parsed, resourceType: "Bundle", entry };
  }
  return { resourceType: "Bundle", type: "collection", entry: [{ resource }] };
}

const refOf = (r: { resourceType?: unknown; id?: unknown } | undefined) =>
  r && typeof r.resourceType === "string" && typeof r.id === "string" ? `${r.resourceType}/${r.id}` : undefined;

/** What a run evaluates, in words: the hook, the patient, the server and every draft order given. */
export function describeEvaluation(args: EvaluateArgs): string[] {
  const lines = [`Evaluated: ${args.hook} for Patient/${args.patient} on ${args.fhir} (user ${args.user})`];
  if (args.hook === "patient-view" || args.draft === undefined) return lines;
  const drafts = readDraftOrders(args.draft).entry.flatMap((e) => (e.resource ? [e.resource] : []));
  if (drafts.length === 0) return [...lines, "Draft orders: none in --draft, so only the record was checked"];
  const label = args.hook === "order-select" ? "Draft orders (all selected)" : "Draft orders";
  return [
    ...lines,
    `${label}: ${drafts.length}`,
    ...drafts.map((d) => {
      const med = (d["medicationCodeableConcept"] as { text?: unknown } | undefined)?.text;
      const dose = (d["dosageInstruction"] as { text?: unknown }[] | undefined)?.[0]?.text;
      return `  - ${refOf(d) ?? String(d.resourceType)}${typeof med === "string" ? ` ${med}` : ""}${typeof dose === "string" ? `, ${dose}` : ""}${d["status"] !== "draft" ? ` (status ${String(d["status"])}, not draft)` : ""}`;
    }),
  ];
}

export function hookBody(args: EvaluateArgs): Record<string, unknown> {
  const context: Record<string, unknown> = { userId: args.user, patientId: args.patient };
  if (args.hook !== "patient-view") {
    const bundle = readDraftOrders(args.draft ?? '{"resourceType":"Bundle","type":"collection","entry":[]}');
    context["draftOrders"] = bundle;
    // order-select: advice focuses on the selections; the CLI selects every draft it was given.
    if (args.hook === "order-select") context["selections"] = bundle.entry.flatMap((e) => refOf(e.resource) ?? []);
  }
  const body: Record<string, unknown> = { hook: args.hook, hookInstance: randomUUID(), fhirServer: args.fhir, context };
  if (args.token) {
    body["fhirAuthorization"] = {
      access_token: args.token,
      token_type: "Bearer",
      expires_in: 300,
      scope: `patient/*.read`,
      subject: "vitd-cds-cli",
    };
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
      serviceLabel: SERVICE_NAME,
      // The user named this server on the command line: no allow-list applies.
      dataAccess: {
        httpGet: deps.fetchImpl ? fetchHttpGet(deps.fetchImpl) : nodeHttpGet(),
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
