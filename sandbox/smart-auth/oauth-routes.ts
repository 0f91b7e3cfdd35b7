/**
 * /authorize (auto-approves with the launch context, or denies when the context asks to) and
 * /token (authorization_code grant for public clients, PKCE S256 verified). SMART App Launch 2.x.
 * Only registered clients with an exactly registered redirect_uri get anything back: otherwise
 * /authorize answers a 400 page and redirects nowhere (RFC 6749 §4.1.2.1).
 */
import { randomBytes } from "node:crypto";
import express, { type Request, type Response, type Router } from "express";
import { findClient, isRegisteredRedirect, type ClientRegistry } from "./clients";
import type { LaunchContext } from "./launch-context";
import { verifyPkceS256 } from "./pkce";
import { grantedScope, parseScopes } from "./scopes";
import type { AuthStore } from "./store";

export interface OAuthOptions {
  /** Patient put in context for a standalone launch (scope launch/patient, no launch token). */
  standalonePatient?: string;
  tokenLifetimeSeconds: number;
  /** The FHIR base the tokens are for (the proxy), as seen from the request. */
  fhirUrl: (req: Request) => string;
  clients: ClientRegistry;
  /** Verifies a `launch` token (signature, expiry); undefined when it is not a valid one of ours. */
  decodeLaunch: (token: string) => LaunchContext | undefined;
  now: () => number;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const CODE_TTL_MS = 60_000;

function redirectBack(res: Response, redirectUri: string, state: string | undefined, params: Record<string, string>): void {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  if (state !== undefined) url.searchParams.set("state", state);
  res.redirect(302, url.href);
}

/** Returns the launch context, or the OAuth error to send back. */
function launchContext(q: Record<string, unknown>, scopes: string[], opts: OAuthOptions): LaunchContext | [string, string] {
  const launch = str(q.launch);
  if (launch !== undefined) {
    if (!scopes.includes("launch")) return ["invalid_scope", "an EHR launch needs the 'launch' scope"];
    return opts.decodeLaunch(launch) ?? ["invalid_request", "unknown launch token"];
  }
  if (!scopes.includes("launch/patient")) return ["invalid_scope", "a standalone launch needs the 'launch/patient' scope"];
  if (!opts.standalonePatient) return ["invalid_request", "no patient available for a standalone launch"];
  return { patient: opts.standalonePatient };
}

export function oauthRoutes(store: AuthStore, opts: OAuthOptions): Router {
  const router = express.Router();

  router.get("/authorize", (req, res) => {
    const q = req.query as Record<string, unknown>;
    res.set("Cache-Control", "no-store");
    // Nothing is redirected anywhere before client_id and redirect_uri are known to belong together.
    const clientId = str(q.client_id);
    const client = findClient(opts.clients, req, clientId);
    const redirectUri = str(q.redirect_uri);
    if (!client || !clientId || !isRegisteredRedirect(client, redirectUri)) {
      const description = client ? "redirect_uri is not registered for this client" : "unknown client_id";
      store.events.push({ type: "authorize-error", error: client ? "invalid_request" : "unauthorized_client", description });
      res.status(400).type("text/plain").send(`Authorization request refused: ${description}. Nothing was sent back to the app.`);
      return;
    }
    const state = str(q.state);
    const fail = (error: string, description: string) => {
      store.events.push({ type: "authorize-error", error, description });
      redirectBack(res, redirectUri, state, { error, error_description: description });
    };
    const scope = str(q.scope) ?? "";
    const challenge = str(q.code_challenge);
    if (q.response_type !== "code") return fail("unsupported_response_type", "response_type must be code");
    if (q.aud !== opts.fhirUrl(req)) return fail("invalid_request", `aud must be the FHIR base URL ${opts.fhirUrl(req)}`);
    if (q.code_challenge_method !== "S256" || !challenge)
      return fail("invalid_request", "PKCE with code_challenge_method=S256 is required");
    const context = launchContext(q, scope.split(/\s+/), opts);
    if (Array.isArray(context)) return fail(context[0], context[1]);
    if (context.deny) return fail("access_denied", "The user declined to authorize the app");

    const code = randomBytes(24).toString("base64url");
    store.codes.set(code, { clientId, redirectUri, codeChallenge: challenge, scope, context, expiresAt: opts.now() + CODE_TTL_MS });
    store.events.push({ type: "authorize", clientId, scope, launch: q.launch !== undefined, codeChallengeMethod: "S256" });
    redirectBack(res, redirectUri, state, { code });
  });

  router.post("/token", express.urlencoded({ extended: false, limit: "16kb" }), (req, res) => {
    res.set("Cache-Control", "no-store");
    const b = (req.body ?? {}) as Record<string, unknown>;
    const fail = (status: number, error: string, description: string) => {
      store.events.push({ type: "token-error", error, description });
      res.status(status).json({ error, error_description: description });
    };
    if (b.grant_type !== "authorization_code") return fail(400, "unsupported_grant_type", "only authorization_code is supported");
    const code = str(b.code) ?? "";
    const pending = store.codes.get(code);
    store.codes.delete(code); // single use
    if (!findClient(opts.clients, req, str(b.client_id))) return fail(401, "invalid_client", "unknown client_id");
    if (!pending || pending.expiresAt < opts.now()) return fail(400, "invalid_grant", "unknown, used or expired authorization code");
    if (b.redirect_uri !== pending.redirectUri) return fail(400, "invalid_grant", "redirect_uri does not match the authorization request");
    if (b.client_id !== pending.clientId) return fail(401, "invalid_client", "client_id does not match the authorization request");
    if (!verifyPkceS256(str(b.code_verifier), pending.codeChallenge)) {
      return fail(400, "invalid_grant", "PKCE verification failed: code_verifier does not match code_challenge");
    }
    const scope = grantedScope(pending.scope);
    const expiresIn = pending.context.expiresIn ?? opts.tokenLifetimeSeconds;
    const accessToken = randomBytes(32).toString("base64url");
    const patient = pending.context.patient;
    store.tokens.set(accessToken, {
      clientId: pending.clientId,
      patient,
      grants: parseScopes(scope),
      expiresAt: opts.now() + expiresIn * 1000,
    });
    store.events.push({ type: "token", clientId: pending.clientId, patient, scope, pkceVerified: true });
    res.json({
      access_token: accessToken,
      token_type: "Bearer",
      expires_in: expiresIn,
      scope,
      patient,
      need_patient_banner: true,
      ...(pending.context.appContext !== undefined ? { appContext: pending.context.appContext } : {}),
    });
  });

  return router;
}
