/**
 * `npm run sandbox` (startSandbox) is safe by default: it listens on 127.0.0.1 unless HOST says
 * otherwise, and its in-process /fhir only accepts writes (and POST /sandbox/reset) with the
 * per-process random write token, which only a same-origin page can read from /sandbox/write-token.
 */
import type { AddressInfo } from "node:net";
import request from "supertest";
import { startSandbox, type RunningSandbox, type StartSandboxOptions } from "../../sandbox/main";

const ENV = { NODE_ENV: "test", CDS_DATABASE_URL: "sqlite::memory:", LOG_LEVEL: "silent" };
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

const draft = { resourceType: "ServiceRequest", status: "draft", intent: "order", subject: { reference: "Patient/vitd-demo-01" }, code: { text: "Mg" } };

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
    await agent.post("/fhir/ServiceRequest").set("Authorization", `Bearer ${token}`).set("content-type", "application/fhir+json").send(draft).expect(201);

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
    const res = await request(sandbox.url).post("/sandbox/reset").set("Authorization", `Bearer ${sandbox.writeToken ?? ""}`).expect(200);
    expect(res.body.reloaded).toBeGreaterThan(0);
  });
});
