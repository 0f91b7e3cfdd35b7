/**
 * The one place errors become HTTP responses: CdsError → its status and JSON body; body-parser
 * errors → 400/413/415, a path that is not valid percent-encoding → 400; anything else is a bug → 500 (logged with its stack, never echoed).
 * An error answered before the request body was read in full (401 before parsing, 413) closes the
 * connection: the rest of the body is not waited for, so a slow or partial upload cannot hold the socket.
 */
import type { ErrorRequestHandler, RequestHandler } from "express";
import type { Logger } from "pino";
import { wwwAuthenticate } from "../auth/auth-error";
import { CdsError } from "../errors";

interface BodyParserError {
  type?: string;
  status?: number;
  message?: string;
}

function fromBodyParser(err: BodyParserError): CdsError | undefined {
  switch (err.type) {
    case "entity.too.large":
      return new CdsError("payload_too_large", "Request body is larger than the configured limit");
    case "entity.parse.failed":
      return new CdsError("invalid_request", "Request body is not valid JSON", [{ field: "(body)", message: "is not valid JSON" }]);
    case "encoding.unsupported":
    case "charset.unsupported":
      return new CdsError("unsupported_media_type", err.message ?? "Unsupported body encoding");
    case "request.aborted":
    case "request.size.invalid":
    case "stream.encoding.set":
      return new CdsError("invalid_request", err.message ?? "Request body could not be read");
    default:
      return undefined;
  }
}

/** A path whose service id is not valid percent-encoding (e.g. `/cds-services/%E0`): the router's URIError, and the hook endpoint's. */
export function undecodablePath(): CdsError {
  return new CdsError("invalid_request", "The request path is not valid percent-encoding", [
    { field: "(path)", message: "is not valid percent-encoding" },
  ]);
}

const isRouterDecodeError = (err: unknown): boolean => err instanceof URIError && (err as { status?: number }).status === 400;

/** Retry-After of a 503 (a store outage or an exhausted pool usually clears within seconds). */
const RETRY_AFTER_SEC = 5;

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      // e.g. the request timeout already answered 503; nothing more can be sent.
      logger.debug({ path: req.path, error: (err as Error).message }, "error after response was sent");
      if (!res.writableEnded) next(err);
      return;
    }
    if (!req.complete) res.setHeader("Connection", "close");
    const cdsError =
      err instanceof CdsError
        ? err
        : (fromBodyParser(err as BodyParserError) ?? (isRouterDecodeError(err) ? undecodablePath() : undefined));
    if (cdsError) {
      const level = cdsError.status >= 500 ? "warn" : "info";
      const cause = cdsError.cause instanceof Error ? { cause: `${cdsError.cause.name}: ${cdsError.cause.message}` } : {};
      logger[level](
        { status: cdsError.status, error: cdsError.code, reason: cdsError.message, path: req.path, ...cause },
        "request failed",
      );
      if (cdsError.code === "unauthorized") res.setHeader("WWW-Authenticate", wwwAuthenticate(cdsError));
      if (cdsError.status === 503 && !res.getHeader("Retry-After")) res.setHeader("Retry-After", String(RETRY_AFTER_SEC));
      res.status(cdsError.status).json(cdsError.toBody());
      return;
    }
    logger.error({ err, path: req.path }, "unhandled error");
    res.status(500).json({ error: "internal_error", message: "Internal server error" });
  };
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new CdsError("not_found", `No route for ${req.method} ${req.path}`));
};
