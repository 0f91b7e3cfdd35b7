/** Real HTTP servers on loopback for outbound-request tests: each counts its hits and answers with a handler. */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Loopback {
  origin: string;
  hits: string[];
  /** Bytes the handler managed to write before the client went away (streaming tests). */
  server: http.Server;
  close(): Promise<void>;
}

export async function loopback(handler: (req: http.IncomingMessage, res: http.ServerResponse, self: Loopback) => void): Promise<Loopback> {
  const self = { hits: [] as string[] } as Loopback;
  const server = http.createServer((req, res) => {
    self.hits.push(req.url ?? "");
    handler(req, res, self);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  self.server = server;
  self.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  self.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return self;
}

export const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/fhir+json" });
  res.end(JSON.stringify(body));
};

/** Writes `total` bytes of JSON-ish filler with backpressure; resolves with the bytes written when done or cut off. */
export function stream(res: http.ServerResponse, total: number, headers: http.OutgoingHttpHeaders = {}): Promise<number> {
  res.writeHead(200, { "content-type": "application/json", ...headers });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let written = 0;
  return new Promise((resolve) => {
    const done = () => resolve(written);
    res.on("close", done);
    const pump = () => {
      while (written < total && !res.destroyed) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once("drain", pump);
      }
      res.end();
    };
    pump();
  });
}
