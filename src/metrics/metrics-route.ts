/** GET /metrics: this app's registry in Prometheus text format. */
import { Router } from "express";
import type { Metrics } from "./metrics";

export function metricsRoute(metrics: Metrics): Router {
  const router = Router();
  router.get("/metrics", async (_req, res) => {
    const body = await metrics.registry.metrics();
    res.setHeader("Content-Type", metrics.registry.contentType);
    res.setHeader("Cache-Control", "no-store");
    res.send(body);
  });
  return router;
}
