/**
 * Probes: `GET /healthz` = liveness (the process answers; no dependency is asked, so a database outage
 * never gets a healthy pod restarted), `GET /readyz` = readiness: 200 when configuration is loaded, the
 * process is not shutting down and the feedback store answers within `timeoutMs`; else 503 with the reason
 * and Retry-After. Each readiness check sets the `feedback_store_up` gauge.
 */
import { Router } from "express";
import type { Gauge } from "prom-client";

export interface ProbeDeps {
  service: string;
  /** Resolves when the store answers. */
  pingStore: () => Promise<void>;
  isShuttingDown: () => boolean;
  storeUp: Gauge;
  timeoutMs?: number;
}

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function probeRoutes(deps: ProbeDeps): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok", service: deps.service });
  });
  router.get("/readyz", async (_req, res) => {
    const notReady = (reason: string) =>
      res.status(503).set("Retry-After", "5").json({ status: "not ready", service: deps.service, reason });
    if (deps.isShuttingDown()) return void notReady("shutting down");
    try {
      await within(deps.timeoutMs ?? 2_000, deps.pingStore());
      deps.storeUp.set(1);
      res.json({ status: "ready", service: deps.service });
    } catch {
      deps.storeUp.set(0);
      notReady("feedback store unavailable");
    }
  });
  return router;
}
