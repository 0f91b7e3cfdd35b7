import request from "supertest";
import { buildTestApp } from "../helpers/test-app";

describe("CORS on /cds-services", () => {
  const app = buildTestApp();

  it.each(["/cds-services", "/cds-services/vitd-patient-view", "/cds-services/vitd-order-sign/feedback"])(
    "answers the preflight for %s with Authorization allowed",
    async (path) => {
      const res = await request(app)
        .options(path)
        .set("Origin", "https://sandbox.cds-hooks.org")
        .set("Access-Control-Request-Method", "POST")
        .set("Access-Control-Request-Headers", "authorization,content-type");
      expect(res.status).toBe(204);
      expect(res.headers["access-control-allow-origin"]).toBe("*");
      expect(res.headers["access-control-allow-methods"]).toContain("POST");
      expect(res.headers["access-control-allow-headers"]).toMatch(/Authorization/i);
    },
  );

  it("sets the CORS headers on discovery and on errors", async () => {
    const ok = await request(app).get("/cds-services");
    expect(ok.headers["access-control-allow-origin"]).toBe("*");
    const bad = await request(app).post("/cds-services/vitd-patient-view").send({});
    expect(bad.status).toBe(400);
    expect(bad.headers["access-control-allow-origin"]).toBe("*");
  });
});

describe("service basics", () => {
  const app = buildTestApp({ config: { bodyLimit: "1kb" } });

  it("GET /healthz answers JSON", async () => {
    const res = await request(app).get("/healthz").expect(200);
    expect(res.body.status).toBe("ok");
  });

  it("unknown service → 404 JSON", async () => {
    const res = await request(app).post("/cds-services/no-such-service").send({ hook: "patient-view" }).expect(404);
    expect(res.body.error).toBe("not_found");
  });

  it("body over the limit → 413", async () => {
    const res = await request(app)
      .post("/cds-services/vitd-patient-view")
      .set("content-type", "application/json")
      .send(JSON.stringify({ padding: "x".repeat(5000) }));
    expect(res.status).toBe(413);
    expect(res.body.error).toBe("payload_too_large");
  });

  it("non-JSON content type → 415", async () => {
    const res = await request(app).post("/cds-services/vitd-patient-view").set("content-type", "text/plain").send("hook=patient-view");
    expect(res.status).toBe(415);
    expect(res.body.error).toBe("unsupported_media_type");
  });
});
