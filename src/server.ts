/**
 * Entry point: read configuration, build the app, listen on HOST:PORT, purge old rows on a schedule, and shut
 * down gracefully on SIGTERM/SIGINT (src/shutdown.ts: readiness 503, drain, in-flight requests finish, exit 0).
 * Invalid configuration stops start-up with one clear message per bad variable.
 */
import "dotenv/config";
import type { Server } from "node:http";
import { loadClinicalConfigFile } from "./config/clinical-config-file";
import { loadEnvConfig } from "./config/env-config";
import { describeDatabaseUrl, openFeedbackStore } from "./feedback/open-store";
import type { FeedbackStore } from "./feedback/store";
import { createLogger } from "./logger";
import { startRetention } from "./feedback/retention";
import { createServiceApp } from "./service-app";
import { createLifecycle } from "./shutdown";

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
    feedbackStore = await openFeedbackStore(config.databaseUrl, { max: config.dbPoolMax, connectionTimeoutMs: config.dbPoolTimeoutMs });
  } catch (e) {
    logger.fatal({ database, error: (e as Error).message }, "cannot open the feedback store (CDS_DATABASE_URL)");
    process.exit(1);
  }
  logger.info({ database }, "feedback store ready");
  const listener: { server?: Server } = {};
  const stopRetention = startRetention({ store: feedbackStore, days: config.retentionDays, clock: () => new Date(), logger });
  const lifecycle = createLifecycle({
    drainMs: config.shutdownDrainMs,
    graceMs: config.shutdownGraceMs,
    logger,
    server: () => listener.server,
    done: async () => {
      stopRetention();
      await feedbackStore.close().catch(() => undefined);
    },
  });
  const app = createServiceApp({
    config,
    clinicalConfig,
    logger,
    feedbackStore,
    isShuttingDown: () => lifecycle.shuttingDown,
    beforeRoutes: [lifecycle.closeConnections],
  });
  const listening: Server = app.listen(config.port, config.host, () => {
    const address = listening.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    logger.info({ port, host: config.host, nodeEnv: config.nodeEnv }, "vitd-cds listening");
  });
  listener.server = listening;
  listening.requestTimeout = config.requestTimeoutMs;
  listening.keepAliveTimeout = 65_000;

  const onSignal = (signal: string) => void lifecycle.shutdown(signal).then(() => process.exit(0));
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  process.on("SIGINT", () => onSignal("SIGINT"));
}

void main();
