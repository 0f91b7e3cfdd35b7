/**
 * Entry point: read configuration, build the app, listen on PORT, shut down gracefully on SIGTERM/SIGINT.
 * Invalid configuration stops start-up with one clear message per bad variable.
 */
import "dotenv/config";
import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import { createApp } from "./app";
import { mergeClinicalConfig } from "./config/clinical-config";
import { ConfigError, loadEnvConfig } from "./config/env-config";
import { createLogger } from "./logger";

function loadClinicalConfig(path: string | undefined) {
  if (!path) return mergeClinicalConfig({});
  try {
    return mergeClinicalConfig(JSON.parse(readFileSync(path, "utf8")));
  } catch (e) {
    throw new ConfigError([`CDS_THRESHOLDS: ${(e as Error).message}`]);
  }
}

function main(): void {
  let config;
  let clinicalConfig;
  try {
    config = loadEnvConfig();
    clinicalConfig = loadClinicalConfig(config.thresholdsPath);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  }
  const logger = createLogger(config.logLevel);
  const app = createApp({ config, clinicalConfig, logger });
  const server: Server = app.listen(config.port, () => {
    logger.info({ port: config.port, nodeEnv: config.nodeEnv }, "vitd-cds listening");
  });
  server.requestTimeout = config.requestTimeoutMs;
  server.keepAliveTimeout = 65_000;

  const shutdown = (signal: string) => {
    logger.info({ signal }, "shutting down");
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main();
