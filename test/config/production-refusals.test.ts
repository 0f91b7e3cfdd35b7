/**
 * Unsafe production configurations are refused at start-up (one line naming the variable), and in
 * production a Host header never chooses the JWT audience or the cards' SMART link.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import request from "supertest";
import { loadEnvConfig, publicBaseUrlFor } from "../../src/config/env-config";
import { toxicity10000Daily } from "../fixtures/hooks";
import { fullPrefetch, patientViewBody } from "../../devkit/hook-requests";
import { buildTestApp } from "../helpers/test-app";

const ROOT = path.resolve(__dirname, "../..");
const ISSUERS = JSON.stringify({ "https://ehr.example.org/": "https://ehr.example.org/jwks.json" });

describe("loadEnvConfig in production", () => {
  it("refuses no trusted issuers, naming CDS_TRUSTED_ISSUERS and the way to opt out", () => {
    expect(() => loadEnvConfig({ NODE_ENV: "production" })).toThrow(/CDS_TRUSTED_ISSUERS: is empty.*CDS_ALLOW_NO_AUTH=true/);
  });

  it("accepts no trusted issuers when CDS_ALLOW_NO_AUTH=true says so on purpose", () => {
    expect(loadEnvConfig({ NODE_ENV: "production", CDS_ALLOW_NO_AUTH: "true" }).trustedIssuers).toEqual({});
  });

  it("refuses auth without CDS_PUBLIC_URL", () => {
    expect(() => loadEnvConfig({ NODE_ENV: "production", CDS_TRUSTED_ISSUERS: ISSUERS })).toThrow(
      /CDS_PUBLIC_URL: is required in production/,
    );
  });

  it("accepts auth with CDS_PUBLIC_URL", () => {
    const c = loadEnvConfig({ NODE_ENV: "production", CDS_TRUSTED_ISSUERS: ISSUERS, CDS_PUBLIC_URL: "https://cds.example.org/" });
    expect(c.publicUrl).toBe("https://cds.example.org");
  });

  it("CDS_ALLOW_NO_AUTH must be true or false", () => {
    expect(() => loadEnvConfig({ NODE_ENV: "production", CDS_ALLOW_NO_AUTH: "yes" })).toThrow(
      /CDS_ALLOW_NO_AUTH: must be "true" or "false"/,
    );
  });

  it("development still starts open (with the loud warning at start-up)", () => {
    expect(loadEnvConfig({ NODE_ENV: "development" }).trustedIssuers).toEqual({});
  });
});

describe("public base URL", () => {
  const req = { protocol: "http", host: "attacker.example" };
  it("production without CDS_PUBLIC_URL: none (never the Host header)", () => {
    expect(publicBaseUrlFor({ nodeEnv: "production" }, req)).toBeUndefined();
  });
  it("CDS_PUBLIC_URL wins over the Host header everywhere", () => {
    expect(publicBaseUrlFor({ nodeEnv: "development", publicUrl: "https://cds.example.org" }, req)).toBe("https://cds.example.org");
  });
  it("development without CDS_PUBLIC_URL: derived from the request", () => {
    expect(publicBaseUrlFor({ nodeEnv: "development" }, req)).toBe("http://attacker.example");
  });
});

describe("the server process refuses unsafe production configs", () => {
  it.each([
    ["no auth", {}, /CDS_TRUSTED_ISSUERS/],
    ["auth without CDS_PUBLIC_URL", { CDS_TRUSTED_ISSUERS: ISSUERS }, /CDS_PUBLIC_URL/],
  ])("%s → exit 1 with one line naming the variable", async (_name, extra, pattern) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "src/server.ts")], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", PORT: "0", CDS_DATABASE_URL: "sqlite::memory:", ...extra },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(1);
    expect(err.split("\n").filter((l) => pattern.test(l))).toHaveLength(1);
  });
});

describe("cards' SMART link in production without CDS_PUBLIC_URL", () => {
  it("is left out rather than built from the Host header", async () => {
    const body = patientViewBody({
      fhirServer: null,
      patientId: "pat-2",
      prefetch: fullPrefetch(toxicity10000Daily.patient, toxicity10000Daily.resources),
    });
    const prod = await request(buildTestApp({ config: { nodeEnv: "production" } }))
      .post("/cds-services/vitd-patient-view")
      .set("Host", "attacker.example")
      .send(body);
    expect(prod.status).toBe(200);
    expect(prod.body.cards.length).toBeGreaterThan(0);
    expect(JSON.stringify(prod.body)).not.toContain("attacker.example");
    const dev = await request(buildTestApp()).post("/cds-services/vitd-patient-view").set("Host", "cds.internal").send(body);
    expect(dev.body.cards[0].links[0].url).toBe("http://cds.internal/smart/launch.html");
  });
});
