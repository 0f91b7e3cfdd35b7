/**
 * The transport of outbound FHIR GETs: one small interface, two implementations.
 * - `nodeHttpGet()` (production): node:http / node:https with keep-alive agents. It never follows a
 *   redirect (node:http has no redirect handling at all), aborts with the caller's signal, asks for and
 *   decodes gzip, deflate and br, and caps the decoded body while it streams. About a third of undici fetch's CPU per request, which dominated the fallback
 *   path (docs/benchmarks.md, fallback fetch).
 * - `fetchHttpGet(fetchImpl)`: the same over a WHATWG fetch (`redirect: "manual"`), for callers and tests
 *   that bring their own fetch.
 * Both resolve when the response headers arrive; the body is read (or discarded) after.
 */
import http from "node:http";
import https from "node:https";
import type { Readable, Transform } from "node:stream";
import zlib from "node:zlib";
import { NO_REDIRECT, readTextCapped, ResponseTooLargeError, type FetchFn } from "./outbound";

export interface HttpAnswer {
  status: number;
  /** The body as UTF-8 text, reading at most `maxBytes` (more → ResponseTooLargeError, the rest is not read). */
  text(maxBytes: number): Promise<string>;
  /** The body is not wanted: stop receiving it. */
  discard(): void;
}

export interface HttpGetOptions {
  headers: Record<string, string>;
  signal: AbortSignal;
}

/** GET `url`; rejects on a network failure or when `signal` aborts (before or while the body is read). */
export type HttpGet = (url: string, options: HttpGetOptions) => Promise<HttpAnswer>;

/** What this transport can decode, offered in Accept-Encoding (FHIR bundles compress ≈ 10×). */
const ACCEPT_ENCODING = "gzip, deflate, br";

/** The decoder for a Content-Encoding, `undefined` for identity, `null` for one we cannot decode. */
function decoderFor(encoding: string | undefined): Transform | undefined | null {
  switch ((encoding ?? "").trim().toLowerCase()) {
    case "":
    case "identity":
      return undefined;
    case "gzip":
    case "x-gzip":
      return zlib.createGunzip();
    case "deflate":
      return zlib.createInflate();
    case "br":
      return zlib.createBrotliDecompress();
    default:
      return null;
  }
}

/**
 * Reads the (decoded) body, at most `maxBytes` of it: the cap counts decoded bytes, so a small
 * compressed body that inflates past it (a "zip bomb") is cut off like a long one.
 */
function readCapped(res: http.IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(res.headers["content-length"] ?? NaN);
  if (declared > maxBytes) {
    res.destroy();
    return Promise.reject(new ResponseTooLargeError(maxBytes));
  }
  const decoder = decoderFor(res.headers["content-encoding"]);
  if (decoder === null) {
    res.destroy();
    return Promise.reject(new Error(`unsupported content-encoding ${JSON.stringify(res.headers["content-encoding"])}`));
  }
  const body: Readable = decoder ? res.pipe(decoder) : res;
  const stop = () => {
    res.destroy();
    decoder?.destroy();
  };
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    body.on("data", (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) {
        stop();
        reject(new ResponseTooLargeError(maxBytes));
      } else chunks.push(chunk);
    });
    body.on("end", () => resolve(Buffer.concat(chunks, total).toString("utf8")));
    body.on("error", (e) => {
      stop();
      reject(e);
    });
    // Cut off (the signal aborted, the server went away): no 'end'; a settled promise ignores this.
    res.on("close", () => {
      if (!res.complete) {
        decoder?.destroy();
        reject(new Error("response ended before its end"));
      }
    });
  });
}

/** node:http(s) with keep-alive agents (one pair per call of this function: one per process in production). */
export function nodeHttpGet(): HttpGet {
  const agents = { "http:": new http.Agent({ keepAlive: true }), "https:": new https.Agent({ keepAlive: true }) };
  return (url, { headers, signal }) =>
    new Promise<HttpAnswer>((resolve, reject) => {
      const target = new URL(url);
      const mod = target.protocol === "https:" ? https : target.protocol === "http:" ? http : undefined;
      if (!mod) return reject(new TypeError(`unsupported protocol ${target.protocol}`));
      const req = mod.get(
        target,
        { headers: { "accept-encoding": ACCEPT_ENCODING, ...headers }, signal, agent: agents[target.protocol as "http:" | "https:"] },
        (res) => {
          resolve({
            status: res.statusCode ?? 0,
            text: (maxBytes) => readCapped(res, maxBytes),
            discard: () => res.destroy(),
          });
        },
      );
      req.on("error", reject);
    });
}

/** The same interface over a fetch (redirects answered, not followed). */
export function fetchHttpGet(fetchImpl: FetchFn): HttpGet {
  return async (url, { headers, signal }) => {
    const res = await fetchImpl(url, { headers, signal, ...NO_REDIRECT });
    return {
      status: res.status,
      text: (maxBytes) => readTextCapped(res, maxBytes),
      discard: () => void res.body?.cancel().catch(() => undefined),
    };
  };
}
