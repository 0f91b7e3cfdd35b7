/** One structured log line per request, with the hookInstance when the pipeline parsed one. */
import type { RequestHandler } from "express";
import type { Logger } from "pino";

export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const hookInstance = res.locals.hookInstance as string | undefined;
      logger.info(
        {
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
          ...(hookInstance ? { hookInstance } : {}),
        },
        "request",
      );
    });
    next();
  };
}
