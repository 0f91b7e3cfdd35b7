/**
 * Graceful shutdown (SIGTERM/SIGINT): readiness turns 503 at once (`shuttingDown`), and every response from
 * then on carries `Connection: close`; new connections are still accepted for `drainMs` while load
 * balancers notice; then the listener closes, idle keep-alive sockets are closed, and in-flight requests get
 * until `graceMs` (counted from the signal) to finish before the remaining sockets are cut. `done` runs once.
 */
import type { Server } from "node:http";
import type { RequestHandler } from "express";
import type { Logger } from "pino";

export interface Lifecycle {
  readonly shuttingDown: boolean;
  /** Marks the responses of a draining server `Connection: close`. */
  readonly closeConnections: RequestHandler;
  shutdown(signal: string): Promise<void>;
}

export function createLifecycle(options: {
  drainMs: number;
  graceMs: number;
  logger: Logger;
  server: () => Server | undefined;
  done: () => Promise<void>;
}): Lifecycle {
  let shuttingDown = false;
  let finished: Promise<void> | undefined;
  const closeConnections: RequestHandler = (_req, res, next) => {
    if (shuttingDown) res.setHeader("Connection", "close");
    next();
  };
  const run = async (signal: string): Promise<void> => {
    const started = Date.now();
    options.logger.info({ signal, drainMs: options.drainMs, graceMs: options.graceMs }, "shutting down");
    const server = options.server();
    if (server) {
      await new Promise<void>((r) => setTimeout(r, Math.min(options.drainMs, options.graceMs)));
      await new Promise<void>((resolve) => {
        const hardStop = setTimeout(
          () => {
            options.logger.warn("shutdown grace period over: closing the remaining connections");
            server.closeAllConnections();
          },
          Math.max(0, options.graceMs - (Date.now() - started)),
        );
        server.close(() => {
          clearTimeout(hardStop);
          resolve();
        });
        server.closeIdleConnections();
      });
    }
    await options.done();
  };
  return {
    get shuttingDown() {
      return shuttingDown;
    },
    closeConnections,
    shutdown(signal) {
      shuttingDown = true;
      finished ??= run(signal);
      return finished;
    },
  };
}
