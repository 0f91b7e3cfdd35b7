/**
 * The protected FHIR endpoint the app talks to (its `iss`): checks the Bearer token (known, not
 * expired), the SMART scopes (resource type, read vs search) and the patient compartment
 * (./compartment.ts) on the request, forwards the validated GET to the upstream FHIR base, then
 * checks the answer too: a read must return the asked-for resource of the patient (else 404, like a
 * missing one), a search Bundle keeps only entries and paging links inside the compartment.
 * Upstream URLs are rewritten to the proxy's, so `next` links come back here and are re-checked.
 */
import express, { type Request, type Response, type Router } from "express";
import { entryAllowed, parseQuery, readable, readDenial, searchDenial, serializeQuery, type Pair } from "./compartment";
import { allows } from "./scopes";
import type { AuthStore, IssuedToken } from "./store";

export interface ProxyOptions {
  upstream: string;
  fhirUrl: (req: Request) => string;
  fetchImpl: typeof fetch;
  now: () => number;
}

type Json = Record<string, unknown>;

function outcome(res: Response, status: number, code: string, text: string): void {
  res
    .status(status)
    .type("application/fhir+json")
    .json({ resourceType: "OperationOutcome", issue: [{ severity: "error", code, diagnostics: text }] });
}

/** Why the token may not make this request, or undefined when it may. */
function denial(token: IssuedToken, segments: string[], query: Pair[]): string | undefined {
  const [type, id, extra] = segments;
  if (!type || extra !== undefined) return `unsupported path /${segments.join("/")}`;
  const interaction = id === undefined ? "search" : "read";
  if (!allows(token.grants, type, interaction)) return `scope does not allow ${interaction} of ${type}`;
  return id === undefined ? searchDenial(type, query, token.patient) : readDenial(type, id, query, token.patient);
}

export function fhirProxy(store: AuthStore, opts: ProxyOptions): Router {
  const router = express.Router();
  const upstream = opts.upstream.replace(/\/+$/, "");
  const log = (req: Request, status: number) => store.events.push({ type: "fhir", method: req.method, path: req.path, status });

  router.get("/fhir/metadata", async (req, res) => {
    const got = await fetchUpstream(req, res, "metadata");
    if (!got) return;
    log(req, got.status);
    res
      .status(got.status)
      .type("application/fhir+json")
      .send(got.text.split(upstream).join(opts.fhirUrl(req)));
  });

  router.all("/fhir/{*path}", async (req, res) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.get("authorization") ?? "");
    const token = match?.[1] ? store.tokens.get(match[1]) : undefined;
    if (!token || token.expiresAt <= opts.now()) {
      const why = token ? "the access token has expired" : "missing or unknown access token";
      res.set("WWW-Authenticate", `Bearer error="invalid_token", error_description="${why}"`);
      log(req, 401);
      return outcome(res, 401, "login", why);
    }
    if (req.method !== "GET") return outcome(res, 405, "not-supported", "this proxy is read-only");
    const segments = (req.params as { path?: string[] }).path ?? [];
    const query = parseQuery(new URL(req.originalUrl, "http://local").search);
    if (!query) return outcome(res, 400, "invalid", "malformed query string");
    const denied = denial(token, segments, query);
    if (denied) {
      log(req, 403);
      res.set("WWW-Authenticate", `Bearer error="insufficient_scope"`);
      return outcome(res, 403, "forbidden", denied);
    }
    const [type = "", id] = segments;
    // Forward exactly what was validated (re-serialized), never the raw query string.
    const got = await fetchUpstream(req, res, `${segments.map(encodeURIComponent).join("/")}${serializeQuery(query)}`);
    if (!got) return;
    if (id !== undefined) return sendRead(req, res, got, type, id, token);
    return sendSearch(req, res, got, type, token);
  });

  async function fetchUpstream(req: Request, res: Response, path: string): Promise<{ status: number; text: string } | undefined> {
    try {
      const upstreamRes = await opts.fetchImpl(`${upstream}/${path}`, { headers: { accept: "application/fhir+json" } });
      return { status: upstreamRes.status, text: await upstreamRes.text() };
    } catch (e) {
      log(req, 502);
      outcome(res, 502, "transient", `FHIR server unreachable: ${(e as Error).message}`);
      return undefined;
    }
  }

  function sendJson(req: Request, res: Response, status: number, body: unknown): void {
    log(req, status);
    res
      .status(status)
      .type("application/fhir+json")
      .send(JSON.stringify(body).split(upstream).join(opts.fhirUrl(req)));
  }

  /** Errors pass through (their text rewritten); a 2xx that is not JSON is the upstream's fault. */
  function parsed(req: Request, res: Response, got: { status: number; text: string }): Json | undefined {
    if (got.status < 200 || got.status > 299) {
      log(req, got.status);
      res
        .status(got.status)
        .type("application/fhir+json")
        .send(got.text.split(upstream).join(opts.fhirUrl(req)));
      return undefined;
    }
    try {
      const value: unknown = JSON.parse(got.text);
      if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Json;
    } catch {
      // fall through
    }
    log(req, 502);
    outcome(res, 502, "exception", "the FHIR server answered something that is not a FHIR JSON resource");
    return undefined;
  }

  function sendRead(
    req: Request,
    res: Response,
    got: { status: number; text: string },
    type: string,
    id: string,
    token: IssuedToken,
  ): void {
    // Not found, gone, or someone else's: one and the same answer, so nothing leaks.
    const notFound = () => (log(req, 404), outcome(res, 404, "not-found", `${type}/${id} is not available`));
    if (got.status === 404 || got.status === 410) return notFound();
    const resource = parsed(req, res, got);
    if (!resource) return;
    if (!readable(resource, type, id, token.patient, upstream)) return notFound();
    sendJson(req, res, 200, resource);
  }

  function sendSearch(req: Request, res: Response, got: { status: number; text: string }, type: string, token: IssuedToken): void {
    const bundle = parsed(req, res, got);
    if (!bundle) return;
    if (bundle["resourceType"] !== "Bundle" || !Array.isArray(bundle["entry"] ?? [])) {
      log(req, 502);
      return outcome(res, 502, "exception", "the FHIR server did not answer the search with a Bundle");
    }
    const entries = (bundle["entry"] ?? []) as Json[];
    const kept = entries.filter((e) => entryAllowed(e, type, token.patient, upstream));
    if (kept.length < entries.length) store.events.push({ type: "fhir-filtered", path: req.path, dropped: entries.length - kept.length });
    const links = Array.isArray(bundle["link"]) ? (bundle["link"] as Json[]) : [];
    const result: Json = { ...bundle, link: links.flatMap((l) => keptLink(l, type, token)) };
    if (kept.length > 0) result["entry"] = kept;
    else delete result["entry"];
    if (links.length === 0) delete result["link"];
    sendJson(req, res, 200, result);
  }

  /** A paging link stays only when it points at the upstream and would itself pass the checks. */
  function keptLink(link: Json, type: string, token: IssuedToken): Json[] {
    const url = link["url"];
    if (typeof url !== "string" || !url.startsWith(`${upstream}/`)) return [];
    const rest = url.slice(upstream.length + 1);
    const q = rest.indexOf("?");
    const path = q < 0 ? rest : rest.slice(0, q);
    const query = parseQuery(q < 0 ? "" : rest.slice(q));
    if (path !== type || !query || denial(token, [type], query)) return [];
    return [link];
  }

  return router;
}
