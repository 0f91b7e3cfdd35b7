/** Express middleware counting and timing every request, labelled by CDS service (closed set of values). */
import type { RequestHandler } from "express";
import { serviceById } from "../cds/services";
import type { Metrics } from "./metrics";

const SERVICE_PATH = /^\/cds-services\/([^/]+)(\/feedback)?\/?$/;

/** "discovery", a known service id, "<id>/feedback", "unknown-service", "metrics", "healthz", "readyz" or "other". */
export function serviceLabel(path: string): string {
  if (path === "/cds-services" || path === "/cds-services/") return "discovery";
  const m = SERVICE_PATH.exec(path);
  if (m) {
    const id = m[1] ?? "";
    if (!serviceById.has(id)) return "unknown-service";
    return m[2] ? `${id}/feedback` : id;
  }
  if (path === "/metrics") return "metrics";
  if (path === "/healthz") return "healthz";
  if (path === "/readyz") return "readyz";
  return "other";
}

const METHODS = new Set(["GET", "POST", "OPTIONS", "HEAD", "PUT", "DELETE", "PATCH"]);

export function httpMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const stop = metrics.httpDuration.startTimer();
    res.on("finish", () => {
      const service = serviceLabel(req.path);
      const method = METHODS.has(req.method) ? req.method : "OTHER";
      stop({ service, method });
      metrics.httpRequests.inc({ service, method, status: String(res.statusCode) });
      if (res.statusCode === 401) metrics.authFailures.inc({ endpoint: service.endsWith("/feedback") ? "feedback" : "service" });
    });
    next();
  };
}
