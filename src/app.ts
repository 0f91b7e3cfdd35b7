/**
 * createApp(deps): the whole HTTP service with every part injected (config, clock, fetch,
 * logger…), so tests build the real app with test parts. src/server.ts only reads config and listens.
 */
import express, { type Express } from "express";
import type { Logger } from "pino";
import { authFromConfig, PROTECTED_PATHS, type AuthSetupOptions } from "./auth/client-auth";
import type { PipelineDeps } from "./cds/pipeline";
import type { ClinicalConfig } from "./config/clinical-config";
import { isFhirServerAllowed, type AppConfig } from "./config/env-config";
import { feedbackRoutes } from "./feedback/feedback-route";
import { SqliteFeedbackStore } from "./feedback/sqlite-store";
import type { FeedbackStore } from "./feedback/store";
import { createSuppression } from "./feedback/suppression";
import { cdsCors } from "./http/cors";
import { publicBaseUrl } from "./http/base-url";
import { probeRoutes } from "./http/probes";
import { discoveryRoutes, hookSteps } from "./http/cds-routes";
import { hookEndpoint } from "./http/hook-endpoint";
import { recordHeaders, replayHeaders } from "./http/static-headers";
import { errorHandler, notFound } from "./http/error-handler";
import { requestLog } from "./http/request-log";
import { apiSecurityHeaders, baseSecurityHeaders, rateLimit, requestTimeout, securityHeaderLayers } from "./http/security";
import { cardMetricsObserver } from "./metrics/card-metrics";
import { dataReportObserver } from "./metrics/data-metrics";
import { httpMetrics } from "./metrics/http-metrics";
import { instrumentHttpGet } from "./metrics/instrument-http-get";
import { createMetrics, type Metrics } from "./metrics/metrics";
import { metricsRoute } from "./metrics/metrics-route";
import { fetchHttpGet, nodeHttpGet } from "./net/http-get";
import { Limiter } from "./net/limiter";
import type { FetchFn } from "./net/outbound";
import { SERVICE_NAME } from "./service-name";

export interface AppDeps {
  config: AppConfig;
  clinicalConfig: ClinicalConfig;
  logger: Logger;
  clock?: () => Date;
  /** The fetch for fallback FHIR reads (tests); default: node:http with keep-alive (src/net/http-get.ts). */
  fetchImpl?: FetchFn;
  /** Feedback, issued cards and suppressions; default: a private in-memory SQLite (not durable). server.ts passes the configured one. */
  feedbackStore?: FeedbackStore;
  /** Prometheus registry and metrics; default: a fresh one per app. */
  metrics?: Metrics;
  /** JWT auth tuning (JWKS fetch, max token age…); auth itself is on when config.trustedIssuers is non-empty. */
  auth?: AuthSetupOptions;
  /** Extra routers mounted before the 404 handler (SMART app, sandbox). */
  extraRouters?: express.Router[];
  /** True once shutdown has begun (readiness then answers 503); server.ts sets it on SIGTERM. */
  isShuttingDown?: () => boolean;
  /** Middleware run first on every request (server.ts: `Connection: close` while draining). */
  beforeRoutes?: express.RequestHandler[];
}

export function createApp(deps: AppDeps): Express {
  const { config, logger } = deps;
  const clock = deps.clock ?? (() => new Date());
  const metrics = deps.metrics ?? createMetrics();
  const store: FeedbackStore = deps.feedbackStore ?? new SqliteFeedbackStore(":memory:");
  const app = express();
  app.disable("x-powered-by");
  // No ETag on JSON answers: hook answers are POST responses (never revalidated) and hashing each cost CPU.
  app.set("etag", false);
  app.set("trust proxy", config.trustProxy);
  for (const handler of deps.beforeRoutes ?? []) app.use(handler);
  const log = requestLog(logger);
  const countAndTime = httpMetrics(metrics);
  const handleError = errorHandler(logger);
  const timeout = requestTimeout(config.requestTimeoutMs, handleError);
  const limiter = rateLimit({ perMinute: config.rateLimitPerMinute });
  if (limiter && config.trustProxy === true) {
    logger.warn(
      "CDS_TRUST_PROXY=true with a rate limit: any client can pick its own rate-limit key through X-Forwarded-For; set the proxy hop count or addresses instead",
    );
  }
  const auth = authFromConfig(config, logger, { clock, ...(store.replay ? { replay: store.replay } : {}), ...deps.auth }, (req) =>
    publicBaseUrl(req, config),
  );
  const guards = [...(limiter ? [limiter] : []), ...(auth ? [auth] : [])];

  const pipeline: PipelineDeps = {
    clinicalConfig: deps.clinicalConfig,
    clock,
    serviceLabel: SERVICE_NAME,
    dataAccess: {
      httpGet: instrumentHttpGet(deps.fetchImpl ? fetchHttpGet(deps.fetchImpl) : nodeHttpGet(), metrics),
      timeoutMs: config.fhirTimeoutMs,
      maxPages: config.fhirMaxPages,
      maxResponseBytes: config.fhirMaxResponseBytes,
      limiter: new Limiter(config.fhirMaxConcurrency),
      isFhirServerAllowed: (url) => isFhirServerAllowed(config, url),
    },
    cards: {
      ...createSuppression({ store, suppressDays: config.suppressDays, clock, logger }),
      observers: [cardMetricsObserver(metrics), dataReportObserver(metrics, logger)],
    },
  };
  const cdsHeaders = replayHeaders(recordHeaders([...securityHeaderLayers.base(), ...securityHeaderLayers.api(), cdsCors]));

  // Hook calls first, through the same steps in the same order as every other request below (hook-endpoint.ts).
  app.use(
    hookEndpoint({
      common: [log, countAndTime, cdsHeaders, timeout],
      hook: [...guards, ...hookSteps(pipeline, { bodyLimit: config.bodyLimit, config })],
      onError: handleError,
    }),
  );

  app.use(log);
  app.use(countAndTime);
  app.use(baseSecurityHeaders());
  app.use(timeout);
  app.use(["/cds-services", "/metrics", "/healthz", "/readyz"], apiSecurityHeaders());
  app.use("/cds-services", cdsCors);
  if (limiter) app.use("/cds-services", limiter);
  if (auth) app.post(PROTECTED_PATHS, auth);
  // Routers in order of traffic: every router a request passes first costs it a walk of that router's stack.
  app.use(discoveryRoutes());
  app.use(
    feedbackRoutes({
      store,
      clock,
      logger,
      bodyLimit: config.feedbackBodyLimit,
      onStored: (service, items) => items.forEach((i) => metrics.feedback.inc({ service, outcome: i.outcome })),
    }),
  );
  app.use(
    probeRoutes({
      service: SERVICE_NAME,
      pingStore: () => store.ping(),
      isShuttingDown: deps.isShuttingDown ?? (() => false),
      storeUp: metrics.feedbackStoreUp,
    }),
  );
  app.use(metricsRoute(metrics));
  for (const router of deps.extraRouters ?? []) app.use(router);

  app.use(notFound);
  app.use(handleError);
  return app;
}
