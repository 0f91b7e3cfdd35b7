/**
 * JWK Sets of trusted CDS clients, fetched from their (allow-listed) URLs and cached. A key id that is
 * not in the cached set triggers one refetch (key rotation), at most once per `cooldownMs` per URL, so a
 * flood of tokens with made-up `kid`s cannot turn this service into a JWKS hammer. A set older than
 * `maxAgeMs` is refetched; if that fails, the stale set is used rather than locking every client out.
 * A failed download is remembered for `failureTtlMs`: tokens arriving meanwhile are refused (401) without
 * another download. Redirects are never followed (a 3xx is a failure: the allow-listed URL is the one
 * trusted, not wherever it points), and the body is capped at `maxBytes` while it streams.
 */
import { createLocalJWKSet, type JSONWebKeySet, type JWSHeaderParameters, type KeyLike } from "jose";
import { z } from "zod";
import { isRedirect, NO_REDIRECT, readTextCapped, ResponseTooLargeError, type FetchFn } from "../net/outbound";
import { AuthError } from "./auth-error";

export interface JwksCacheOptions {
  fetchImpl?: FetchFn;
  /** Milliseconds since the epoch (injected in tests). */
  now?: () => number;
  maxAgeMs?: number;
  cooldownMs?: number;
  timeoutMs?: number;
  maxBytes?: number;
  /** How long a failed download is remembered (no refetch storm); default 30 s. */
  failureTtlMs?: number;
}

interface Entry {
  fetchedAt: number;
  resolve: (header: JWSHeaderParameters) => Promise<KeyLike>;
}

const jwksShape = z.object({ keys: z.array(z.looseObject({ kty: z.string() })).max(100) });

function keyError(e: unknown): string | undefined {
  const code = (e as { code?: string }).code;
  if (code === "ERR_JWKS_NO_MATCHING_KEY") return "no-match";
  if (code === "ERR_JWKS_MULTIPLE_MATCHING_KEYS") return "several keys in the JWKS match the kid";
  return undefined;
}

export class JwksCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<Entry>>();
  private readonly fetchImpl: FetchFn;
  private readonly now: () => number;
  private readonly maxAgeMs: number;
  private readonly cooldownMs: number;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly failureTtlMs: number;
  private readonly failures = new Map<string, { at: number; error: AuthError }>();
  /** Number of JWKS downloads (tests and metrics). */
  fetchCount = 0;

  constructor(options: JwksCacheOptions = {}) {
    this.fetchImpl = options.fetchImpl ?? ((input, init) => fetch(input, init));
    this.now = options.now ?? Date.now;
    this.maxAgeMs = options.maxAgeMs ?? 10 * 60_000;
    this.cooldownMs = options.cooldownMs ?? 30_000;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.maxBytes = options.maxBytes ?? 256 * 1024;
    this.failureTtlMs = options.failureTtlMs ?? 30_000;
  }

  /** The public key for this JWS header from the JWK Set at `url` (which the caller has allow-listed). */
  async keyFor(url: string, header: JWSHeaderParameters): Promise<KeyLike> {
    let entry = this.entries.get(url);
    if (!entry || this.now() - entry.fetchedAt >= this.maxAgeMs) {
      entry = await this.refresh(url).catch((e: unknown) => {
        if (entry) return entry; // stale beats locked out
        throw e;
      });
    }
    try {
      return await entry.resolve(header);
    } catch (e) {
      const problem = keyError(e);
      if (problem !== "no-match")
        throw new AuthError(problem ?? `key ${String(header.kid)} in ${url} is unusable for ${String(header.alg)}`);
      if (this.now() - entry.fetchedAt < this.cooldownMs) {
        throw new AuthError(`no key with kid "${String(header.kid)}" for ${String(header.alg)} in the JWKS at ${url}`);
      }
      const fresh = await this.refresh(url);
      return fresh.resolve(header).catch(() => {
        throw new AuthError(`no key with kid "${String(header.kid)}" for ${String(header.alg)} in the JWKS at ${url} (refetched)`);
      });
    }
  }

  private refresh(url: string): Promise<Entry> {
    const running = this.inflight.get(url);
    if (running) return running;
    const failed = this.failures.get(url);
    if (failed && this.now() - failed.at < this.failureTtlMs) return Promise.reject(failed.error);
    const job = this.download(url)
      .then(
        (entry) => {
          this.failures.delete(url);
          return entry;
        },
        (e: unknown) => {
          const error = e instanceof AuthError ? e : new AuthError(`JWKS at ${url} could not be used`);
          this.failures.set(url, { at: this.now(), error });
          throw error;
        },
      )
      .finally(() => this.inflight.delete(url));
    this.inflight.set(url, job);
    return job;
  }

  private async download(url: string): Promise<Entry> {
    this.fetchCount++;
    let text: string;
    try {
      const res = await this.fetchImpl(url, {
        headers: { accept: "application/json" },
        signal: AbortSignal.timeout(this.timeoutMs),
        ...NO_REDIRECT,
      });
      if (isRedirect(res)) {
        await res.body?.cancel();
        throw new Error(`HTTP ${res.status} (redirect not followed)`);
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new Error(`HTTP ${res.status}`);
      }
      text = await readTextCapped(res, this.maxBytes);
    } catch (e) {
      if (e instanceof ResponseTooLargeError) throw new AuthError(`JWKS at ${url} is larger than ${this.maxBytes} bytes`);
      throw new AuthError(`JWKS at ${url} could not be fetched: ${(e as Error).message}`);
    }
    let jwks: JSONWebKeySet;
    try {
      jwks = jwksShape.parse(JSON.parse(text));
    } catch {
      throw new AuthError(`JWKS at ${url} is not a JSON Web Key Set`);
    }
    const entry: Entry = { fetchedAt: this.now(), resolve: createLocalJWKSet(jwks) };
    this.entries.set(url, entry);
    return entry;
  }
}
