/** Builds the real app (createApp) with test parts: silent logger, fixed clock, default clinical config. */
import pino from "pino";
import { createApp, type AppDeps } from "../../src/app";
import { defaultClinicalConfig } from "../../src/config/clinical-config";
import { loadEnvConfig, type AppConfig } from "../../src/config/env-config";

export const TEST_NOW = new Date("2026-06-01T12:00:00Z");

export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return { ...loadEnvConfig({ NODE_ENV: "test", FHIR_TIMEOUT_MS: "2000", CDS_DATABASE_URL: "sqlite::memory:" }), ...overrides };
}

export function buildTestApp(overrides: Omit<Partial<AppDeps>, "config"> & { config?: Partial<AppConfig> } = {}) {
  const { config, ...rest } = overrides;
  return createApp({
    config: testConfig(config),
    clinicalConfig: defaultClinicalConfig,
    logger: pino({ level: "silent" }),
    clock: () => TEST_NOW,
    ...rest,
  });
}
