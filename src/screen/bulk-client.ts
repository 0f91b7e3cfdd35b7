/**
 * Bulk Data export client (FHIR Bulk Data Access 2.0, "kick-off → status → files"): `$export` with
 * `_type` (and `_since`), `Prefer: respond-async`; the status URL polled with exponential backoff
 * that honours `Retry-After`; each NDJSON file streamed to disk. The service's outbound rules hold
 * (src/net): redirects are never followed, every origin contacted must be the --bulk server's or on
 * CDS_FHIR_ALLOWLIST (a status or file URL elsewhere is refused, and the token goes nowhere else),
 * JSON answers are size-capped while they stream, downloads are capped per file. Files are committed
 * by rename and the finished manifest is written last, so an interrupted download resumes: a known job
 * is polled again, committed files are not fetched twice.
 */
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, type WriteStream } from "node:fs";
import { once } from "node:events";
import { join } from "node:path";
import { setTimeout as sleepMs } from "node:timers/promises";
import { isRedirect, NO_REDIRECT, readTextCapped, ResponseTooLargeError, type FetchFn } from "../net/outbound";
import type { ScreenSource } from "./args";
import { writeFileAtomic } from "./atomic";
import { InputError } from "./input-files";
import { SCREENED_TYPES } from "./stage-sql";

export interface BulkDeps {
  fetchImpl?: FetchFn;
  /** Waits (tests pass a recorder instead of real time). */
  sleep?: (ms: number) => Promise<void>;
  clock?: () => Date;
}

interface Context extends BulkDeps {
  env: NodeJS.ProcessEnv;
  log: (text: string) => void;
}

export interface ExportManifest {
  transactionTime?: string;
  request?: string;
  requiresAccessToken?: boolean;
  output: { type: string; url: string; count?: number }[];
  error?: { type: string; url: string }[];
}

const JSON_LIMIT_DEFAULT = 20 * 1024 * 1024;
const FILE_LIMIT_DEFAULT = 64 * 1024 ** 3;
const MIN_WAIT_MS = 1_000;
const MAX_WAIT_MS = 60_000;
const MAX_RETRY_AFTER_MS = 3_600_000;

const positive = (value: string | undefined, fallback: number): number => {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};

/** Origins this run may contact: the --bulk server's, plus CDS_FHIR_ALLOWLIST ("*" = any). */
export function allowedOrigins(base: string, env: NodeJS.ProcessEnv): { any: boolean; origins: Set<string> } {
  const origins = new Set([new URL(base).origin]);
  const raw = env["CDS_FHIR_ALLOWLIST"]?.trim();
  if (raw === "*") return { any: true, origins };
  for (const entry of (raw ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    try {
      origins.add(new URL(entry).origin);
    } catch {
      throw new InputError(`CDS_FHIR_ALLOWLIST: not an http(s) origin: ${entry}`);
    }
  }
  return { any: false, origins };
}

/** Retry-After: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now: Date): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Math.min(MAX_RETRY_AFTER_MS, Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.min(MAX_RETRY_AFTER_MS, Math.max(0, at - now.getTime()));
}

/** The kick-off URL: Group-level with --group, else Patient-level. */
export function kickOffUrl(source: Extract<ScreenSource, { kind: "bulk" }>): string {
  const path = source.group ? `Group/${encodeURIComponent(source.group)}/$export` : "Patient/$export";
  const params = [`_type=${SCREENED_TYPES.join(",")}`];
  if (source.since) params.push(`_since=${encodeURIComponent(source.since)}`);
  return `${source.base}/${path}?${params.join("&")}`;
}

async function problem(res: Response, limit: number): Promise<string> {
  let text = "";
  try {
    text = await readTextCapped(res, Math.min(limit, 64 * 1024));
  } catch {
    /* only the status then */
  }
  let detail = "";
  try {
    const oo = JSON.parse(text) as { issue?: { diagnostics?: string; details?: { text?: string } }[] };
    detail = (oo.issue ?? [])
      .map((i) => i.diagnostics ?? i.details?.text ?? "")
      .filter(Boolean)
      .join("; ");
  } catch {
    detail = "";
  }
  return `HTTP ${res.status}${detail ? `: ${detail.slice(0, 500)}` : ""}`;
}

export async function downloadExport(source: Extract<ScreenSource, { kind: "bulk" }>, exportDir: string, ctx: Context): Promise<string> {
  const fetchImpl = ctx.fetchImpl ?? fetch;
  const sleep = ctx.sleep ?? ((ms: number) => sleepMs(ms).then(() => undefined));
  const clock = ctx.clock ?? (() => new Date());
  const jsonLimit = positive(ctx.env["FHIR_MAX_RESPONSE_BYTES"], JSON_LIMIT_DEFAULT);
  const fileLimit = positive(ctx.env["SCREEN_MAX_FILE_BYTES"], FILE_LIMIT_DEFAULT);
  const requestTimeout = positive(ctx.env["FHIR_TIMEOUT_MS"], 30_000);
  const maxWaitMs = positive(ctx.env["SCREEN_EXPORT_TIMEOUT_S"], 86_400) * 1000;
  const allowed = allowedOrigins(source.base, ctx.env);
  // --token, else SCREEN_BULK_TOKEN (a Kubernetes Secret: kept off the command line).
  const token = source.token ?? (ctx.env["SCREEN_BULK_TOKEN"] || undefined);
  const isAllowed = (url: string): boolean => {
    try {
      const u = new URL(url);
      return (
        (u.protocol === "https:" || u.protocol === "http:") && !u.username && !u.password && (allowed.any || allowed.origins.has(u.origin))
      );
    } catch {
      return false;
    }
  };
  const request = async (
    url: string,
    init: { method?: string; accept: string; token: boolean; prefer?: boolean; signal?: AbortSignal },
  ): Promise<Response> => {
    if (!isAllowed(url)) throw new InputError(`refusing ${url}: its origin is neither the --bulk server's nor on CDS_FHIR_ALLOWLIST`);
    const headers: Record<string, string> = { Accept: init.accept };
    if (init.token && token) headers["Authorization"] = `Bearer ${token}`;
    if (init.prefer) headers["Prefer"] = "respond-async";
    let res: Response;
    try {
      res = await fetchImpl(url, {
        method: init.method ?? "GET",
        headers,
        ...NO_REDIRECT,
        signal: init.signal ?? AbortSignal.timeout(requestTimeout),
      });
    } catch (err) {
      throw new InputError(`cannot reach ${new URL(url).origin}: ${(err as Error).message}`);
    }
    if (isRedirect(res)) {
      await res.body?.cancel();
      throw new InputError(`${url} answered with a redirect (HTTP ${res.status}), which is never followed`);
    }
    return res;
  };

  mkdirSync(exportDir, { recursive: true });
  const manifestPath = join(exportDir, "manifest.json");
  if (existsSync(manifestPath)) {
    ctx.log(`screen: using the export already downloaded into ${exportDir}`);
    return exportDir;
  }

  // Kick-off, unless a previous attempt's job is still there.
  const jobPath = join(exportDir, "job.json");
  const kickOff = async (): Promise<string> => {
    const url = kickOffUrl(source);
    ctx.log(`screen: $export kick-off ${url}`);
    const res = await request(url, { accept: "application/fhir+json", token: true, prefer: true });
    if (res.status !== 202) throw new InputError(`$export kick-off failed: ${await problem(res, jsonLimit)}`);
    await res.body?.cancel();
    const location = res.headers.get("content-location");
    if (!location) throw new InputError("$export kick-off answered 202 without a Content-Location (status URL)");
    const statusUrl = new URL(location, url).href;
    if (!isAllowed(statusUrl))
      throw new InputError(`refusing the status URL ${statusUrl}: its origin is neither the --bulk server's nor on CDS_FHIR_ALLOWLIST`);
    writeFileAtomic(jobPath, JSON.stringify({ statusUrl, kickOff: url, at: clock().toISOString() }));
    return statusUrl;
  };
  const previous = existsSync(jobPath)
    ? (JSON.parse(readFileSync(jobPath, "utf8")) as { statusUrl?: string; kickOff?: string })
    : undefined;
  let statusUrl = previous?.statusUrl && previous.kickOff === kickOffUrl(source) ? previous.statusUrl : await kickOff();

  // Status polling.
  const started = clock().getTime();
  let backoff = MIN_WAIT_MS;
  let manifest: ExportManifest | undefined;
  let restarted = false;
  while (!manifest) {
    const res = await request(statusUrl, { accept: "application/json", token: true });
    if (res.status === 200) {
      let text: string;
      try {
        text = await readTextCapped(res, jsonLimit);
      } catch (err) {
        if (err instanceof ResponseTooLargeError) throw new InputError(`the export manifest is larger than ${jsonLimit} bytes`);
        throw err;
      }
      try {
        manifest = JSON.parse(text) as ExportManifest;
      } catch {
        throw new InputError("the export manifest is not JSON");
      }
      if (!Array.isArray(manifest.output)) throw new InputError("the export manifest has no output list");
      break;
    }
    if ((res.status === 404 || res.status === 410) && previous?.statusUrl === statusUrl && !restarted) {
      // The job of an earlier attempt is gone: start a new one.
      await res.body?.cancel();
      restarted = true;
      statusUrl = await kickOff();
      continue;
    }
    const transient = res.status === 202 || res.status === 429 || res.status === 503;
    if (!transient) throw new InputError(`$export failed: ${await problem(res, jsonLimit)}`);
    const progress = res.headers.get("x-progress");
    const hinted = retryAfterMs(res.headers.get("retry-after"), clock());
    await res.body?.cancel();
    const wait = Math.max(MIN_WAIT_MS, Math.min(MAX_RETRY_AFTER_MS, hinted ?? backoff));
    backoff = Math.min(MAX_WAIT_MS, backoff * 2);
    if (clock().getTime() - started + wait > maxWaitMs)
      throw new InputError(`the export did not finish within ${Math.round(maxWaitMs / 1000)} s (SCREEN_EXPORT_TIMEOUT_S)`);
    ctx.log(`screen: export in progress${progress ? ` (${progress.slice(0, 100)})` : ""}; next check in ${Math.round(wait / 1000)} s`);
    await sleep(wait);
  }

  // Files.
  const wanted = new Set<string>(SCREENED_TYPES);
  const outputs = manifest.output.filter((o) => typeof o.url === "string" && typeof o.type === "string" && wanted.has(o.type));
  const sendToken = manifest.requiresAccessToken !== false;
  let index = 0;
  for (const o of outputs) {
    const name = `${o.type}.${String(index++).padStart(3, "0")}.ndjson`;
    const target = join(exportDir, name);
    if (existsSync(target)) continue;
    await downloadFile(o.url, target, { request, sendToken, fileLimit, idleMs: Math.max(requestTimeout, 60_000) });
    ctx.log(`screen: downloaded ${name}`);
  }
  if ((manifest.error ?? []).length > 0)
    ctx.log(`screen: the server reported ${manifest.error?.length ?? 0} error file(s) (OperationOutcomes) for this export`);
  writeFileAtomic(manifestPath, JSON.stringify(manifest, null, 2));
  // Tell the server the files may go (best effort).
  try {
    const res = await request(statusUrl, { method: "DELETE", accept: "application/json", token: true });
    await res.body?.cancel();
  } catch {
    /* the server cleans up on its own schedule */
  }
  return exportDir;
}

async function downloadFile(
  url: string,
  target: string,
  o: {
    request: (url: string, init: { accept: string; token: boolean; signal?: AbortSignal }) => Promise<Response>;
    sendToken: boolean;
    fileLimit: number;
    idleMs: number;
  },
): Promise<void> {
  const controller = new AbortController();
  const idle = () => controller.abort(new Error(`no data for ${o.idleMs} ms`));
  let timer = setTimeout(idle, o.idleMs);
  const tmp = `${target}.part`;
  let out: WriteStream | undefined;
  try {
    const res = await o.request(url, { accept: "application/fhir+ndjson", token: o.sendToken, signal: controller.signal });
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new InputError(`cannot download ${url}: HTTP ${res.status}`);
    }
    const declared = Number(res.headers.get("content-length") ?? NaN);
    if (declared > o.fileLimit) {
      await res.body?.cancel();
      throw new InputError(`${url} is larger than ${o.fileLimit} bytes (SCREEN_MAX_FILE_BYTES)`);
    }
    const stream = createWriteStream(tmp);
    out = stream;
    let total = 0;
    if (res.body) {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        clearTimeout(timer);
        timer = setTimeout(idle, o.idleMs);
        total += value.byteLength;
        if (total > o.fileLimit) {
          await reader.cancel();
          throw new InputError(`${url} is larger than ${o.fileLimit} bytes (SCREEN_MAX_FILE_BYTES)`);
        }
        if (!stream.write(value)) await once(stream, "drain");
      }
    }
    stream.end();
    await once(stream, "finish");
    out = undefined;
    renameSync(tmp, target);
  } catch (err) {
    if (out) {
      out.destroy();
      await once(out, "close").catch(() => undefined);
    }
    rmSync(tmp, { force: true });
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot download ${url}: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}
