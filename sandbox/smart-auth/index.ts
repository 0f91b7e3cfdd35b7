/**
 * A small local SMART App Launch 2.x authorization server for tests and the sandbox:
 * `GET fhir/.well-known/smart-configuration` (PKCE S256), `GET authorize` (auto-approve with the
 * launch context, or deny), `POST token` (PKCE verified), a protected FHIR proxy at `fhir/` in
 * front of an upstream FHIR base, and `GET launch` (an "EHR" button: redirects to a registered app
 * with `iss` and a fresh `launch` token). Mount the router anywhere; URLs derive from the mount path.
 *
 * Threat model: a dev/test tool (synthetic data, no user login) bound to loopback by default; it stops other
 * apps and web pages from getting codes or forging launch contexts, and keeps each token inside its patient's compartment.
 */
import type { AddressInfo } from "node:net";
import express, { type Request, type RequestHandler, type Router } from "express";
import { clientRegistry, type SmartClient } from "./clients";
import { fhirProxy } from "./fhir-proxy";
import { createLaunchSigner, type LaunchContext } from "./launch-context";
import { launchRoute } from "./launch-route";
import { oauthRoutes } from "./oauth-routes";
import { createStore, type AuthEvent } from "./store";

export type { LaunchContext } from "./launch-context";
export type { SmartClient } from "./clients";
export type { AuthEvent } from "./store";

export interface SmartAuthOptions {
  /** Upstream FHIR base URL, e.g. "http://127.0.0.1:4000/fhir". */
  fhirBaseUrl: string;
  /** Registered clients (exact redirect/launch URLs). Default: SMART_CLIENT_ID (or "vitd-cds") at <serving origin>/smart/index.html. */
  clients?: SmartClient[] | undefined;
  /** Where SMART_CLIENT_ID is read for the default client (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** HMAC key for launch tokens (≥ 16 bytes), to share tokens between instances or tests; default: random per instance. */
  launchSecret?: string | Buffer | undefined;
  /** Clock for launch-token, code and access-token expiry (default: the real one). */
  clock?: () => Date;
  /** Patient put in context for a standalone launch (scope launch/patient). */
  standalonePatient?: string;
  /** Access token lifetime, seconds (default 3600). */
  tokenLifetimeSeconds?: number;
  fetchImpl?: typeof fetch;
}

export interface SmartAuthServer {
  router: Router;
  /** Everything that happened (authorize, token with PKCE result, FHIR calls), oldest first. */
  events: AuthEvent[];
  /** A signed `launch` token for this context, valid 10 minutes (on this instance, or those sharing launchSecret). */
  mintLaunch: (context: LaunchContext) => string;
  /** The context of a valid launch token, or undefined (forged, altered, other secret, expired). */
  decodeLaunch: (token: string) => LaunchContext | undefined;
}

const baseOf = (req: Request) => `${req.protocol}://${req.get("host") ?? "localhost"}${req.baseUrl}`;

/** CORS for what browser apps call with fetch (token, FHIR). Not for authorize/launch: those are navigations. */
const cors: RequestHandler = (req, res, next) => {
  res.set("Access-Control-Allow-Origin", "*");
  res.set("Access-Control-Allow-Headers", "authorization, content-type, accept");
  res.set("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
  if (req.method === "OPTIONS") return void res.status(204).end();
  next();
};

export function createSmartAuthServer(options: SmartAuthOptions): SmartAuthServer {
  const store = createStore();
  const clock = options.clock ?? (() => new Date());
  const now = () => clock().getTime();
  const signer = createLaunchSigner({ secret: options.launchSecret, clock });
  const clients = clientRegistry(options.clients, options.env ?? process.env);
  const fhirUrl = (req: Request) => `${baseOf(req)}/fhir`;
  const fetchImpl = options.fetchImpl ?? fetch;
  const router = express.Router();
  router.use(["/token", "/fhir"], cors);

  router.get("/fhir/.well-known/smart-configuration", (req, res) => {
    const base = baseOf(req);
    res.json({
      issuer: base,
      authorization_endpoint: `${base}/authorize`,
      token_endpoint: `${base}/token`,
      token_endpoint_auth_methods_supported: ["none"],
      grant_types_supported: ["authorization_code"],
      response_types_supported: ["code"],
      scopes_supported: ["launch", "launch/patient", "patient/*.rs", "patient/*.read"],
      code_challenge_methods_supported: ["S256"],
      capabilities: [
        "launch-ehr",
        "launch-standalone",
        "client-public",
        "context-ehr-patient",
        "context-standalone-patient",
        "permission-patient",
        "permission-v2",
        "permission-v1",
      ],
    });
  });

  router.use(
    oauthRoutes(store, {
      tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
      fhirUrl,
      clients,
      decodeLaunch: (token) => signer.decode(token),
      now,
      ...(options.standalonePatient ? { standalonePatient: options.standalonePatient } : {}),
    }),
  );
  router.use(fhirProxy(store, { upstream: options.fhirBaseUrl, fhirUrl, fetchImpl, now }));
  router.use(launchRoute({ clients, upstream: options.fhirBaseUrl, fhirUrl, mintLaunch: (c) => signer.mint(c), fetchImpl }));

  return { router, events: store.events, mintLaunch: (c) => signer.mint(c), decodeLaunch: (t) => signer.decode(t) };
}

export interface RunningSmartAuthServer extends Pick<SmartAuthServer, "events" | "mintLaunch" | "decodeLaunch"> {
  url: string;
  /** The FHIR base for apps: `${url}/fhir`. */
  fhirUrl: string;
  close: () => Promise<void>;
}

/** Runs the server on its own port (tests, manual use), on 127.0.0.1 unless `host` says otherwise. */
export async function startSmartAuthServer(options: SmartAuthOptions & { port?: number; host?: string }): Promise<RunningSmartAuthServer> {
  const { router, events, mintLaunch, decodeLaunch } = createSmartAuthServer(options);
  const app = express();
  app.disable("x-powered-by");
  app.use(router);
  const host = options.host ?? "127.0.0.1";
  const server = app.listen(options.port ?? 0, host);
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    url,
    fhirUrl: `${url}/fhir`,
    events,
    mintLaunch,
    decodeLaunch,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
