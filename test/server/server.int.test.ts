import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { spawnServerProcess } from "../helpers/server-process";

const ROOT = path.resolve(__dirname, "../..");

describe("the server process (src/server.ts)", () => {
  it("serves discovery on PORT and exits cleanly on SIGTERM", async () => {
    const server = await spawnServerProcess({ CDS_DATABASE_URL: `sqlite:${path.join(tmpdir(), `vitd-srv-${process.pid}.sqlite`)}` });
    const res = await fetch(`${server.baseUrl}/cds-services`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { services: unknown[] };
    expect(body.services).toHaveLength(3);
    const smart = await fetch(`${server.baseUrl}/smart/config.json`);
    expect(smart.status).toBe(200);
    expect(((await smart.json()) as { clientId: string }).clientId).toBe("vitd-cds");
    server.child.kill("SIGTERM");
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.output()).toContain('"shutting down"');
  });

  it("refuses to start on invalid configuration, one message per bad variable", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "src/server.ts")], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", PORT: "not-a-port", FHIR_TIMEOUT_MS: "-5" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(1);
    expect(err).toMatch(/PORT:/);
    expect(err).toMatch(/FHIR_TIMEOUT_MS:/);
  });
});
