/**
 * CORS for every /cds-services route (CDS Hooks sandboxes and EHR web clients call from the browser).
 * Headers as the CDS Hooks sandbox world uses them; `Authorization` must be allowed or JWT calls fail.
 */
import type { NextFunction, Request, Response } from "express";

export function cdsCors(req: Request, res: Response, next: NextFunction): void {
  res.setHeader("Access-Control-Allow-Origin", "*");
  res.setHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
  res.setHeader("Access-Control-Allow-Headers", "Content-Type, Authorization");
  res.setHeader("Access-Control-Expose-Headers", "Origin, Accept, Content-Location, Location, X-Requested-With, WWW-Authenticate");
  res.setHeader("Access-Control-Max-Age", "600");
  if (req.method === "OPTIONS") {
    res.status(204).end();
    return;
  }
  next();
}
