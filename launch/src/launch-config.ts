/**
 * The part of `config.json` the launch page needs (client id, PKCE mode) — kept free of the
 * clinical modules so launch.js stays small. app-config.ts adds the validated clinical config.
 */
import { SERVICE_NAME } from "../../src/service-name";

export type PkceMode = "ifSupported" | "required" | "disabled" | "unsafeV1";

export interface LaunchConfig {
  clientId: string;
  pkceMode: PkceMode;
  serviceLabel: string;
}

const PKCE_MODES: readonly string[] = ["ifSupported", "required", "disabled", "unsafeV1"];

export function parseLaunchConfig(json: unknown): LaunchConfig {
  const v = (typeof json === "object" && json !== null ? json : {}) as Record<string, unknown>;
  if (typeof v.clientId !== "string" || v.clientId === "") throw new Error("config.json: clientId is missing");
  return {
    clientId: v.clientId,
    pkceMode: typeof v.pkceMode === "string" && PKCE_MODES.includes(v.pkceMode) ? (v.pkceMode as PkceMode) : "required",
    serviceLabel: typeof v.serviceLabel === "string" ? v.serviceLabel : SERVICE_NAME,
  };
}

export async function fetchConfigJson(url = "config.json"): Promise<unknown> {
  const res = await fetch(url, { headers: { accept: "application/json" }, cache: "no-store" });
  if (!res.ok) throw new Error(`Could not load the app configuration (${url}: HTTP ${res.status})`);
  return res.json();
}

export async function loadLaunchConfig(url?: string): Promise<LaunchConfig> {
  return parseLaunchConfig(await fetchConfigJson(url));
}
