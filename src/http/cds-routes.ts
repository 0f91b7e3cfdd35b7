/** /cds-services routes: discovery (a router) and the hook steps (run by hook-endpoint.ts). Thin: the pipeline does the work. */
import { Router, type RequestHandler } from "express";
import { runHook, type PipelineDeps } from "../cds/pipeline";
import { discoveryDocument } from "../cds/services";
import type { AppConfig } from "../config/env-config";
import { publicBaseUrl } from "./base-url";
import { jsonBody } from "./json-body";

export function discoveryRoutes(): Router {
  const router = Router();
  const discovery = discoveryDocument();
  router.get("/cds-services", (_req, res) => {
    res.json(discovery);
  });
  return router;
}

/** POST /cds-services/{id} after the common steps: the JSON body, then the hook (`req.params.id` names the service). */
export function hookSteps(
  deps: PipelineDeps,
  options: { bodyLimit: string; config: Pick<AppConfig, "publicUrl" | "nodeEnv"> },
): RequestHandler[] {
  const answer: RequestHandler = async (req, res) => {
    const response = await runHook(req.params.id as string, req.body, deps, {
      baseUrl: publicBaseUrl(req, options.config),
      issuer: (res.locals.cdsClient as { iss?: string } | undefined)?.iss,
      onParsed: (parsed) => {
        res.locals.hookInstance = parsed.hookInstance;
      },
    });
    res.json(response);
  };
  return [...jsonBody(options.bodyLimit), answer];
}
