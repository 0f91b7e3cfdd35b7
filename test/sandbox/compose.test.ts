/**
 * docker-compose.yml, Dockerfile and .dockerignore are "correct by construction": there is no Docker
 * engine here, so the compose file is validated against the Compose Specification JSON schema and
 * the wiring (images, pins, ports, healthchecks, start order, non-root multi-stage build) is asserted.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { composeValidator } from "./compose-schema";

const root = join(__dirname, "..", "..");
const read = (file: string) => readFileSync(join(root, file), "utf8");
type Service = Record<string, any>;
const compose = parse(read("docker-compose.yml")) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
const { fhir, cds, seed } = compose.services as Record<"fhir" | "cds" | "seed", Service>;

/** Dockerfile stages: name → instructions (continuation lines joined). */
function dockerStages(text: string): { name: string; from: string; lines: string[] }[] {
  const lines = text
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const stages: { name: string; from: string; lines: string[] }[] = [];
  for (const line of lines) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.push({ from: from[1] ?? "", name: from[2] ?? String(stages.length), lines: [] });
    else stages.at(-1)?.lines.push(line);
  }
  return stages;
}
const stages = dockerStages(read("Dockerfile"));
const envOf = (svc: Service): Record<string, string> => svc["environment"] as Record<string, string>;

describe("docker-compose.yml against the Compose Specification schema", () => {
  const validate = composeValidator();
  it("is valid", () => {
    expect(validate(compose) ? [] : validate.errors).toEqual([]);
  });
  it("would reject a broken file (the schema really checks)", () => {
    const broken = structuredClone(compose);
    broken.services["cds"]!["depends_on"].fhir.condition = "service_ready";
    broken.services["fhir"]!["healthcheck"].interval = "ten seconds";
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toEqual(
      expect.arrayContaining(["/services/cds/depends_on/fhir/condition", "/services/fhir/healthcheck/interval"]),
    );
  });
});

describe("services", () => {
  it("has exactly fhir, seed and cds outside profiles (the production profile is test/deploy's)", () => {
    const demo = Object.keys(compose.services).filter((name) => compose.services[name]!["profiles"] === undefined);
    expect(demo.sort()).toEqual(["cds", "fhir", "seed"]);
  });
  it("fhir: HAPI FHIR pinned to a release tag, R4, CORS open, port 8080, a healthcheck", () => {
    expect(fhir["image"]).toMatch(/^hapiproject\/hapi:v\d+\.\d+\.\d+(-\d+)?$/);
    expect(envOf(fhir)["hapi.fhir.fhir_version"]).toBe("R4");
    expect(envOf(fhir)["hapi.fhir.cors.allowed_origin"]).toBe("*");
    expect(fhir["ports"]).toEqual(["127.0.0.1:8080:8080"]); // published on the host's loopback only
    expect(fhir["healthcheck"].test).toEqual(["CMD", "java", "-cp", "/app", "HealthCheck"]);
  });
  it("seed: one-shot loader built from the build stage, waits for a healthy fhir, runs npm run seed", () => {
    expect(seed["build"]).toMatchObject({ context: ".", dockerfile: "Dockerfile", target: "build" });
    expect(seed["command"]).toEqual(["npm", "run", "seed", "--", "--fhir", "http://fhir:8080/fhir"]);
    expect(seed["depends_on"]).toEqual({ fhir: { condition: "service_healthy" } });
    expect(seed["restart"]).toBe("no");
    expect(seed["user"]).toBe("node");
  });
  it("cds: sandbox stage, port 3000 on HOST 0.0.0.0, /healthz healthcheck, allow-list and sandbox FHIR URLs, starts after fhir is healthy and seed is done", () => {
    // The sandbox needs sandbox-only devDependencies (@medplum/*) that the runtime image leaves out.
    expect(cds["build"]).toMatchObject({ context: ".", dockerfile: "Dockerfile", target: "sandbox" });
    expect(cds["ports"]).toEqual(["127.0.0.1:3000:3000"]);
    expect(JSON.stringify(cds["healthcheck"].test)).toContain("/healthz");
    expect(envOf(cds)).toMatchObject({
      CDS_FHIR_ALLOWLIST: "http://fhir:8080",
      SANDBOX_FHIR_URL: "http://fhir:8080/fhir",
      SANDBOX_FHIR_PUBLIC_URL: "http://localhost:8080/fhir",
      PORT: "3000",
    });
    // The sandbox binds 127.0.0.1 by default; inside the container it must listen on every interface.
    expect(envOf(cds)["HOST"]).toBe("0.0.0.0");
    expect(cds["depends_on"]).toEqual({ fhir: { condition: "service_healthy" }, seed: { condition: "service_completed_successfully" } });
    expect(cds["command"]).toEqual(["node", "sandbox/dist/main.cjs"]);
  });
  it("builds only targets the Dockerfile defines", () => {
    const names = stages.map((s) => s.name);
    for (const svc of [cds, seed]) expect(names).toContain(svc["build"].target);
  });
});

describe("Dockerfile", () => {
  const runtime = stages.at(-1)!;
  const build = stages.find((s) => s.name === "build")!;
  it("is multi-stage on node:20-bookworm-slim", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) expect(s.from).toBe("node:20-bookworm-slim");
  });
  it("build stage: npm ci (with dev dependencies) then npm run build", () => {
    expect(build.lines).toEqual(
      expect.arrayContaining([expect.stringMatching(/^RUN npm ci$/), expect.stringMatching(/^RUN npm run build\b/)]),
    );
  });
  it("runtime stage (the last one): production dependencies only, non-root, port 3000, healthcheck, copies the build output", () => {
    expect(runtime.name).toBe("runtime");
    expect(runtime.lines.some((l) => /^RUN npm ci --omit=dev\b/.test(l))).toBe(true);
    expect(runtime.lines.some((l) => /^RUN npm ci(?!.*--omit=dev)/.test(l))).toBe(false);
    const users = runtime.lines.filter((l) => l.startsWith("USER "));
    expect(users.at(-1)).toBe("USER node");
    expect(runtime.lines).toContain("EXPOSE 3000");
    expect(runtime.lines.find((l) => l.startsWith("HEALTHCHECK"))).toContain("/healthz");
    expect(runtime.lines).toContain("COPY --from=build /app/dist ./dist");
  });
});

describe(".dockerignore", () => {
  it("keeps host dependencies, build outputs, git data and secrets out of the build context", () => {
    const entries = read(".dockerignore")
      .split("\n")
      .map((l) => l.trim());
    for (const e of ["node_modules", "dist", ".git", ".env", "sandbox/dist"]) expect(entries).toContain(e);
  });
});
