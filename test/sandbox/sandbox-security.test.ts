/**
 * `npm run sandbox` (startSandbox) is safe by default: it listens on 127.0.0.1 unless HOST says
 * otherwise, and its in-process /fhir only accepts writes (and POST /sandbox/reset) with the
 * per-process random write token, which only a same-origin page can read from /sandbox/write-token.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import request from "supertest";
import { startSandbox, type RunningSandbox, type StartSandboxOptions } from "../../sandbox/main";

const ENV = { NODE_ENV: "test", SANDBOX_DATABASE_URL: "sqlite::memory:", LOG_LEVEL: "silent" };
const NOW = new Date("2031-06-01T12:00:00Z");
const started: RunningSandbox[] = [];

async function start(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const sandbox = await startSandbox({ env: ENV, port: 0, clock: () => NOW, ...options });
  started.push(sandbox);
  return sandbox;
}
afterEach(async () => {
  for (const s of started.splice(0)) await s.close();
});

const draft = {
  resourceType: "ServiceRequest",
  status: "draft",
  intent: "order",
  subject: { reference: "Patient/vitd-demo-01" },
  code: { text: "Mg" },
};

describe("sandbox binding", () => {
  it("listens on 127.0.0.1 by default", async () => {
    const sandbox = await start();
    expect((sandbox.server.address() as AddressInfo).address).toBe("127.0.0.1");
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("listens where the HOST variable says (docker compose sets 0.0.0.0)", async () => {
    const sandbox = await start({ env: { ...ENV, HOST: "127.0.0.2" } });
    expect((sandbox.server.address() as AddressInfo).address).toBe("127.0.0.2");
  });
});

describe("in-process /fhir writes need the per-process write token", () => {
  it("refuses anonymous writes, serves the token same-origin only, and writes with it", async () => {
    const sandbox = await start();
    const agent = request(sandbox.url);
    await agent.post("/fhir/ServiceRequest").set("content-type", "application/fhir+json").send(draft).expect(401);
    await agent.put("/fhir/Patient/vitd-demo-01").send({ resourceType: "Patient", id: "vitd-demo-01" }).expect(401);
    await agent.get("/fhir/Patient/vitd-demo-01").expect(200);

    const res = await agent.get("/sandbox/write-token").expect(200);
    expect(res.headers["access-control-allow-origin"]).toBeUndefined();
    expect(res.headers["cache-control"]).toBe("no-store");
    const token = res.body.token as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(token).toBe(sandbox.writeToken);
    await agent
      .post("/fhir/ServiceRequest")
      .set("Authorization", `Bearer ${token}`)
      .set("content-type", "application/fhir+json")
      .send(draft)
      .expect(201);

    const other = await start();
    expect(other.writeToken).not.toBe(token);
    await request(other.url).post("/fhir/ServiceRequest").set("Authorization", `Bearer ${token}`).send(draft).expect(401);
  });

  it("does not hand the token to a DNS-rebinding page (Host is not localhost or an IP literal)", async () => {
    const sandbox = await start();
    for (const host of ["evil.test", "localhost.evil.test", "127.0.0.1.evil.test:3000"]) {
      await request(sandbox.url).get("/sandbox/write-token").set("Host", host).expect(403);
    }
    for (const host of ["localhost:3000", "127.0.0.1", "[::1]:3000"]) {
      await request(sandbox.url).get("/sandbox/write-token").set("Host", host).expect(200);
    }
  });

  it("POST /sandbox/reset needs the token too", async () => {
    const sandbox = await start();
    await request(sandbox.url).post("/sandbox/reset").expect(401);
    const res = await request(sandbox.url)
      .post("/sandbox/reset")
      .set("Authorization", `Bearer ${sandbox.writeToken ?? ""}`)
      .expect(200);
    expect(res.body.reloaded).toBeGreaterThan(0);
  });
});

describe("its own feedback database, and the SMART authorization server", () => {
  it("never opens the service's CDS_DATABASE_URL, and reset empties its feedback with the FHIR data", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vitd-sandbox-db-"));
    try {
      const serviceDb = join(dir, "service.sqlite");
      const sandboxDb = join(dir, "sandbox.sqlite");
      const sandbox = await start({
        env: { ...ENV, CDS_DATABASE_URL: `sqlite:${serviceDb}`, SANDBOX_DATABASE_URL: `sqlite:${sandboxDb}` },
      });
      expect([existsSync(serviceDb), existsSync(sandboxDb)]).toEqual([false, true]);
      const hook = await request(sandbox.server)
        .post("/cds-services/vitd-patient-view")
        .send({
          hook: "patient-view",
          hookInstance: "d3f5c7e2-8a41-4c1b-9f3e-2b6a7c8d9e01",
          fhirServer: `${sandbox.url}/fhir`,
          context: { userId: "Practitioner/x", patientId: "vitd-demo-01" },
        })
        .expect(200);
      const card = (hook.body as { cards: { uuid: string }[] }).cards[0]!;
      await request(sandbox.server)
        .post("/cds-services/vitd-patient-view/feedback")
        .send({ feedback: [{ card: card.uuid, outcome: "overridden", outcomeTimestamp: NOW.toISOString() }] })
        .expect(200);
      expect(await sandbox.feedbackStore.listFeedback()).toHaveLength(1);
      await request(sandbox.server)
        .post("/sandbox/reset")
        .set("authorization", `Bearer ${sandbox.writeToken ?? ""}`)
        .expect(200);
      expect(await sandbox.feedbackStore.listFeedback()).toEqual([]);
      expect(await sandbox.feedbackStore.issuedCard(card.uuid)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("mounts the SMART authorization server at /smart-auth: a launch for a demo patient redirects to the app", async () => {
    const sandbox = await start();
    const host = new URL(sandbox.url).host;
    const app = `http://${host}/smart/launch.html`;
    const res = await request(sandbox.server)
      .get(`/smart-auth/launch?app=${encodeURIComponent(app)}&patient=vitd-demo-01`)
      .set("host", host)
      .expect(302);
    const location = new URL(res.headers["location"] as string);
    expect(`${location.origin}${location.pathname}`).toBe(app);
    expect(location.searchParams.get("iss")).toBe(`http://${host}/smart-auth/fhir`);
    expect(sandbox.smartAuth.decodeLaunch(location.searchParams.get("launch") ?? "")).toEqual({ patient: "vitd-demo-01" });
    const config = await request(sandbox.server).get("/smart-auth/fhir/.well-known/smart-configuration").set("host", host).expect(200);
    expect(config.body).toMatchObject({ code_challenge_methods_supported: ["S256"] });
  });
});
