/**
 * Load generators: closed-loop maximum throughput (autocannon), open-loop fixed rate (requests
 * sent on a fixed schedule whatever the responses do, so queueing shows in the latencies) and
 * one-at-a-time requests. Latencies are kept in full (ms, sub-millisecond precision).
 */
import { createRequire } from "node:module";
import http from "node:http";
import { percentile } from "./stats";

export interface LoadResult {
  requests: number;
  ok: number;
  /** Non-2xx responses and transport errors. */
  failed: number;
  elapsedMs: number;
  /** Completed 2xx requests per second. */
  rps: number;
  p50: number;
  p99: number;
  latencies: number[];
}

export interface HttpTarget {
  url: string;
  method: "GET" | "POST";
  body?: Buffer;
  headers?: Record<string, string>;
}

const JSON_HEADERS = { "content-type": "application/json" };

function summarize(latencies: number[], failed: number, elapsedMs: number): LoadResult {
  return {
    requests: latencies.length + failed,
    ok: latencies.length,
    failed,
    elapsedMs,
    rps: (latencies.length / elapsedMs) * 1000,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    latencies,
  };
}

type Autocannon = (
  opts: Record<string, unknown>,
  cb: (err: Error | null) => void,
) => {
  on(event: "response", fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
  on(event: "reqError", fn: (err: Error) => void): void;
};
const autocannon = createRequire(__filename)("autocannon") as Autocannon;

/** Closed loop: `connections` keep-alive connections, each sending its next request as soon as the last answers. */
export function maxThroughput(
  target: HttpTarget & { requests?: HttpTarget[] },
  connections: number,
  durationMs: number,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let failed = 0;
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    const instance = autocannon(
      {
        url: target.url,
        method: target.method,
        ...(target.body ? { body: target.body } : {}),
        headers: { ...JSON_HEADERS, ...target.headers },
        ...(target.requests
          ? {
              requests: target.requests.map((r) => ({
                path: new URL(r.url).pathname,
                method: r.method,
                ...(r.body ? { body: r.body } : {}),
              })),
            }
          : {}),
        connections,
        duration: durationMs / 1000,
        timeout: 30,
      },
      (err) => (err ? reject(err) : resolvePromise(summarize(latencies, failed, performance.now() - started))),
    );
    instance.on("response", (_client, status, _bytes, ms) => {
      if (status >= 200 && status < 300) latencies.push(ms);
      else failed++;
    });
    instance.on("reqError", () => failed++);
  });
}

export interface OneResponse {
  status: number;
  body: Buffer;
  ms: number;
}

/** One request on `agent` (keep-alive); `ms` counts from the call to the last byte of the response. */
export function request(agent: http.Agent, target: HttpTarget): Promise<OneResponse> {
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    const req = http.request(target.url, { method: target.method, agent, headers: { ...JSON_HEADERS, ...target.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolvePromise({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), ms: performance.now() - started }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(target.body);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Open loop: one request every 1000/rate ms for durationMs, over a keep-alive pool; each latency counts from the
 * request's scheduled send time. Also reports how late the schedule ran.
 */
export async function fixedRate(target: HttpTarget, rate: number, durationMs: number): Promise<LoadResult & { maxLagMs: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const interval = 1000 / rate;
  const total = Math.max(1, Math.round((durationMs / 1000) * rate));
  const latencies: number[] = [];
  let failed = 0;
  let maxLagMs = 0;
  const inflight: Promise<void>[] = [];
  const start = performance.now() + 5;
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const lag = performance.now() - due;
    maxLagMs = Math.max(maxLagMs, lag);
    inflight.push(
      request(agent, target).then(
        // From the scheduled send time, not the actual call: a late schedule is the service's delay too (no coordinated omission).
        (r) => (r.status >= 200 && r.status < 300 ? void latencies.push(r.ms + lag) : void failed++),
        () => void failed++,
      ),
    );
  }
  await Promise.all(inflight);
  const elapsed = performance.now() - start;
  agent.destroy();
  return { ...summarize(latencies, failed, elapsed), maxLagMs };
}
