/**
 * docker-compose.yml, profile "production": PostgreSQL, two replicas of the production image and a
 * TLS-terminating Caddy in front (deploy/compose/Caddyfile). Validated against the Compose Specification schema
 * (test/sandbox/compose-schema.ts) and asserted for wiring: profiles keep it out of a plain `docker compose up`,
 * health-gated start order, the replicas' environment passes the service's own production checks, and the
 * proxy routes only /cds-services and /smart (never /metrics or the probes).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { loadEnvConfig } from "../../src/config/env-config";
import { composeValidator } from "../sandbox/compose-schema";
import { dockerStages, read, root } from "./docker-files";

type Service = Record<string, any>;
const compose = parse(read("docker-compose.yml")) as {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  networks?: Record<string, any>;
};
const services = compose.services;
const production = Object.keys(services).filter((n) => services[n]!["profiles"]?.includes("production"));
const { postgres, proxy } = services as Record<"postgres" | "proxy", Service>;
const cds = services["cds-prod"]!;
const caddyfile = read("deploy/compose/Caddyfile");

/** Compose interpolation of ${VAR}, ${VAR:-default}, ${VAR-default} from `env` (what a run without .env sees). */
function interpolate(value: string, env: Record<string, string> = {}): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?:(:?-)([^}]*))?\}/g, (_m, name: string, op: string | undefined, fallback: string | undefined) => {
    const v = env[name];
    if (v !== undefined && !(op === ":-" && v === "")) return v;
    return fallback ?? "";
  });
}
const env = (svc: Service): Record<string, string> =>
  Object.fromEntries(Object.entries(svc["environment"] as Record<string, string>).map(([k, v]) => [k, interpolate(String(v))]));
const durationS = (d: string): number => {
  const m = /^(\d+)(ms|s|m)$/.exec(d);
  if (!m) throw new Error(`unsupported duration ${d}`);
  return Number(m[1]) / (m[2] === "ms" ? 1000 : m[2] === "m" ? 1 / 60 : 1);
};

/** Caddyfile blocks: each `head {` … `}` with its body lines (comments dropped), nested blocks included. */
function caddyBlocks(text: string): { head: string; body: string[] }[] {
  const lines = text
    .split("\n")
    .map((l) => l.replace(/(^|\s)#.*$/, "").trim())
    .filter(Boolean);
  const blocks: { head: string; body: string[] }[] = [];
  const open: { head: string; body: string[] }[] = [];
  for (const line of lines) {
    for (const b of open) b.body.push(line);
    if (line.endsWith("{")) open.push({ head: line.slice(0, -1).trim(), body: [] });
    else if (line === "}") {
      const done = open.pop()!;
      done.body.pop(); // its own closing brace
      blocks.push(done);
    }
  }
  return blocks;
}
const blocks = caddyBlocks(caddyfile);
/** Caddy `path` matcher: exact, or globs where * matches anything (case-insensitive). */
const pathMatches = (patterns: string[], path: string) =>
  patterns.some((p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i").test(path));

describe("docker-compose.yml with the production profile against the Compose Specification schema", () => {
  const validate = composeValidator();
  it("is valid", () => {
    expect(validate(compose) ? [] : validate.errors).toEqual([]);
  });
  it("would reject a broken production service (the schema really checks)", () => {
    const broken = structuredClone(compose);
    broken.services["cds-prod"]!["deploy"].replicas = "two";
    broken.services["postgres"]!["healthcheck"].interval = "every five seconds";
    broken.services["proxy"]!["depends_on"]["cds-prod"].condition = "service_ready";
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toEqual(
      expect.arrayContaining([
        "/services/cds-prod/deploy/replicas",
        "/services/postgres/healthcheck/interval",
        "/services/proxy/depends_on/cds-prod/condition",
      ]),
    );
  });
});

describe("profiles", () => {
  it("postgres, cds-prod and proxy are in the production profile only; the demo services have no profile", () => {
    expect(production.sort()).toEqual(["cds-prod", "postgres", "proxy"]);
    for (const name of production) expect(services[name]!["profiles"]).toEqual(["production"]);
    for (const name of ["fhir", "seed", "cds"]) expect(services[name]!["profiles"]).toBeUndefined();
  });
  it("no demo service depends on a production one (a plain `docker compose up` never needs the profile)", () => {
    for (const name of ["fhir", "seed", "cds"])
      for (const dep of Object.keys(services[name]!["depends_on"] ?? {})) expect(production).not.toContain(dep);
  });
  it("production and demo images do not share a tag (different build targets)", () => {
    expect(cds["image"]).not.toBe(services["cds"]!["image"]);
    const stages = dockerStages(read("Dockerfile")).map((s) => s.name);
    expect(stages).toContain(cds["build"].target);
    expect(stages).toContain(services["cds"]!["build"].target);
  });
});

describe("postgres", () => {
  it("pinned major version, data on a named volume, a TCP pg_isready healthcheck, not published", () => {
    expect(postgres["image"]).toMatch(/^postgres:\d+(\.\d+)?(-[a-z]+)?$/);
    expect(postgres["volumes"]).toEqual(["pg-data:/var/lib/postgresql/data"]);
    expect(compose.volumes).toHaveProperty("pg-data");
    expect(postgres["healthcheck"].test).toEqual(["CMD", "pg_isready", "-h", "127.0.0.1", "-U", "vitd", "-d", "vitd"]);
    expect(postgres["ports"]).toBeUndefined();
    expect(postgres["networks"]).toEqual(["prod-db"]);
    expect(compose.networks?.["prod-db"]).toEqual({ internal: true });
  });
});

describe("cds-prod (the service replicas)", () => {
  const e = env(cds);
  it("two replicas of the runtime image, reachable only inside compose (no published ports, no fixed container name)", () => {
    expect(cds["build"]).toEqual({ context: ".", dockerfile: "Dockerfile", target: "runtime" });
    expect(cds["deploy"].replicas).toBe(2);
    expect(cds["ports"]).toBeUndefined();
    expect(cds["container_name"]).toBeUndefined();
    expect(cds["command"]).toBeUndefined(); // the image's CMD: node dist/server.js
  });
  it("production settings: NODE_ENV, PostgreSQL at the postgres service, a public https URL, trusted issuers, trust proxy", () => {
    expect(e["NODE_ENV"]).toBe("production");
    expect(e["CDS_DATABASE_URL"]).toMatch(/^postgres:\/\/vitd:[^@]+@postgres:5432\/vitd$/);
    expect(e["CDS_PUBLIC_URL"]).toBe("https://localhost");
    expect(e["CDS_ALLOW_NO_AUTH"]).toBeUndefined();
    expect(e["CDS_TRUST_PROXY"]).toBe(proxy["networks"]["prod-edge"].ipv4_address);
    // The password in the URL is the one PostgreSQL is initialised with.
    const password = /^postgres:\/\/vitd:([^@]+)@/.exec(e["CDS_DATABASE_URL"]!)![1];
    expect(env(postgres)["POSTGRES_PASSWORD"]).toBe(password);
  });
  it("the environment (no .env: placeholders) passes the service's own production checks: auth on, public URL, allow-list closed", () => {
    const mount = (cds["volumes"] as string[]).map((v) => interpolate(v)).find((v) => v.endsWith(":/run/vitd/trusted-issuers.json:ro"));
    expect(mount).toBe("./deploy/compose/trusted-issuers.example.json:/run/vitd/trusted-issuers.json:ro");
    expect(e["CDS_TRUSTED_ISSUERS"]).toBe("/run/vitd/trusted-issuers.json");
    const config = loadEnvConfig({ ...e, CDS_TRUSTED_ISSUERS: join(root, "deploy", "compose", "trusted-issuers.example.json") });
    expect(config.nodeEnv).toBe("production");
    expect(config.trustedIssuers).toEqual({ "https://ehr.example.invalid": ["https://ehr.example.invalid/.well-known/jwks.json"] });
    expect(config.publicUrl).toBe("https://localhost");
    expect(config.fhirAllowlist).toEqual(["https://fhir.example.invalid"]);
    expect(config.trustProxy).toBe("172.31.250.10");
  });
  it("the committed trusted-issuers file is a placeholder that can never verify a token (.invalid never resolves)", () => {
    const issuers = JSON.parse(readFileSync(join(root, "deploy", "compose", "trusted-issuers.example.json"), "utf8")) as Record<
      string,
      string
    >;
    for (const [iss, jwks] of Object.entries(issuers))
      expect(new URL(iss).hostname.endsWith(".invalid") && new URL(jwks).hostname.endsWith(".invalid")).toBe(true);
  });
  it("healthcheck on /readyz; starts once postgres is healthy; stops after drain + grace", () => {
    expect(JSON.stringify(cds["healthcheck"].test)).toContain("http://127.0.0.1:3000/readyz");
    expect(cds["depends_on"]).toEqual({ postgres: { condition: "service_healthy" } });
    const drainAndGraceS = (Number(e["CDS_SHUTDOWN_DRAIN_MS"]) + Number(e["CDS_SHUTDOWN_GRACE_MS"])) / 1000;
    expect(durationS(cds["stop_grace_period"])).toBeGreaterThan(drainAndGraceS);
  });
  it("hardened: read-only root filesystem with a /tmp tmpfs, no capabilities, no privilege escalation", () => {
    expect(cds["read_only"]).toBe(true);
    expect(cds["tmpfs"]).toEqual(["/tmp"]);
    expect(cds["cap_drop"]).toEqual(["ALL"]);
    expect(cds["cap_add"]).toBeUndefined();
    expect(cds["security_opt"]).toEqual(["no-new-privileges:true"]);
  });
  it("on the proxy's network (whose fixed subnet holds the trusted proxy address) and the database's", () => {
    expect(cds["networks"]).toEqual(["prod-edge", "prod-db"]);
    const subnet = compose.networks?.["prod-edge"].ipam.config[0].subnet as string;
    expect(subnet).toBe("172.31.250.0/24");
    expect(e["CDS_TRUST_PROXY"]!.startsWith(subnet.replace(/0\/24$/, ""))).toBe(true);
  });
});

describe("proxy (Caddy, TLS termination)", () => {
  it("pinned Caddy publishing 80 and 443 with its config from deploy/compose/, starting once the replicas are healthy", () => {
    expect(proxy["image"]).toMatch(/^caddy:\d+\.\d+(\.\d+)?-alpine$/);
    expect(proxy["ports"]).toEqual(["80:80", "443:443", "443:443/udp"]);
    expect(proxy["volumes"]).toContain("./deploy/compose/Caddyfile:/etc/caddy/Caddyfile:ro");
    expect(proxy["depends_on"]).toEqual({ "cds-prod": { condition: "service_healthy" } });
    expect(proxy["healthcheck"].test).toEqual(["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8081/healthz"]);
  });
  it("serves the domain CDS_PUBLIC_URL names, with TLS (Caddy's internal CA by default)", () => {
    const site = blocks.find((b) => b.head.startsWith("{$VITD_DOMAIN"))!;
    expect(site.head).toBe("{$VITD_DOMAIN:localhost}");
    expect(env(proxy)["VITD_DOMAIN"]).toBe(new URL(env(cds)["CDS_PUBLIC_URL"]!).hostname);
    expect(site.body).toContain("tls {$VITD_TLS:internal}");
  });
  it("proxies to both replicas (Docker DNS A records of cds-prod, port 3000), in exactly one place", () => {
    expect(caddyfile.match(/^\s*reverse_proxy\b/gm)).toHaveLength(1);
    const upstream = blocks.find((b) => b.head === "dynamic a")!;
    expect(upstream.body).toEqual(expect.arrayContaining(["name cds-prod", `port ${env(cds)["PORT"]}`]));
  });
  describe("routes only /cds-services and /smart: /metrics and the probes never leave compose", () => {
    const matcher = /^\s*@public path (.+)$/m.exec(caddyfile)![1]!.trim().split(/\s+/);
    const handlePublic = blocks.find((b) => b.head === "handle @public")!;
    it("the only reverse_proxy is inside `handle @public`; everything else is answered 404 by the proxy", () => {
      expect(handlePublic.body.some((l) => l.startsWith("reverse_proxy"))).toBe(true);
      const fallback = blocks.find((b) => b.head === "handle")!;
      expect(fallback.body).toEqual(['respond "Not found" 404']);
    });
    it.each([
      "/cds-services",
      "/cds-services/vitd-patient-view",
      "/cds-services/vitd-order-sign/feedback",
      "/smart",
      "/smart/launch.html",
      "/smart/dist/app.js",
    ])("routes %s", (path) => {
      expect(pathMatches(matcher, path)).toBe(true);
    });
    it.each(["/metrics", "/METRICS", "/metrics/", "/healthz", "/readyz", "/", "/sandbox", "/cds-servicesx"])(
      "does not route %s",
      (path) => {
        expect(pathMatches(matcher, path)).toBe(false);
      },
    );
  });
  it("accepts hook bodies up to CDS_BODY_LIMIT (5mb)", () => {
    expect(/max_size (\d+)MB/.exec(caddyfile)?.[1]).toBeDefined();
    expect(Number(/max_size (\d+)MB/.exec(caddyfile)![1])).toBeGreaterThanOrEqual(5);
  });
  it("its healthcheck endpoint is bound to loopback inside the container and not published", () => {
    const health = blocks.find((b) => b.head === "http://127.0.0.1:8081")!;
    expect(health.body).toEqual(["bind 127.0.0.1", 'respond /healthz "ok" 200']);
    expect((proxy["ports"] as string[]).some((p) => p.includes("8081"))).toBe(false);
  });
  it("has the static address the service trusts, and no admin API", () => {
    expect(proxy["networks"]).toEqual({ "prod-edge": { ipv4_address: "172.31.250.10" } });
    expect(blocks.find((b) => b.head === "")!.body).toContain("admin off");
  });
});
