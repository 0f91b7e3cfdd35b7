/**
 * createApp(deps): the whole HTTP service with every part injected (config, clock, fetch,
 * logger…), so tests build the real app with test parts. src/server.ts only reads config and listens.
 */
import express, { type Express } from "express";
import type { Logger } from "pino";
import type { ClinicalConfig } from "./config/clinical-config";
import { isFhirServerAllowed, type AppConfig } from "./config/env-config";
import type { CardFilter } from "./cds/pipeline";
import type { FetchFn } from "./fhir/fhir-fetch";
import { cdsCors } from "./http/cors";
import { cdsRoutes } from "./http/cds-routes";
import { errorHandler, notFound } from "./http/error-handler";
import { requestLog } from "./http/request-log";

export const SERVICE_LABEL = "vitd-cds";

export interface AppDeps {
  config: AppConfig;
  clinicalConfig: ClinicalConfig;
  logger: Logger;
  clock?: () => Date;
  fetchImpl?: FetchFn;
  cardFilter?: CardFilter;
  /** Extra routers mounted before the 404 handler (SMART app, sandbox). */
  extraRouters?: express.Router[];
}

export function createApp(deps: AppDeps): Express {
  const { config, logger } = deps;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", false);
  app.use(requestLog(logger));

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok", service: SERVICE_LABEL });
  });

  app.use("/cds-services", cdsCors);
  app.use(
    cdsRoutes(
      {
        clinicalConfig: deps.clinicalConfig,
        clock: deps.clock ?? (() => new Date()),
        serviceLabel: SERVICE_LABEL,
        dataAccess: {
          fetchImpl: deps.fetchImpl ?? fetch,
          timeoutMs: config.fhirTimeoutMs,
          maxPages: config.fhirMaxPages,
          isFhirServerAllowed: (url) => isFhirServerAllowed(config, url),
        },
        ...(deps.cardFilter ? { cardFilter: deps.cardFilter } : {}),
      },
      { bodyLimit: config.bodyLimit, publicUrl: config.publicUrl },
    ),
  );
  for (const router of deps.extraRouters ?? []) app.use(router);

  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}
