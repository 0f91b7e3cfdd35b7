/**
 * What the `cds` and `seed` services of docker-compose.yml run, minus Docker: the esbuild bundles
 * sandbox/dist/seed.cjs and sandbox/dist/main.cjs as real node processes. seed.cjs loads the demo
 * patients into a FHIR server on 127.0.0.1 (standing in for HAPI); main.cjs runs in production mode
 * with SANDBOX_FHIR_URL + CDS_FHIR_ALLOWLIST, as in the compose file, and answers hooks from it.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import express from "express";
import { createFhirServer } from "../../sandbox/fhir-server";
import { listPatientIds, readDemoPatients } from "../../sandbox/load-patients";
import { hookRequest, indicatorsByTopic } from "./hook-client";

const ROOT = resolve(__dirname, "..", "..");
const OUT = join(ROOT, "test-artifacts", "sandbox-build", "dist");
const run = promisify(execFile);
let fhirServer: Server;
let fhirBase: string;
let child: ChildProcess | undefined;
let serviceUrl: string;

async function freePort(): Promise<number> {
  const s = express().listen(0, "127.0.0.1");
  await new Promise((ok) => s.once("listening", ok));
  const { port } = s.address() as AddressInfo;
  await new Promise((ok) => s.close(ok));
  return port;
}

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  await run(process.execPath, [join(ROOT, "sandbox", "build.mjs"), "--outdir", OUT], { cwd: ROOT });
  const fhir = createFhirServer({ writeToken: "seed-token" }); // read-only over HTTP without it
  fhirServer = express().use("/fhir", fhir.router).listen(0, "127.0.0.1");
  await new Promise((ok) => fhirServer.once("listening", ok));
  fhirBase = `http://127.0.0.1:${(fhirServer.address() as AddressInfo).port}/fhir`;
  const env = { ...process.env, SANDBOX_DATA_DIR: join(ROOT, "sandbox") };

  const seeded = await run(process.execPath, [join(OUT, "seed.cjs"), "--fhir", fhirBase, "--token", "seed-token", "--attempts", "1"], {
    env,
  });
  expect(seeded.stdout).toContain(`${listPatientIds().length} demo patients loaded`);

  const port = await freePort();
  child = spawn(process.execPath, [join(OUT, "main.cjs")], {
    env: {
      ...env,
      NODE_ENV: "production",
      CDS_ALLOW_NO_AUTH: "true",
      HOST: "127.0.0.1",
      PORT: String(port),
      LOG_LEVEL: "silent",
      SANDBOX_DATABASE_URL: "sqlite::memory:",
      CDS_FHIR_ALLOWLIST: new URL(fhirBase).origin,
      SANDBOX_FHIR_URL: fhirBase,
      SANDBOX_FHIR_PUBLIC_URL: "http://localhost:8080/fhir",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((ok, fail) => {
    child!.stdout!.on("data", (d: Buffer) => {
      output += d.toString();
      if (output.includes("vitd-cds sandbox on")) ok();
    });
    child!.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    child!.once("exit", (code) => fail(new Error(`main.cjs exited with ${String(code)}: ${output}`)));
  });
  serviceUrl = `http://127.0.0.1:${port}`;
}, 60_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((ok) => child!.once("exit", ok));
    child.kill("SIGTERM");
    await exited;
  }
  await new Promise((ok) => fhirServer.close(ok));
});

it("is healthy and points the simulator at the external FHIR server (no in-process /fhir, no reset)", async () => {
  expect((await fetch(`${serviceUrl}/healthz`)).status).toBe(200);
  expect(await (await fetch(`${serviceUrl}/sandbox/config.json`)).json()).toMatchObject({
    hookFhirServer: fhirBase,
    browserFhirServer: "http://localhost:8080/fhir",
    canReset: false,
  });
  expect((await fetch(`${serviceUrl}/fhir/metadata`)).status).toBe(404);
  expect((await fetch(`${serviceUrl}/sandbox/reset`, { method: "POST" })).status).toBe(409);
});

it("answers a hook for a seeded demo patient from the external server (allow-listed in production mode)", async () => {
  const patient = readDemoPatients().find((p) => p.covers.includes("vitamin-d-toxicity:ca-high-with-toxic-intake-critical"))!;
  const res = await fetch(`${serviceUrl}/cds-services/vitd-patient-view`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(hookRequest(patient, undefined, fhirBase)),
  });
  expect(res.status).toBe(200);
  expect(indicatorsByTopic(((await res.json()) as { cards: never[] }).cards)).toEqual(patient.expected);
});

it("refuses a fhirServer that is not on the allow-list", async () => {
  const patient = readDemoPatients()[0]!;
  const res = await fetch(`${serviceUrl}/cds-services/vitd-patient-view`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(hookRequest(patient, undefined, "http://127.0.0.2:1/fhir")),
  });
  expect(res.status).toBe(412);
});
