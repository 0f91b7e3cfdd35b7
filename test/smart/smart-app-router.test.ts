/** Serving the SMART app: pages, bundles, config.json with the site's thresholds, and a clear 503 when not built. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import request from "supertest";
import { mergeClinicalConfig } from "../../src/config/clinical-config";
import { smartAppRouter } from "../../src/smart";
import { buildTestApp } from "../helpers/test-app";

const site = mergeClinicalConfig({ vitaminD: { highAboveNgMl: 80 } });
let built: string;

beforeAll(() => {
  built = mkdtempSync(join(tmpdir(), "vitd-smart-dist-"));
  writeFileSync(join(built, "launch.js"), "/* launch */");
  writeFileSync(join(built, "app.js"), "/* app */");
});
afterAll(() => rmSync(built, { recursive: true, force: true }));

const appWith = (distDir: string) =>
  buildTestApp({ extraRouters: [smartAppRouter({ clinicalConfig: site, smartClientId: "site-client", distDir })] });

describe("smartAppRouter", () => {
  it("serves config.json with the client id, PKCE required and the effective clinical config", async () => {
    const res = await request(appWith(built)).get("/smart/config.json");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ clientId: "site-client", pkceMode: "required", serviceLabel: "vitd-cds" });
    expect(res.body.clinicalConfig.vitaminD).toEqual({
      deficientBelowNgMl: 20,
      severeDeficientBelowNgMl: 12,
      highAboveNgMl: 80,
      toxicAboveNgMl: 150,
    });
  });

  it.each(["/smart/launch.html", "/smart/index.html"])("serves %s with a strict CSP and no referrer", async (path) => {
    const res = await request(appWith(built)).get(path);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/text\/html/);
    expect(res.headers["content-security-policy"]).toMatch(/script-src 'self'/);
    expect(res.headers["referrer-policy"]).toBe("no-referrer");
    expect(res.text).toMatch(/<script src="dist\/(launch|app)\.js" defer><\/script>/);
  });

  it("serves the bundles and the stylesheet", async () => {
    const app = appWith(built);
    expect((await request(app).get("/smart/dist/app.js")).text).toBe("/* app */");
    expect((await request(app).get("/smart/app.css")).headers["content-type"]).toMatch(/text\/css/);
    expect((await request(app).get("/smart/dist/nothing.js")).status).toBe(404);
  });

  it("answers 503 with a message naming `npm run build` when the bundle is missing", async () => {
    const res = await request(appWith(join(built, "missing"))).get("/smart/launch.html");
    expect(res.status).toBe(503);
    expect(res.text).toMatch(/role="alert"/);
    expect(res.text).toMatch(/npm run build/);
  });

  it("redirects /smart to the launch page, keeping the launch parameters", async () => {
    const res = await request(appWith(built)).get("/smart?iss=https%3A%2F%2Fehr%2Ffhir&launch=x");
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe("/smart/launch.html?iss=https%3A%2F%2Fehr%2Ffhir&launch=x");
  });
});
