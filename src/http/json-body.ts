/**
 * JSON body parsing for POST routes: a non-JSON content type → 415, too large → 413 and
 * unparseable JSON → 400 (both via the error handler), never a 500.
 */
import express, { type NextFunction, type Request, type Response, type RequestHandler } from "express";
import { CdsError } from "../errors";

const JSON_TYPES = ["application/json", "application/fhir+json", "application/*+json"];

export function jsonBody(limit: string): RequestHandler[] {
  const requireJson = (req: Request, _res: Response, next: NextFunction) => {
    if (!req.is(JSON_TYPES)) {
      next(new CdsError("unsupported_media_type", `Content-Type must be application/json (got ${req.get("content-type") ?? "none"})`));
      return;
    }
    next();
  };
  return [requireJson, express.json({ limit, type: JSON_TYPES, strict: false })];
}
