/** What the benchmarks send to the service and how they start it: request bodies, environment, sanity checks. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEnvConfig } from "../../src/config/env-config";
import { fullPrefetch, patientViewBody } from "../../devkit/hook-requests";
import type { GeneratedPatient } from "../fixtures/patient-generator";
import { startChildServer, type ChildServer } from "./child-server";
import type { HttpTarget, OneResponse } from "./load";
import { PRODUCTION_PROCESS_ENV } from "./production-env";
import type { BenchOptions } from "./types";

export const HOOK_PATH = "/cds-services/vitd-patient-view";
export const APP_SERVER = "bench/servers/app-server.ts";
export const ECHO_SERVER = "bench/servers/echo-server.ts";

/** The service's default body limit, given to the echo baseline too. */
export const bodyLimit = loadEnvConfig({}).bodyLimit;

/** A full prefetch of every generated resource; throws if a prefetch query would not carry them all. */
export function prefetchBody(data: GeneratedPatient): Buffer {
  const prefetch = fullPrefetch(data.patient, data.resources);
  const carried = Object.values(prefetch).reduce((n, v) => n + (v?.resourceType === "Bundle" ? (v.entry ?? []).length : 0), 0);
  if (carried !== data.resources.length) {
    throw new Error(
      `the prefetch carries ${carried} of ${data.resources.length} generated resources: generator and prefetch queries disagree`,
    );
  }
  return Buffer.from(JSON.stringify(patientViewBody({ prefetch, patientId: data.patient.id ?? "" })));
}

/** No prefetch: every query is fetched from `fhirServer`. */
export function fallbackBody(data: GeneratedPatient, fhirServer: string): Buffer {
  return Buffer.from(JSON.stringify(patientViewBody({ fhirServer, patientId: data.patient.id ?? "" })));
}

export function hookTarget(server: ChildServer, body: Buffer): HttpTarget {
  return { url: `${server.url}${HOOK_PATH}`, method: "POST", body };
}

export interface AppStartOptions {
  allowlist?: string[];
  nodeFlags?: string[];
  /** The service as compiled into this directory (compileTree), e.g. another git ref's. */
  buildDir?: string;
}

/** The service in a child process, with a fresh file-backed SQLite feedback store (as in production) removed on stop. */
export async function startApp(o: BenchOptions, s: AppStartOptions = {}): Promise<ChildServer> {
  const flags = [...(s.nodeFlags ?? []), ...(o.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${o.cpuProfileDir}`] : [])];
  const dir = mkdtempSync(join(tmpdir(), "vitd-bench-"));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const child = await startChildServer(APP_SERVER, {
      env: {
        ...PRODUCTION_PROCESS_ENV,
        LOG_LEVEL: o.appLogLevel,
        CDS_BODY_LIMIT: bodyLimit,
        CDS_DATABASE_URL: o.feedbackDb === "memory" ? "sqlite::memory:" : `sqlite:${join(dir, "feedback.sqlite")}`,
        CDS_FHIR_ALLOWLIST: (s.allowlist ?? []).join(","),
      },
      nodeFlags: flags,
      ...(s.buildDir ? { buildDir: s.buildDir } : {}),
    });
    return { ...child, stop: () => child.stop().finally(remove) };
  } catch (e) {
    remove();
    throw e;
  }
}

export function startEcho(): Promise<ChildServer> {
  return startChildServer(ECHO_SERVER, { env: { CDS_BODY_LIMIT: bodyLimit } });
}

/** Throws unless the hook answered 200 with a `cards` array; returns the number of cards. */
export function expectCards(r: OneResponse): number {
  const text = r.body.toString();
  if (r.status !== 200) throw new Error(`hook answered ${r.status}: ${text.slice(0, 500)}`);
  const parsed = JSON.parse(text) as { cards?: unknown };
  if (!Array.isArray(parsed.cards)) throw new Error(`hook answer has no cards array: ${text.slice(0, 500)}`);
  return parsed.cards.length;
}
