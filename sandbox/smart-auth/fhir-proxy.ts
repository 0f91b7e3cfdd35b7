/**
 * The protected FHIR endpoint the app talks to (its `iss`): checks the Bearer token (known, not
 * expired), the SMART scopes (resource type, read vs search) and the patient compartment, then
 * forwards GETs to the upstream FHIR base and rewrites upstream URLs (paging links) to its own.
 */
import express, { type Request, type Response, type Router } from "express";
import { allows } from "./scopes";
import type { AuthStore, IssuedToken } from "./store";

export interface ProxyOptions {
  upstream: string;
  fhirUrl: (req: Request) => string;
  fetchImpl: typeof fetch;
}

function outcome(res: Response, status: number, code: string, text: string): void {
  res.status(status).type("application/fhir+json").json({
    resourceType: "OperationOutcome",
    issue: [{ severity: "error", code, diagnostics: text }],
  });
}

function refersTo(value: string | null, patient: string): boolean {
  if (value === null) return false;
  return value === patient || value === `Patient/${patient}` || value.endsWith(`/Patient/${patient}`);
}

/** Why the token may not make this request, or undefined when it may. */
function denial(token: IssuedToken, segments: string[], query: URLSearchParams): string | undefined {
  const [type, id, extra] = segments;
  if (!type || extra !== undefined) return `unsupported path /${segments.join("/")}`;
  const interaction = id === undefined ? "search" : "read";
  if (!allows(token.grants, type, interaction)) return `scope does not allow ${interaction} of ${type}`;
  if (type === "Patient") {
    const target = id ?? query.get("_id");
    return target === token.patient ? undefined : "outside the patient in context";
  }
  if (interaction === "search" && !refersTo(query.get("patient") ?? query.get("subject"), token.patient)) {
    return "search must be limited to the patient in context";
  }
  return undefined;
}

export function fhirProxy(store: AuthStore, opts: ProxyOptions): Router {
  const router = express.Router();
  const upstream = opts.upstream.replace(/\/+$/, "");

  router.get("/fhir/metadata", async (req, res) => {
    await forward(req, res, ["metadata"]);
  });

  router.all("/fhir/{*path}", async (req, res) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.get("authorization") ?? "");
    const token = match?.[1] ? store.tokens.get(match[1]) : undefined;
    if (!token || token.expiresAt <= Date.now()) {
      const why = token ? "the access token has expired" : "missing or unknown access token";
      res.set("WWW-Authenticate", `Bearer error="invalid_token", error_description="${why}"`);
      store.events.push({ type: "fhir", method: req.method, path: req.path, status: 401 });
      return outcome(res, 401, "login", why);
    }
    if (req.method !== "GET") return outcome(res, 405, "not-supported", "this proxy is read-only");
    const segments = (req.params as { path?: string[] }).path ?? [];
    const query = new URL(req.originalUrl, "http://local").searchParams;
    const denied = denial(token, segments, query);
    if (denied) {
      store.events.push({ type: "fhir", method: req.method, path: req.path, status: 403 });
      res.set("WWW-Authenticate", `Bearer error="insufficient_scope"`);
      return outcome(res, 403, "forbidden", denied);
    }
    await forward(req, res, segments);
  });

  async function forward(req: Request, res: Response, segments: string[]): Promise<void> {
    const search = new URL(req.originalUrl, "http://local").search;
    const target = `${upstream}/${segments.map(encodeURIComponent).join("/")}${search}`;
    let upstreamRes: globalThis.Response;
    try {
      upstreamRes = await opts.fetchImpl(target, { headers: { accept: "application/fhir+json" } });
    } catch (e) {
      store.events.push({ type: "fhir", method: req.method, path: req.path, status: 502 });
      return outcome(res, 502, "transient", `FHIR server unreachable: ${(e as Error).message}`);
    }
    const body = (await upstreamRes.text()).split(upstream).join(opts.fhirUrl(req));
    store.events.push({ type: "fhir", method: req.method, path: req.path, status: upstreamRes.status });
    res.status(upstreamRes.status).type(upstreamRes.headers.get("content-type") ?? "application/fhir+json").send(body);
  }

  return router;
}
