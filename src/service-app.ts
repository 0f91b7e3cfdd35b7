/**
 * The service as it is deployed: createApp with Prometheus default metrics and the SMART app mounted.
 * src/server.ts, the sandbox (sandbox/main.ts) and the benchmark server (bench/servers/app-server.ts)
 * all build it here, so what is measured and tried is what runs.
 */
import type express from "express";
import type { Express } from "express";
import type { Logger } from "pino";
import { createApp } from "./app";
import type { ClinicalConfig } from "./config/clinical-config";
import type { AppConfig } from "./config/env-config";
import type { FeedbackStore } from "./feedback/store";
import { createMetrics } from "./metrics/metrics";
import { smartAppRouter } from "./smart";

export interface ServiceAppParts {
  config: AppConfig;
  clinicalConfig: ClinicalConfig;
  logger: Logger;
  feedbackStore: FeedbackStore;
  clock?: () => Date;
  /** Mounted before the SMART app (e.g. the sandbox's FHIR server and simulator). */
  extraRouters?: express.Router[];
  isShuttingDown?: () => boolean;
  beforeRoutes?: express.RequestHandler[];
}

export function createServiceApp(parts: ServiceAppParts): Express {
  const { config, clinicalConfig, extraRouters = [], ...rest } = parts;
  return createApp({
    config,
    clinicalConfig,
    ...rest,
    metrics: createMetrics({ defaultMetrics: true }),
    extraRouters: [...extraRouters, smartAppRouter({ clinicalConfig, smartClientId: config.smartClientId })],
  });
}
