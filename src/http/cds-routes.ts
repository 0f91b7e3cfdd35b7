/** /cds-services routes: discovery and the hook endpoints. Thin: the pipeline does the work. */
import { Router } from "express";
import { runHook, type PipelineDeps } from "../cds/pipeline";
import { discoveryDocument } from "../cds/services";
import type { AppConfig } from "../config/env-config";
import { publicBaseUrl } from "./base-url";
import { jsonBody } from "./json-body";

export function cdsRoutes(deps: PipelineDeps, options: { bodyLimit: string; config: Pick<AppConfig, "publicUrl" | "nodeEnv"> }): Router {
  const router = Router();
  const discovery = discoveryDocument();
  router.get("/cds-services", (_req, res) => {
    res.json(discovery);
  });
  router.post("/cds-services/:id", ...jsonBody(options.bodyLimit), async (req, res) => {
    const response = await runHook(req.params.id as string, req.body, deps, {
      baseUrl: publicBaseUrl(req, options.config),
      issuer: (res.locals.cdsClient as { iss?: string } | undefined)?.iss,
      onParsed: (parsed) => {
        res.locals.hookInstance = parsed.hookInstance;
      },
    });
    res.json(response);
  });
  return router;
}
