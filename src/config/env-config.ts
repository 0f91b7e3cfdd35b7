/**
 * Operator configuration from environment variables (docs/service-contract.md; the variables are listed in the README).
 * Every variable is validated with zod; invalid configuration stops start-up with one clear
 * message per bad variable (see ConfigError).
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { SERVICE_NAME } from "../service-name";

export type TrustedIssuers = Record<string, string[]>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

const origin = z.url({ protocol: /^https?$/ }).transform((u) => new URL(u).origin);

const issuersJson = z.record(z.string().min(1), z.union([z.url(), z.array(z.url()).min(1)]));

function parseTrustedIssuers(raw: string): TrustedIssuers {
  const text = raw.trim().startsWith("{") ? raw : readFileSync(raw, "utf8");
  const parsed = issuersJson.parse(JSON.parse(text));
  return Object.fromEntries(Object.entries(parsed).map(([iss, urls]) => [iss, Array.isArray(urls) ? urls : [urls]]));
}

/** Outbound FHIR limits' defaults (the CLI uses them too). */
export const FHIR_LIMIT_DEFAULTS = { maxResponseBytes: 20 * 1024 * 1024, maxConcurrency: 64 } as const;

const intIn = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const envSchema = {
  PORT: intIn(0, 65535).default(3000),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  CDS_PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .transform((u) => u.replace(/\/+$/, ""))
    .optional(),
  CDS_SUPPRESS_DAYS: intIn(0, 3650).default(30),
  CDS_FHIR_ALLOWLIST: z.string().optional(),
  CDS_DATABASE_URL: z
    .string()
    .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, "must be sqlite:<path> or postgres://…")
    .default("sqlite:./data/feedback.sqlite"),
  CDS_THRESHOLDS: z.string().min(1).optional(),
  FHIR_TIMEOUT_MS: intIn(100, 120000).default(4000),
  FHIR_MAX_PAGES: intIn(1, 100).default(10),
  FHIR_MAX_RESPONSE_BYTES: intIn(1024, 1024 * 1024 * 1024).default(FHIR_LIMIT_DEFAULTS.maxResponseBytes),
  FHIR_MAX_CONCURRENCY: intIn(1, 10_000).default(FHIR_LIMIT_DEFAULTS.maxConcurrency),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  SMART_CLIENT_ID: z.string().min(1).default(SERVICE_NAME),
  CDS_BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, "must look like 512kb or 5mb")
    .default("5mb"),
  CDS_FEEDBACK_BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, "must look like 64kb or 1mb")
    .default("256kb"),
  CDS_RATE_LIMIT_PER_MINUTE: intIn(0, 1_000_000).default(0),
  CDS_REQUEST_TIMEOUT_MS: intIn(100, 600000).default(10000),
  CDS_ALLOW_NO_AUTH: z.enum(["true", "false"], { error: 'must be "true" or "false"' }).default("false"),
  HOST: z
    .string()
    .regex(/^[A-Za-z0-9.:\-[\]]+$/, "must be an IP address or host name")
    .default("0.0.0.0"),
  CDS_TRUST_PROXY: z
    .string()
    .regex(/^[A-Za-z0-9.:/, -]+$/, "must be true, false, a hop count or a comma-separated list of addresses/subnets")
    .default("false"),
  CDS_SHUTDOWN_GRACE_MS: intIn(0, 600_000).default(25_000),
  CDS_SHUTDOWN_DRAIN_MS: intIn(0, 60_000).default(5_000),
  CDS_DB_POOL_MAX: intIn(1, 1000).default(10),
  CDS_DB_POOL_TIMEOUT_MS: intIn(10, 120_000).default(5_000),
  CDS_RETENTION_DAYS: intIn(0, 36_500).default(400),
} as const;

/** Every variable the service reads (CDS_TRUSTED_ISSUERS is read beside the schema, as JSON or a path). */
export const ENV_KEYS: readonly string[] = [...Object.keys(envSchema), "CDS_TRUSTED_ISSUERS"];

const envObject = z.object(envSchema);
type EnvKey = keyof typeof envSchema;
/** The parsed variables: each one's type is its schema's output. */
type EnvValues = z.output<typeof envObject>;
type RawEnv = Partial<Record<EnvKey, string>>;

/** Allowed fhirServer origins ("any" = every origin, the development default) and the problems found. */
function parseAllowlist(raw: string | undefined, nodeEnv: string | undefined): { list: string[] | "any"; problems: string[] } {
  if (raw === undefined) return { list: nodeEnv === "production" ? [] : "any", problems: [] };
  if (raw.trim() === "*") return { list: "any", problems: [] };
  const entries = raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const parsed = entries.map((e) => origin.safeParse(e));
  const bad = entries.filter((_, i) => !parsed[i]?.success);
  return {
    list: parsed.flatMap((p) => (p.success ? [p.data] : [])),
    problems: bad.length > 0 ? [`CDS_FHIR_ALLOWLIST: not http(s) origins: ${bad.join(", ")}`] : [],
  };
}

/** The service configuration; its type (AppConfig) is what this returns, so every field maps a typed variable. */
function toAppConfig(v: EnvValues, trustedIssuers: TrustedIssuers, fhirAllowlist: string[] | "any") {
  return {
    port: v.PORT,
    /** Bind address (HOST). */
    host: v.HOST,
    /** Express `trust proxy` (CDS_TRUST_PROXY): false, true, a hop count, or addresses/subnets/names ("loopback, 10.0.0.0/8"). */
    trustProxy: parseTrustProxy(v.CDS_TRUST_PROXY),
    /** In-flight requests get this long to finish after SIGTERM (CDS_SHUTDOWN_GRACE_MS). */
    shutdownGraceMs: v.CDS_SHUTDOWN_GRACE_MS,
    /** After SIGTERM, new connections are still accepted this long while load balancers notice the 503 readiness. */
    shutdownDrainMs: v.CDS_SHUTDOWN_DRAIN_MS,
    /** PostgreSQL pool size and how long a request waits for a connection before 503. */
    dbPoolMax: v.CDS_DB_POOL_MAX,
    dbPoolTimeoutMs: v.CDS_DB_POOL_TIMEOUT_MS,
    /** Issued-card and feedback rows older than this are purged (CDS_RETENTION_DAYS; 0 = keep forever). */
    retentionDays: v.CDS_RETENTION_DAYS,
    nodeEnv: v.NODE_ENV,
    /** Public base URL behind proxies (no trailing slash); JWT `aud` = `${publicUrl}/cds-services/{id}`. */
    ...(v.CDS_PUBLIC_URL ? { publicUrl: v.CDS_PUBLIC_URL } : {}),
    suppressDays: v.CDS_SUPPRESS_DAYS,
    /** issuer → acceptable JWKS URLs (the first is used when a token names no `jku`). Empty = auth off. */
    trustedIssuers,
    /** Allowed fhirServer origins, or "any" (development default). */
    fhirAllowlist,
    databaseUrl: v.CDS_DATABASE_URL,
    ...(v.CDS_THRESHOLDS ? { thresholdsPath: v.CDS_THRESHOLDS } : {}),
    fhirTimeoutMs: v.FHIR_TIMEOUT_MS,
    /** Upper bound on `next` pages followed per query. */
    fhirMaxPages: v.FHIR_MAX_PAGES,
    /** Largest FHIR response body read, bytes (larger → 502). */
    fhirMaxResponseBytes: v.FHIR_MAX_RESPONSE_BYTES,
    /** Outbound FHIR requests in flight per process; more wait within the hook's deadline. */
    fhirMaxConcurrency: v.FHIR_MAX_CONCURRENCY,
    logLevel: v.LOG_LEVEL,
    smartClientId: v.SMART_CLIENT_ID,
    bodyLimit: v.CDS_BODY_LIMIT,
    /** Body limit of feedback posts (much smaller than a hook's: feedback carries no FHIR data). */
    feedbackBodyLimit: v.CDS_FEEDBACK_BODY_LIMIT,
    /** Requests per minute per client; 0 = off (default). */
    rateLimitPerMinute: v.CDS_RATE_LIMIT_PER_MINUTE,
    requestTimeoutMs: v.CDS_REQUEST_TIMEOUT_MS,
  };
}

export type AppConfig = ReturnType<typeof toAppConfig>;

/** Parses the environment; throws ConfigError listing every bad variable. */
export function loadEnvConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw: RawEnv = {};
  for (const key of Object.keys(envSchema) as EnvKey[]) {
    const value = env[key];
    if (value !== undefined && value !== "") raw[key] = value;
  }
  const problems: string[] = [];
  const parsed = envObject.safeParse(raw);
  if (!parsed.success) {
    const byKey = new Map<string, string[]>();
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? "(environment)");
      byKey.set(key, [...(byKey.get(key) ?? []), issue.message]);
    }
    for (const [key, messages] of byKey) problems.push(`${key}: ${messages.join("; ")} (got ${JSON.stringify(raw[key as EnvKey])})`);
  }

  let trustedIssuers: TrustedIssuers = {};
  if (env.CDS_TRUSTED_ISSUERS) {
    try {
      trustedIssuers = parseTrustedIssuers(env.CDS_TRUSTED_ISSUERS);
    } catch (e) {
      problems.push(`CDS_TRUSTED_ISSUERS: must be a JSON object (or a path to one) mapping issuer → JWKS URL(s): ${(e as Error).message}`);
    }
  }
  const allowlist = parseAllowlist(raw.CDS_FHIR_ALLOWLIST, raw.NODE_ENV);
  problems.push(...allowlist.problems);
  problems.push(...productionRefusals(raw, trustedIssuers));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  return toAppConfig(parsed.data, trustedIssuers, allowlist.list);
}

/** CDS_TRUST_PROXY → express's `trust proxy` value. */
function parseTrustProxy(raw: string): boolean | number | string {
  const v = raw.trim();
  if (v === "true" || v === "false") return v === "true";
  return /^\d+$/.test(v) ? Number(v) : v;
}

/**
 * Unsafe production configurations refused at start-up: no JWT auth unless CDS_ALLOW_NO_AUTH=true says
 * so on purpose; auth without CDS_PUBLIC_URL (the JWT aud is never derived from the Host header in production).
 */
function productionRefusals(raw: RawEnv, issuers: TrustedIssuers): string[] {
  if (raw.NODE_ENV !== "production") return [];
  const authOn = Object.keys(issuers).length > 0;
  if (!authOn && raw.CDS_ALLOW_NO_AUTH !== "true") {
    return [
      "CDS_TRUSTED_ISSUERS: is empty, so any caller could invoke the services; configure trusted issuers, or set CDS_ALLOW_NO_AUTH=true to run without JWT auth on purpose",
    ];
  }
  if (authOn && raw.CDS_PUBLIC_URL === undefined) {
    return [
      "CDS_PUBLIC_URL: is required in production when JWT auth is on (the JWT aud is checked against it, never against the request's Host header)",
    ];
  }
  return [];
}

/**
 * This service's public base URL for a request: CDS_PUBLIC_URL when set; else, outside production,
 * the request's protocol and Host; in production nothing (a Host header must not choose the JWT
 * audience or the cards' SMART link).
 */
export function publicBaseUrlFor(
  config: Pick<AppConfig, "publicUrl" | "nodeEnv">,
  request: { protocol: string; host: string | undefined },
): string | undefined {
  if (config.publicUrl) return config.publicUrl;
  if (config.nodeEnv === "production") return undefined;
  return `${request.protocol}://${request.host ?? "localhost"}`;
}

/** True when `fhirServer`'s origin may be contacted. */
export function isFhirServerAllowed(config: Pick<AppConfig, "fhirAllowlist">, fhirServer: string): boolean {
  if (config.fhirAllowlist === "any") return true;
  let candidate: string;
  try {
    candidate = new URL(fhirServer).origin;
  } catch {
    return false;
  }
  return config.fhirAllowlist.includes(candidate);
}
