/**
 * What the service tells the app at `config.json`: the SMART client id, the PKCE mode and the
 * effective clinical configuration (site thresholds), re-validated with the service's own schema.
 */
import { mergeClinicalConfig, type ClinicalConfig } from "../../src/config/clinical-config";
import { fetchConfigJson, parseLaunchConfig, type LaunchConfig } from "./launch-config";

export type { PkceMode } from "./launch-config";

export interface SmartAppConfig extends LaunchConfig {
  clinicalConfig: ClinicalConfig;
}

export function parseSmartAppConfig(json: unknown): SmartAppConfig {
  const clinical = (json as { clinicalConfig?: unknown } | null)?.clinicalConfig;
  return { ...parseLaunchConfig(json), clinicalConfig: mergeClinicalConfig(clinical ?? {}) };
}

export async function loadSmartAppConfig(url?: string): Promise<SmartAppConfig> {
  return parseSmartAppConfig(await fetchConfigJson(url));
}
