/**
 * Dockerfile, read as text: the production image (`runtime`, the last stage and so the default target) holds
 * production dependencies and the compiled service only — no sources, no sandbox, no dev packages — runs as
 * `node` and starts `node dist/server.js` directly; the demo sandbox has its own target. Plus .dockerignore.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { PRODUCTION_PROCESS_ENV } from "../../bench/lib/production-env";
import { dockerignore, dockerStages, execForm, ignored, read, root } from "./docker-files";

const stages = dockerStages(read("Dockerfile"));
const stage = (name: string) => {
  const s = stages.find((x) => x.name === name);
  if (!s) throw new Error(`no stage ${name}`);
  return s;
};
const runtime = stage("runtime");
const copies = (lines: string[]) =>
  lines
    .filter((l) => l.startsWith("COPY "))
    .map((l) => {
      const words = l.split(/\s+/).slice(1);
      const from = words.find((w) => w.startsWith("--from="))?.slice("--from=".length);
      const paths = words.filter((w) => !w.startsWith("--"));
      return { from, sources: paths.slice(0, -1), dest: paths.at(-1)! };
    });

function srcFiles(dir = join(root, "src")): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? srcFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}
const globMatch = (pattern: string, path: string) =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}$`).test(path);

describe("Dockerfile stages", () => {
  it("build → sandbox → runtime, all on node:20-bookworm-slim; runtime is last (the default target)", () => {
    expect(stages.map((s) => s.name)).toEqual(["build", "sandbox", "runtime"]);
    for (const s of stages) expect(s.from).toBe("node:20-bookworm-slim");
  });
  it("build: every dependency (npm ci), then npm run build (service, SMART app, sandbox bundles)", () => {
    expect(stage("build").lines).toEqual(expect.arrayContaining(["RUN npm ci", "RUN npm run build"]));
    expect(JSON.parse(read("package.json")).scripts.build).toMatch(/tsc -p tsconfig\.build\.json.*launch\/build\.mjs.*sandbox\/build\.mjs/);
  });
});

describe("npm ci in the image", () => {
  it("every stage that runs npm ci has the project's .npmrc (legacy-peer-deps: how package-lock.json was made) next to the package files", () => {
    expect(read(".npmrc")).toMatch(/^legacy-peer-deps=true$/m);
    expect(read(".npmrc")).not.toMatch(/_auth|token/i);
    for (const s of stages.filter((x) => x.lines.some((l) => /^RUN npm ci\b/.test(l)))) {
      const ci = s.lines.findIndex((l) => /^RUN npm ci\b/.test(l));
      const packageCopy = s.lines.findIndex((l) => l.startsWith("COPY ") && l.includes("package-lock.json"));
      expect([s.name, packageCopy >= 0 && packageCopy < ci]).toEqual([s.name, true]);
      expect([s.name, s.lines[packageCopy]]).toEqual([s.name, "COPY package.json package-lock.json .npmrc ./"]);
    }
  });
});

describe("runtime stage (the production image)", () => {
  it("installs production dependencies only: npm ci --omit=dev, no other install", () => {
    const npm = runtime.lines.filter((l) => /\bnpm\b/.test(l));
    expect(npm).toHaveLength(1);
    expect(npm[0]).toMatch(/^RUN npm ci --omit=dev\b/);
    expect(runtime.lines.some((l) => /npm (install|i)\b/.test(l))).toBe(false);
    expect(runtime.lines.some((l) => /^ENV\b.*\bNODE_ENV=production\b/.test(l))).toBe(true);
  });

  it("sets the process environment the benchmarks measure the service with (MALLOC_ARENA_MAX)", () => {
    const env = runtime.lines.filter((l) => /^ENV\b/.test(l)).join(" ");
    for (const [name, value] of Object.entries(PRODUCTION_PROCESS_ENV)) expect(env).toMatch(new RegExp(`\\b${name}=${value}(\\s|$)`));
  });

  it("copies no sources, no sandbox and no build-stage node_modules: only package files, card wording, SMART pages and build outputs", () => {
    const c = copies(runtime.lines);
    expect(c.filter((x) => x.sources.includes("."))).toEqual([]);
    const fromContext = c.filter((x) => !x.from).flatMap((x) => x.sources);
    expect(fromContext.sort()).toEqual([
      ".npmrc",
      "cards/*.json",
      "launch/app.css",
      "launch/favicon.ico",
      "launch/index.html",
      "launch/launch.html",
      "launch/patterns/*.html",
      "package-lock.json",
      "package.json",
    ]);
    const fromBuild = c.filter((x) => x.from === "build").flatMap((x) => x.sources);
    expect(fromBuild.sort()).toEqual(["/app/dist", "/app/launch/dist"]);
    for (const source of [...fromContext, ...fromBuild]) expect(source).not.toMatch(/sandbox|src\/|node_modules|test|bench/);
  });
  it("copies every file outside src/ that the compiled service imports (e.g. cards/*.json) and the SMART app's pages", () => {
    const outside = new Set<string>();
    for (const file of srcFiles()) {
      for (const m of readFileSync(file, "utf8").matchAll(/\bfrom\s+"(\.{1,2}\/[^"]+)"/g)) {
        const target = relative(root, resolve(dirname(file), m[1]!));
        if (!target.startsWith("src/")) outside.add(target);
      }
    }
    expect([...outside]).toEqual(
      expect.arrayContaining(["cards/common.json", "cards/repletion-cramp.json", "cards/vitamin-d-toxicity.json"]),
    );
    const sources = copies(runtime.lines).flatMap((x) => x.sources);
    for (const target of outside) expect([target, sources.some((s) => globMatch(s, target))]).toEqual([target, true]);
    // src/smart serves launch/{launch.html,index.html,app.css} and launch/dist (its DEFAULT_APP_DIR is ../../launch).
    expect(readFileSync(join(root, "src", "smart", "smart-app-router.ts"), "utf8")).toContain('resolve(__dirname, "..", "..", "launch")');
    for (const page of ["launch/launch.html", "launch/index.html", "launch/app.css", "launch/favicon.ico"]) {
      expect(statSync(join(root, page)).isFile()).toBe(true);
      expect(sources).toContain(page);
    }
  });
  it("runs as node, exposes 3000, health-checks /healthz and starts node dist/server.js directly (not npm start)", () => {
    expect(runtime.lines.filter((l) => l.startsWith("USER ")).at(-1)).toBe("USER node");
    expect(runtime.lines.findIndex((l) => l === "USER node")).toBeGreaterThan(runtime.lines.findIndex((l) => /^RUN npm ci/.test(l)));
    expect(runtime.lines).toContain("EXPOSE 3000");
    expect(runtime.lines.find((l) => l.startsWith("HEALTHCHECK"))).toContain("/healthz");
    const cmds = runtime.lines.filter((l) => l.startsWith("CMD "));
    expect(cmds).toHaveLength(1);
    expect(execForm(cmds[0])).toEqual(["node", "dist/server.js"]);
    expect(runtime.lines.some((l) => l.startsWith("ENTRYPOINT"))).toBe(false);
  });
});

describe("sandbox stage (the demo image, docker-compose.yml service cds)", () => {
  it("keeps the build stage's whole tree: the sandbox bundle leaves its packages external and needs sandbox-only devDependencies", () => {
    expect(read("sandbox/build.mjs")).toMatch(/packages:\s*"external"/);
    const sandbox = stage("sandbox");
    expect(copies(sandbox.lines)).toEqual([{ from: "build", sources: ["/app"], dest: "./" }]);
    expect(sandbox.lines.filter((l) => l.startsWith("USER ")).at(-1)).toBe("USER node");
    expect(execForm(sandbox.lines.find((l) => l.startsWith("CMD ")))).toEqual(["node", "sandbox/dist/main.cjs"]);
  });
});

describe(".dockerignore", () => {
  const patterns = dockerignore();
  it("keeps host dependencies, build outputs, git data, secrets and deployment files out of the build context", () => {
    for (const path of [
      "node_modules/express/index.js",
      "dist/server.js",
      "launch/dist/app.js",
      "sandbox/dist/main.cjs",
      ".git/config",
      ".env",
      ".env.production",
      "data/feedback.sqlite",
      "deploy/kubernetes/secret.yaml",
      "tls.key",
      "certs/tls.key",
      "sandbox/certs/ca.pem",
    ]) {
      expect([path, ignored(path, patterns)]).toEqual([path, true]);
    }
  });
  it("keeps every build input", () => {
    for (const path of [
      "package.json",
      "package-lock.json",
      ".npmrc",
      "tsconfig.json",
      "tsconfig.build.json",
      "src/server.ts",
      "cards/common.json",
      "launch/build.mjs",
      "launch/index.html",
      "launch/src/app-main.ts",
      "sandbox/build.mjs",
      "sandbox/main.ts",
      "sandbox/patients",
      "scripts/build-if-stale.mjs",
    ]) {
      expect([path, ignored(path, patterns)]).toEqual([path, false]);
    }
  });
});
