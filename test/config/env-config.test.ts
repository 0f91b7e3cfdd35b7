import { ConfigError, isFhirServerAllowed, loadEnvConfig } from "../../src/config/env-config";

describe("environment configuration", () => {
  it("starts with embedded defaults and nothing set", () => {
    const c = loadEnvConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBe("sqlite:./data/feedback.sqlite");
    expect(c.suppressDays).toBe(30);
    expect(c.trustedIssuers).toEqual({});
    expect(c.fhirAllowlist).toBe("any"); // development default
  });

  it("allows no fhirServer by default in production", () => {
    expect(loadEnvConfig({ NODE_ENV: "production", CDS_ALLOW_NO_AUTH: "true" }).fhirAllowlist).toEqual([]);
  });

  it("normalizes the allow-list to origins and checks origins exactly", () => {
    const c = loadEnvConfig({ CDS_FHIR_ALLOWLIST: "https://ehr.example.org/fhir, http://localhost:8080" });
    expect(c.fhirAllowlist).toEqual(["https://ehr.example.org", "http://localhost:8080"]);
    expect(isFhirServerAllowed(c, "https://ehr.example.org/fhir/R4")).toBe(true);
    expect(isFhirServerAllowed(c, "https://ehr.example.org.evil.com/fhir")).toBe(false);
    expect(isFhirServerAllowed(c, "http://ehr.example.org/fhir")).toBe(false);
    expect(isFhirServerAllowed(c, "not a url")).toBe(false);
  });

  it("reads trusted issuers as issuer → JWKS URL(s)", () => {
    const c = loadEnvConfig({
      CDS_TRUSTED_ISSUERS:
        '{"https://ehr.example.org":"https://ehr.example.org/jwks.json","https://b.example":["https://b.example/1","https://b.example/2"]}',
    });
    expect(c.trustedIssuers).toEqual({
      "https://ehr.example.org": ["https://ehr.example.org/jwks.json"],
      "https://b.example": ["https://b.example/1", "https://b.example/2"],
    });
  });

  it("stops with one clear message per bad variable", () => {
    let error: unknown;
    try {
      loadEnvConfig({
        PORT: "http",
        CDS_SUPPRESS_DAYS: "-1",
        CDS_DATABASE_URL: "mysql://x",
        CDS_FHIR_ALLOWLIST: "ftp://x",
        CDS_TRUSTED_ISSUERS: "{not json",
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((p) => p.split(":")[0])).toEqual([
      "PORT",
      "CDS_SUPPRESS_DAYS",
      "CDS_DATABASE_URL",
      "CDS_TRUSTED_ISSUERS",
      "CDS_FHIR_ALLOWLIST",
    ]);
  });
});
