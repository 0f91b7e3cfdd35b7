/**
 * The service under test, wired exactly as src/server.ts does (environment config, clinical
 * config, pino logger to stdout, the feedback store of CDS_DATABASE_URL, Prometheus metrics with
 * default metrics), but bound to 127.0.0.1 with the port reported over IPC.
 * Keep this in step with src/server.ts when it gains parts.
 */
import { createApp } from "../../src/app";
import { mergeClinicalConfig } from "../../src/config/clinical-config";
import { loadEnvConfig } from "../../src/config/env-config";
import { openFeedbackStore } from "../../src/feedback/open-store";
import { createLogger } from "../../src/logger";
import { createMetrics } from "../../src/metrics/metrics";
import { serveChild } from "./child-ipc";

async function main() {
  const config = loadEnvConfig(process.env);
  const feedbackStore = await openFeedbackStore(config.databaseUrl);
  const metrics = createMetrics({ defaultMetrics: true });
  const app = createApp({ config, clinicalConfig: mergeClinicalConfig({}), logger: createLogger(config.logLevel), feedbackStore, metrics });
  const server = serveChild(app);
  server.requestTimeout = config.requestTimeoutMs;
}

void main();
