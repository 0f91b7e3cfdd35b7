/**
 * Entry point: read configuration, build the app, listen on PORT, shut down gracefully on SIGTERM/SIGINT.
 * Invalid configuration stops start-up with one clear message per bad variable.
 */
import "dotenv/config";
import type { Server } from "node:http";
import { loadClinicalConfigFile } from "./config/clinical-config-file";
import { loadEnvConfig } from "./config/env-config";
import { describeDatabaseUrl, openFeedbackStore } from "./feedback/open-store";
import type { FeedbackStore } from "./feedback/store";
import { createLogger } from "./logger";
import { createServiceApp } from "./service-app";

async function main(): Promise<void> {
  let config;
  let clinicalConfig;
  try {
    config = loadEnvConfig();
    clinicalConfig = loadClinicalConfigFile(config.thresholdsPath);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  }
  const logger = createLogger(config.logLevel);
  const database = describeDatabaseUrl(config.databaseUrl);
  let feedbackStore: FeedbackStore;
  try {
    feedbackStore = await openFeedbackStore(config.databaseUrl);
  } catch (e) {
    logger.fatal({ database, error: (e as Error).message }, "cannot open the feedback store (CDS_DATABASE_URL)");
    process.exit(1);
  }
  logger.info({ database }, "feedback store ready");
  const app = createServiceApp({ config, clinicalConfig, logger, feedbackStore });
  const server: Server = app.listen(config.port, () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    logger.info({ port, nodeEnv: config.nodeEnv }, "vitd-cds listening");
  });
  server.requestTimeout = config.requestTimeoutMs;
  server.keepAliveTimeout = 65_000;

  const shutdown = (signal: string) => {
    logger.info({ signal }, "shutting down");
    server.close(() => void feedbackStore.close().finally(() => process.exit(0)));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

void main();
