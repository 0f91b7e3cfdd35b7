/**
 * POST /cds-services/{id}/feedback (CDS Hooks 2.0 "Feedback"): 404 for an unknown service, 400 naming
 * the bad field, otherwise the items are committed to the store and the answer is 200 `{}`.
 * The verified JWT issuer (when auth is on) is stored with each item.
 */
import { Router, type RequestHandler } from "express";
import type { Logger } from "pino";
import { serviceById } from "../cds/services";
import { CdsError } from "../errors";
import { jsonBody } from "../http/json-body";
import { parseFeedback, type FeedbackItem } from "./feedback-schema";
import type { FeedbackStore } from "./store";
import { guardStore } from "./unavailable";

export interface FeedbackRouteDeps {
  store: FeedbackStore;
  clock: () => Date;
  logger: Logger;
  bodyLimit: string;
  onStored?: (serviceId: string, items: readonly FeedbackItem[]) => void;
}

const knownService: RequestHandler = (req, _res, next) => {
  const id = String(req.params.id);
  next(serviceById.has(id) ? undefined : new CdsError("not_found", `No CDS service "${id}"`));
};

export function feedbackRoutes(deps: FeedbackRouteDeps): Router {
  const router = Router();
  router.post("/cds-services/:id/feedback", knownService, ...jsonBody(deps.bodyLimit), async (req, res) => {
    const serviceId = String(req.params.id);
    const items = parseFeedback(req.body);
    const receivedAt = deps.clock();
    const client = (res.locals.cdsClient as { iss?: string } | undefined)?.iss;
    // Committed before the 200; a store that is down or saturated → 503 + Retry-After (nothing acknowledged is lost).
    const { matchedIssuedCards } = await guardStore(() =>
      deps.store.saveFeedback(items.map((item) => ({ ...item, serviceId, receivedAt, ...(client ? { client } : {}) }))),
    );
    deps.onStored?.(serviceId, items);
    deps.logger.info({ serviceId, items: items.length, matchedIssuedCards }, "feedback stored");
    res.json({});
  });
  return router;
}
