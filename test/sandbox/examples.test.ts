/**
 * The configuration examples parse with the real loaders: examples/trusted-issuers.json as CDS_TRUSTED_ISSUERS
 * (both as a path and as inline JSON), examples/thresholds.json as CDS_THRESHOLDS, and .env.example names only
 * variables the service (or the sandbox) reads, each at most once.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadClinicalConfigFile } from "../../src/config/clinical-config-file";
import { defaultClinicalConfig } from "../../src/config/clinical-config";
import { loadEnvConfig } from "../../src/config/env-config";

const ROOT = resolve(__dirname, "..", "..");
const issuersFile = join(ROOT, "examples", "trusted-issuers.json");

it("examples/trusted-issuers.json is a valid CDS_TRUSTED_ISSUERS, as a path and inline", () => {
  const byPath = loadEnvConfig({ CDS_TRUSTED_ISSUERS: issuersFile });
  expect(Object.keys(byPath.trustedIssuers)).toEqual(expect.arrayContaining(["https://cds-hooks.cerner.com"]));
  for (const urls of Object.values(byPath.trustedIssuers)) expect(urls.length).toBeGreaterThan(0);
  const inline = loadEnvConfig({ CDS_TRUSTED_ISSUERS: readFileSync(issuersFile, "utf8") });
  expect(inline.trustedIssuers).toEqual(byPath.trustedIssuers);
  expect(
    Object.values(byPath.trustedIssuers)
      .flat()
      .filter((u) => u.includes("/api/epic/") && u.includes("/PublicKeys/")).length,
  ).toBeGreaterThan(0);
});

it("examples/thresholds.json is a valid CDS_THRESHOLDS that changes only what it names", () => {
  const site = loadClinicalConfigFile(join(ROOT, "examples", "thresholds.json"));
  expect(site.magnesium.lowBelowMgDl).toBe(1.8);
  expect(site.windows.recentStartDays).toBe(120);
  expect(site.magnesium.severeBelowMgDl).toBe(defaultClinicalConfig.magnesium.severeBelowMgDl);
  expect(loadEnvConfig({ CDS_THRESHOLDS: join(ROOT, "examples", "thresholds.json") }).thresholdsPath).toContain("thresholds.json");
});

it(".env.example names only variables that are read, each once, and its values load", () => {
  const text = readFileSync(join(ROOT, ".env.example"), "utf8");
  const names = [...text.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!);
  const sources = ["src/config/env-config.ts", "sandbox/main.ts"].map((f) => readFileSync(join(ROOT, f), "utf8")).join("\n");
  for (const name of new Set(names)) expect([name, sources.includes(name)]).toEqual([name, true]);
  const active = Object.fromEntries([...text.matchAll(/^([A-Z][A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
  expect(() => loadEnvConfig(active)).not.toThrow();
});
