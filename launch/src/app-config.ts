/**
 * What the service tells the app at `config.json`: the SMART client id, the PKCE mode and the
 * effective clinical configuration (site thresholds), re-validated with the service's own schema.
 */
import { mergeClinicalConfig, type ClinicalConfig } from "../../src/config/clinical-config";
import { fetchConfigJson, parseLaunchConfig, type LaunchConfig } from "./launch-config";

export type { PkceMode } from "./launch-config";

export interface AppConfig extends LaunchConfig {
  clinicalConfig: ClinicalConfig;
}

export function parseAppConfig(json: unknown): AppConfig {
  const clinical = (json as { clinicalConfig?: unknown } | null)?.clinicalConfig;
  return { ...parseLaunchConfig(json), clinicalConfig: mergeClinicalConfig(clinical ?? {}) };
}

export async function loadAppConfig(url?: string): Promise<AppConfig> {
  return parseAppConfig(await fetchConfigJson(url));
}
