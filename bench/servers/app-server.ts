/**
 * The service under test, built as src/server.ts builds it (createServiceApp: environment config,
 * CDS_THRESHOLDS, pino logger to stdout, the feedback store of CDS_DATABASE_URL, metrics, SMART app),
 * but bound to 127.0.0.1 with the port reported over IPC.
 */
import { loadClinicalConfigFile } from "../../src/config/clinical-config-file";
import { loadEnvConfig } from "../../src/config/env-config";
import { openFeedbackStore } from "../../src/feedback/open-store";
import { createLogger } from "../../src/logger";
import { createServiceApp } from "../../src/service-app";
import { serveChild } from "./child-ipc";

async function main() {
  const config = loadEnvConfig(process.env);
  const feedbackStore = await openFeedbackStore(config.databaseUrl);
  const clinicalConfig = loadClinicalConfigFile(config.thresholdsPath);
  const app = createServiceApp({ config, clinicalConfig, logger: createLogger(config.logLevel), feedbackStore });
  const server = serveChild(app);
  server.requestTimeout = config.requestTimeoutMs;
}

void main();
