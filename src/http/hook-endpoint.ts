/**
 * POST /cds-services/{id} — the hook calls, nearly all of the service's traffic — taken by one middleware mounted
 * first. It runs the steps it is given (the same middleware the general chain uses: request log, metrics, headers,
 * request timeout, then rate limit, JWT auth, JSON body and the hook) in order, calling each directly: through
 * express's router every hook call walked each app-level layer and matched its path pattern first. An id that is
 * not valid percent-encoding gets the common steps and a 400 naming the path (as the router answers on other
 * routes). Any other request goes on to the general chain.
 */
import type { ErrorRequestHandler, NextFunction, RequestHandler } from "express";
import { undecodablePath } from "./error-handler";

/** What express's router matched with `/cds-services/:id` (case-insensitive, one optional trailing slash). */
const HOOK_PATH = /^\/cds-services\/([^/]+)\/?$/i;

function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

export interface HookEndpointSteps {
  /** Run for every hook call: log, metrics, headers, request timeout. */
  common: readonly RequestHandler[];
  /** Then, for a readable id (in `req.params.id`): rate limit, auth, body, the hook. */
  hook: readonly RequestHandler[];
  /** The app's error handler: every error of a step ends here. */
  onError: ErrorRequestHandler;
}

const undecodable: RequestHandler = (_req, _res, next) => next(undecodablePath());

export function hookEndpoint({ common, hook, onError }: HookEndpointSteps): RequestHandler {
  const readable = [...common, ...hook];
  const unreadable = [...common, undecodable];
  return (req, res, next) => {
    if (req.method !== "POST") return next();
    const m = HOOK_PATH.exec(req.path);
    if (!m) return next();
    const id = decoded(m[1] as string);
    if (id !== undefined) req.params = { id };
    const steps = id === undefined ? unreadable : readable;
    let i = 0;
    const step: NextFunction = (err?: unknown) => {
      if (err) return void onError(err, req, res, next);
      const handler = steps[i++];
      if (!handler) return next();
      try {
        const out: unknown = handler(req, res, step);
        // As express 5 does: a rejected promise from an async step is that step's error.
        if (out instanceof Promise) out.catch(step);
      } catch (e) {
        step(e);
      }
    };
    step();
  };
}
