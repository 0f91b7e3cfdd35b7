/**
 * Bulk Data `$export` for the sandbox's in-process FHIR server (FHIR Bulk Data Access 2.0, the
 * asynchronous request pattern), so population screening (`vitd-cds screen --bulk`) runs end to end
 * against the demo patients:
 *   GET [base]/Patient/$export | [base]/Group/{id}/$export | [base]/$export   (Prefer: respond-async;
 *       `_type`, `_since`, `_outputFormat`)  → 202 + Content-Location of the job's status
 *   GET [base]/$export-status/{job}  → 202 (X-Progress, Retry-After) while "running", then 200 + manifest
 *   DELETE [base]/$export-status/{job}  → 202 (job and files gone)
 *   GET [base]/$export-file/{job}/{file}  → application/fhir+ndjson
 * The export is a snapshot taken at kick-off. Patient-level and system-level exports hold every
 * patient; a Group export only the Group's Patient members (Medications: those their statements and
 * requests reference). `pendingPolls` status checks answer 202 first, so clients exercise polling.
 * Mount it before the FHIR server's router, on the same path (sandbox/main.ts).
 */
import { randomBytes } from "node:crypto";
import type { MemoryRepository } from "@medplum/fhir-router";
import express, { type Request, type Response } from "express";
import type { FhirResource, Group } from "fhir/r4";
import { bearerMatches } from "./fhir-server/bearer";

export interface BulkExportOptions {
  repo: Pick<MemoryRepository, "search" | "readResource">;
  clock?: () => Date;
  /** Status checks answered "in progress" (202) before the manifest (default 1). */
  pendingPolls?: number;
  /** Retry-After (seconds) sent with a 202 status (default 1). */
  retryAfterSeconds?: number;
  /** When set, every export request needs `Authorization: Bearer <token>` and the manifest says requiresAccessToken. */
  requiredBearerToken?: string;
  /** Resources per NDJSON file (a type with more is split into several files; default 1000). */
  resourcesPerFile?: number;
}

/** The types this sandbox exports (the patient compartment types the service reads, plus Medication). */
export const EXPORT_TYPES = ["Patient", "Observation", "MedicationStatement", "MedicationRequest", "Medication", "Condition"] as const;

interface Job {
  request: string;
  transactionTime: string;
  polls: number;
  files: Map<string, { type: string; lines: string[] }>;
}

const FHIR_JSON = "application/fhir+json; charset=utf-8";
const MAX_JOBS = 20;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const ID = /^[A-Za-z0-9\-.]{1,64}$/;

function outcome(code: string, diagnostics: string) {
  return { resourceType: "OperationOutcome", issue: [{ severity: "error", code, diagnostics }] };
}

function send(res: Response, status: number, body: unknown): void {
  res.status(status).type(FHIR_JSON).send(JSON.stringify(body));
}

const baseUrl = (req: Request): string => `${req.protocol}://${req.get("host") ?? "localhost"}${req.baseUrl}`;

/** `Patient/x` (or an absolute URL ending so) → x. */
function patientOf(r: FhirResource): string | undefined {
  if (r.resourceType === "Patient") return r.id;
  const ref =
    (r as { subject?: { reference?: string }; patient?: { reference?: string } }).subject?.reference ??
    (r as { patient?: { reference?: string } }).patient?.reference;
  return /(?:^|\/)Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(ref ?? "")?.[1];
}

function medicationRefOf(r: FhirResource): string | undefined {
  const ref = (r as { medicationReference?: { reference?: string } }).medicationReference?.reference;
  return /(?:^|\/)Medication\/([A-Za-z0-9\-.]{1,64})$/.exec(ref ?? "")?.[1];
}

export function bulkExportRouter(options: BulkExportOptions): express.Router {
  const clock = options.clock ?? (() => new Date());
  const pendingPolls = options.pendingPolls ?? 1;
  const perFile = Math.max(1, options.resourcesPerFile ?? 1000);
  const jobs = new Map<string, Job>();
  const router = express.Router();
  const everything = async (resourceType: string): Promise<FhirResource[]> =>
    ((await options.repo.search({ resourceType: resourceType as FhirResource["resourceType"] })).entry ?? []).flatMap((e) =>
      e.resource ? [e.resource as unknown as FhirResource] : [],
    );

  router.use((req, res, next) => {
    if (!/^\/(\$export|(Patient|Group\/[^/]+)\/\$export|\$export-status\/|\$export-file\/)/.test(req.path)) return next();
    if (options.requiredBearerToken !== undefined && !bearerMatches(req.get("authorization"), options.requiredBearerToken)) {
      return send(res, 401, outcome("login", "Missing or invalid bearer token"));
    }
    next();
  });

  const kickOff = async (req: Request, res: Response, group: string | undefined) => {
    if (!/respond-async/i.test(req.get("prefer") ?? ""))
      return send(res, 400, outcome("invalid", "Bulk Data kick-off needs Prefer: respond-async"));
    const query = req.query as Record<string, unknown>;
    const format = typeof query["_outputFormat"] === "string" ? query["_outputFormat"] : undefined;
    if (format !== undefined && !["application/fhir+ndjson", "application/ndjson", "ndjson"].includes(format)) {
      return send(res, 400, outcome("not-supported", `_outputFormat ${format} is not supported (NDJSON only)`));
    }
    const typeParam = typeof query["_type"] === "string" ? query["_type"] : undefined;
    const types = typeParam
      ? typeParam
          .split(",")
          .map((t) => t.trim())
          .filter(Boolean)
      : [...EXPORT_TYPES];
    const unknown = types.filter((t) => !(EXPORT_TYPES as readonly string[]).includes(t));
    if (unknown.length > 0) return send(res, 400, outcome("not-supported", `_type ${unknown.join(",")} is not exported by this server`));
    const since = typeof query["_since"] === "string" ? query["_since"] : undefined;
    if (since !== undefined && !INSTANT.test(since)) return send(res, 400, outcome("invalid", "_since must be a FHIR instant"));

    let members: Set<string> | undefined;
    if (group !== undefined) {
      if (!ID.test(group)) return send(res, 400, outcome("invalid", "bad Group id"));
      const found = (await options.repo.readResource("Group", group).catch(() => undefined)) as Group | undefined;
      if (!found) return send(res, 404, outcome("not-found", `Group/${group} not found`));
      members = new Set(
        (found.member ?? []).flatMap((m) => /(?:^|\/)Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(m.entity.reference ?? "")?.[1] ?? []),
      );
    }
    const sinceMs = since ? Date.parse(since) : undefined;
    const selected = new Map<string, FhirResource[]>();
    for (const type of EXPORT_TYPES) {
      if (type === "Medication") continue;
      const all = await everything(type);
      selected.set(
        type,
        all.filter((r) => {
          const p = patientOf(r);
          return p !== undefined && (members === undefined || members.has(p));
        }),
      );
    }
    // Medications: every one (Patient/system level) or those the group's medication resources reference.
    const meds = await everything("Medication");
    const referenced = new Set(
      [...(selected.get("MedicationStatement") ?? []), ...(selected.get("MedicationRequest") ?? [])].flatMap(
        (r) => medicationRefOf(r) ?? [],
      ),
    );
    selected.set("Medication", members === undefined ? meds : meds.filter((m) => m.id !== undefined && referenced.has(m.id)));

    const files = new Map<string, { type: string; lines: string[] }>();
    for (const type of types) {
      const list = (selected.get(type) ?? [])
        .filter((r) => sinceMs === undefined || Date.parse(r.meta?.lastUpdated ?? "") > sinceMs)
        .sort((a, b) => ((a.id ?? "") < (b.id ?? "") ? -1 : 1));
      for (let i = 0; i < list.length; i += perFile) {
        files.set(`${type}.${i / perFile + 1}.ndjson`, { type, lines: list.slice(i, i + perFile).map((r) => JSON.stringify(r)) });
      }
    }
    if (jobs.size >= MAX_JOBS) jobs.delete(jobs.keys().next().value as string);
    const id = randomBytes(12).toString("hex");
    jobs.set(id, { request: `${baseUrl(req)}${req.url}`, transactionTime: clock().toISOString(), polls: 0, files });
    res
      .status(202)
      .set("Content-Location", `${baseUrl(req)}/$export-status/${id}`)
      .type(FHIR_JSON)
      .send(JSON.stringify(outcome("informational", "export accepted")));
  };

  router.get("/\\$export", (req, res, next) => void kickOff(req, res, undefined).catch(next));
  router.get("/Patient/\\$export", (req, res, next) => void kickOff(req, res, undefined).catch(next));
  router.get("/Group/:id/\\$export", (req, res, next) => void kickOff(req, res, String(req.params["id"])).catch(next));

  router.get("/\\$export-status/:job", (req, res) => {
    const job = jobs.get(String(req.params["job"]));
    if (!job) return send(res, 404, outcome("not-found", "no such export job"));
    if (job.polls < pendingPolls) {
      job.polls += 1;
      res
        .status(202)
        .set({ "X-Progress": `preparing (${job.polls}/${pendingPolls})`, "Retry-After": String(options.retryAfterSeconds ?? 1) })
        .end();
      return;
    }
    res
      .status(200)
      .type("application/json")
      .send(
        JSON.stringify({
          transactionTime: job.transactionTime,
          request: job.request,
          requiresAccessToken: options.requiredBearerToken !== undefined,
          output: [...job.files].map(([name, f]) => ({
            type: f.type,
            url: `${baseUrl(req)}/$export-file/${String(req.params["job"])}/${name}`,
            count: f.lines.length,
          })),
          error: [],
        }),
      );
  });

  router.delete("/\\$export-status/:job", (req, res) => {
    if (!jobs.delete(String(req.params["job"]))) return send(res, 404, outcome("not-found", "no such export job"));
    res.status(202).end();
  });

  router.get("/\\$export-file/:job/:file", (req, res) => {
    const file = jobs.get(String(req.params["job"]))?.files.get(String(req.params["file"]));
    if (!file) return send(res, 404, outcome("not-found", "no such export file"));
    res
      .status(200)
      .type("application/fhir+ndjson")
      .send(file.lines.map((l) => `${l}\n`).join(""));
  });

  return router;
}
