/**
 * JSON body parsing for POST routes: a non-JSON content type → 415, too large → 413 and
 * unparseable JSON → 400 (both via the error handler), never a 500. A declared Content-Length over
 * the limit is refused before reading (body-parser would first drain the whole body, so a slow
 * client could hold the connection until the request timeout).
 */
import express, { type NextFunction, type Request, type Response, type RequestHandler } from "express";
import { CdsError } from "../errors";

const JSON_TYPES = ["application/json", "application/fhir+json", "application/*+json"];

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

/** "5mb" → bytes (the configuration schema allows only <n>b|kb|mb). */
export function limitBytes(limit: string): number {
  const m = /^(\d+)(b|kb|mb)$/i.exec(limit);
  if (!m) throw new Error(`invalid body limit ${limit}`);
  return Number(m[1]) * (UNITS[(m[2] ?? "b").toLowerCase()] ?? 1);
}

export function jsonBody(limit: string): RequestHandler[] {
  const maxBytes = limitBytes(limit);
  const requireJson = (req: Request, _res: Response, next: NextFunction) => {
    if (!req.is(JSON_TYPES)) {
      next(new CdsError("unsupported_media_type", `Content-Type must be application/json (got ${req.get("content-type") ?? "none"})`));
      return;
    }
    if (Number(req.get("content-length") ?? 0) > maxBytes) {
      next(new CdsError("payload_too_large", "Request body is larger than the configured limit"));
      return;
    }
    next();
  };
  return [requireJson, express.json({ limit, type: JSON_TYPES, strict: false })];
}
