/** This service's public base URL for a request (see publicBaseUrlFor: never from the Host header in production). */
import type { Request } from "express";
import { publicBaseUrlFor, type AppConfig } from "../config/env-config";

export function publicBaseUrl(req: Request, config: Pick<AppConfig, "publicUrl" | "nodeEnv">): string | undefined {
  return publicBaseUrlFor(config, { protocol: req.protocol, host: req.get("host") });
}
