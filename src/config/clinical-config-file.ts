/**
 * The site's clinical configuration: the defaults, merged with the JSON file named by CDS_THRESHOLDS.
 * Node only (reads a file); `clinical-config.ts` itself stays browser-safe for the SMART app.
 * A bad file is a ConfigError naming CDS_THRESHOLDS, so start-up stops with one clear message.
 */
import { readFileSync } from "node:fs";
import { mergeClinicalConfig, type ClinicalConfig } from "./clinical-config";
import { ConfigError } from "./env-config";

export function loadClinicalConfigFile(path: string | undefined): ClinicalConfig {
  if (!path) return mergeClinicalConfig({});
  try {
    return mergeClinicalConfig(JSON.parse(readFileSync(path, "utf8")));
  } catch (e) {
    throw new ConfigError([`CDS_THRESHOLDS: ${(e as Error).message}`]);
  }
}
