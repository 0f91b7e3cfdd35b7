/**
 * createFhirServer(): an in-process FHIR R4 REST server as an express Router (mount it anywhere,
 * e.g. `app.use("/fhir", server.router)`), backed by @medplum/fhir-router's MemoryRepository.
 * Reads, writes, history and transaction/batch Bundles go through medplum's FhirRouter; type-level
 * search goes through ./search.ts (paging, bare-id references, date-aware _sort, _include).
 * Read-only over HTTP unless a write credential is configured (`writeToken`, or `requiredBearerToken`):
 * reads, GET searches and POST _search are open, every other request needs `Bearer <token>`.
 */
import { getStatus, normalizeOperationOutcome } from "@medplum/core";
import { FhirRouter, MemoryRepository, type HttpMethod } from "@medplum/fhir-router";
import express, { type NextFunction, type Request, type Response } from "express";
import type { Bundle, FhirResource, OperationOutcome } from "fhir/r4";
import { capabilityStatement } from "./capability";
import { ensureR4DefinitionsIndexed } from "./definitions";
import { bearerMatches } from "./bearer";
import { FhirHttpError, outcome } from "./errors";
import { searchType } from "./search";

export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "./search";

export interface FhirServerOptions {
  /** When set, every request must carry `Authorization: Bearer <token>` (else 401), to test token passing. */
  requiredBearerToken?: string;
  /**
   * The credential for writes over HTTP (create, update, patch, delete, transaction/batch): `Bearer <writeToken>`,
   * else 401. Without it (and without requiredBearerToken, which then also writes) the HTTP API is read-only (403).
   * loadBundle() and repo are in-process and always write.
   */
  writeToken?: string;
  /** Clock for the CapabilityStatement date. */
  clock?: () => Date;
}

export interface FhirServer {
  router: express.Router;
  /** Loads a transaction (or batch) Bundle; rejects when any entry fails. */
  loadBundle(bundle: Bundle): Promise<void>;
  /** Removes every resource. */
  reset(): void;
  /** The underlying repository (for assertions in tests). */
  repo: MemoryRepository;
}

const FHIR_JSON = "application/fhir+json; charset=utf-8";
const TYPE_PATTERN = /^[A-Z][A-Za-z]+$/;

export function createFhirServer(options: FhirServerOptions = {}): FhirServer {
  ensureR4DefinitionsIndexed();
  const repo = new MemoryRepository();
  const fhirRouter = new FhirRouter();
  const clock = options.clock ?? (() => new Date());
  const router = express.Router();

  const medplum = async (method: HttpMethod, url: string, body?: unknown) => {
    const [result, resource] = await fhirRouter.handleRequest({ method, url, pathname: "", params: {}, query: {}, body }, repo);
    return { status: getStatus(result), outcome: result as OperationOutcome, resource: resource as FhirResource | undefined };
  };

  router.use((req, res, next) => {
    res.set({
      "Access-Control-Allow-Origin": "*",
      "Access-Control-Allow-Headers": "Authorization, Content-Type, Accept, Prefer",
      "Access-Control-Allow-Methods": "GET, POST, PUT, DELETE, OPTIONS",
      "Access-Control-Expose-Headers": "Location, ETag, Content-Location",
    });
    if (req.method === "OPTIONS") return void res.status(204).end();
    if (options.requiredBearerToken !== undefined && !bearerMatches(req.get("authorization"), options.requiredBearerToken)) {
      return sendFhir(res, 401, outcome("error", "login", "Missing or invalid bearer token"));
    }
    if (!isRead(req)) {
      const token = options.writeToken ?? options.requiredBearerToken;
      if (token === undefined) return sendFhir(res, 403, outcome("error", "forbidden", "This FHIR server is read-only over HTTP"));
      if (!bearerMatches(req.get("authorization"), token)) {
        res.set("WWW-Authenticate", 'Bearer realm="sandbox FHIR writes"');
        return sendFhir(res, 401, outcome("error", "login", "Writes need the sandbox write token (Authorization: Bearer <token>)"));
      }
    }
    next();
  });
  router.use(express.json({ type: ["application/json", "application/fhir+json"], limit: "50mb" }));
  router.use(express.urlencoded({ extended: false }));

  router.get("/metadata", (req, res) => sendFhir(res, 200, capabilityStatement(baseUrl(req), clock())));

  const search = async (req: Request, res: Response, next: NextFunction) => {
    const type = req.params["type"];
    if (typeof type !== "string" || !TYPE_PATTERN.test(type)) return next();
    const params = [...queryPairs(req), ...(req.method === "POST" ? formPairs(req.body) : [])];
    sendFhir(res, 200, await searchType(repo, type, params, baseUrl(req)));
  };
  router.get("/:type", search);
  router.post("/:type/_search", search);

  router.all("/{*rest}", async (req, res) => {
    const method = req.method.toUpperCase() as HttpMethod;
    const url = req.url === "" ? "/" : req.url;
    const { status, outcome: result, resource } = await medplum(method, url, req.body);
    if (resource && (status === 200 || status === 201)) {
      const vid = resource.meta?.versionId;
      if (vid) res.set("ETag", `W/"${vid}"`);
      if (status === 201 && resource.id)
        res.set("Location", `${baseUrl(req)}/${resource.resourceType}/${resource.id}/_history/${vid ?? "1"}`);
    }
    sendFhir(res, status, resource ?? result);
  });

  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof FhirHttpError) return sendFhir(res, err.status, err.outcome);
    const parseError = (err as { type?: string }).type === "entity.parse.failed";
    const oo = parseError
      ? outcome("error", "structure", "Request body is not valid JSON")
      : (normalizeOperationOutcome(err) as OperationOutcome);
    sendFhir(res, parseError ? 400 : getStatus(oo as Parameters<typeof getStatus>[0]), oo);
  });

  return {
    router,
    repo,
    reset: () => repo.clear(),
    loadBundle: async (bundle) => {
      const { status, resource } = await medplum("POST", "/", bundle);
      const failed = ((resource as Bundle | undefined)?.entry ?? []).filter((e) => !/^2\d\d/.test(e.response?.status ?? ""));
      if (status >= 300 || failed.length > 0 || !resource) {
        throw new Error(
          `loading Bundle ${bundle.id ?? ""} failed: HTTP ${status}, ${failed.length} failed entries ${JSON.stringify(failed[0]?.response ?? resource)}`,
        );
      }
    },
  };
}

/** GET/HEAD, and a search POSTed to `[type]/_search`: everything else writes. */
function isRead(req: Request): boolean {
  return req.method === "GET" || req.method === "HEAD" || (req.method === "POST" && /^\/[A-Z][A-Za-z]+\/_search\/?$/.test(req.path));
}

function sendFhir(res: Response, status: number, body: FhirResource): void {
  res.status(status).type(FHIR_JSON).send(JSON.stringify(body));
}

/** Absolute base URL of the mounted server, as the client addressed it (used in fullUrl and paging links). */
function baseUrl(req: Request): string {
  return `${req.protocol}://${req.get("host") ?? "localhost"}${req.baseUrl}`;
}

function queryPairs(req: Request): [string, string][] {
  // decodeURIComponent, not URLSearchParams: a literal "+" (e.g. a "+01:00" offset) stays a "+".
  const search = req.originalUrl.includes("?") ? req.originalUrl.slice(req.originalUrl.indexOf("?") + 1) : "";
  return search
    .split("&")
    .filter(Boolean)
    .map((part): [string, string] => {
      const eq = part.indexOf("=");
      const [k, v] = eq < 0 ? [part, ""] : [part.slice(0, eq), part.slice(eq + 1)];
      try {
        return [decodeURIComponent(k), decodeURIComponent(v)];
      } catch {
        throw FhirHttpError.badRequest(`malformed query parameter "${part}"`);
      }
    });
}

function formPairs(body: unknown): [string, string][] {
  if (!body || typeof body !== "object") return [];
  return Object.entries(body as Record<string, unknown>).flatMap(([k, v]) =>
    (Array.isArray(v) ? v : [v]).map((x): [string, string] => [k, String(x)]),
  );
}
