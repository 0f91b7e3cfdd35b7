/**
 * A small local SMART App Launch 2.x authorization server for tests and the sandbox:
 * `GET fhir/.well-known/smart-configuration` (PKCE S256), `GET authorize` (auto-approve with the
 * launch context, or deny), `POST token` (PKCE verified), a protected FHIR proxy at `fhir/` in
 * front of an upstream FHIR base, and `GET launch` (an "EHR" button: redirects to the app with
 * `iss` and a fresh `launch` token). Mount the router anywhere; URLs are derived from the mount path.
 */
import type { AddressInfo } from "node:net";
import express, { type Request, type Router } from "express";
import { fhirProxy } from "./fhir-proxy";
import { encodeLaunch } from "./launch-context";
import { oauthRoutes } from "./oauth-routes";
import { createStore, type AuthEvent } from "./store";

export { encodeLaunch, decodeLaunch, type LaunchContext } from "./launch-context";
export type { AuthEvent } from "./store";

export interface SmartAuthOptions {
  /** Upstream FHIR base URL, e.g. "http://127.0.0.1:4000/fhir". */
  fhirBaseUrl: string;
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
}

const baseOf = (req: Request) => `${req.protocol}://${req.get("host") ?? "localhost"}${req.baseUrl}`;

export function createSmartAuthServer(options: SmartAuthOptions): SmartAuthServer {
  const store = createStore();
  const fhirUrl = (req: Request) => `${baseOf(req)}/fhir`;
  const router = express.Router();

  router.use((req, res, next) => {
    res.set("Access-Control-Allow-Origin", "*");
    res.set("Access-Control-Allow-Headers", "authorization, content-type, accept");
    res.set("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
    if (req.method === "OPTIONS") {
      res.status(204).end();
      return;
    }
    next();
  });

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
      ...(options.standalonePatient ? { standalonePatient: options.standalonePatient } : {}),
    }),
  );
  router.use(fhirProxy(store, { upstream: options.fhirBaseUrl, fhirUrl, fetchImpl: options.fetchImpl ?? fetch }));

  router.get("/launch", (req, res) => {
    const q = req.query as Record<string, unknown>;
    const app = typeof q.app === "string" ? q.app : "";
    const patient = typeof q.patient === "string" ? q.patient : "";
    if (!/^https?:\/\//.test(app) || !patient) {
      res.status(400).type("text/plain").send("usage: launch?app=<absolute launch.html URL>&patient=<id>[&appContext=…]");
      return;
    }
    const launch = encodeLaunch({ patient, ...(typeof q.appContext === "string" ? { appContext: q.appContext } : {}) });
    const url = new URL(app);
    url.searchParams.set("iss", fhirUrl(req));
    url.searchParams.set("launch", launch);
    res.redirect(302, url.href);
  });

  return { router, events: store.events };
}

/** Runs the server on its own port (tests, manual use); the FHIR base for apps is `${url}/fhir`. */
export async function startSmartAuthServer(
  options: SmartAuthOptions & { port?: number; host?: string },
): Promise<{ url: string; fhirUrl: string; events: AuthEvent[]; close: () => Promise<void> }> {
  const { router, events } = createSmartAuthServer(options);
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
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
