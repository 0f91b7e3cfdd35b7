/** This service's public base URL: CDS_PUBLIC_URL when set (behind proxies), else from the request. */
import type { Request } from "express";

export function publicBaseUrl(req: Request, configured: string | undefined): string {
  return configured ?? `${req.protocol}://${req.get("host") ?? "localhost"}`;
}
