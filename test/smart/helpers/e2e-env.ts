/**
 * Everything the SMART app e2e tests run against, on loopback ports: the bundle (built with
 * launch/build.mjs into a temp dir), the sandbox FHIR server holding the test patients, the local
 * SMART authorization server in front of it, the service with the SMART app router, and headless
 * Debian Chromium (playwright-core; Playwright gives each launch a fresh temporary profile).
 * Every auth server started here registers the app (client vitd-cds-e2e, <service>/smart/index.html)
 * and shares one launch secret, so `auth.mintLaunch` tokens are accepted by the extra servers too.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import express from "express";
import { chromium, type Browser } from "playwright-core";
import { createFhirServer } from "../../../sandbox/fhir-server";
import { startSmartAuthServer, type AuthEvent, type RunningSmartAuthServer } from "../../../sandbox/smart-auth";
import { defaultClinicalConfig } from "../../../src/config/clinical-config";
import { smartAppRouter } from "../../../src/smart";
import { buildTestApp } from "../../helpers/test-app";
import { testPatients, type TestPatient } from "./patients";

const ROOT = resolve(__dirname, "..", "..", "..");
export const ARTIFACTS = join(ROOT, "test-artifacts", "smart");
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

interface Listening {
  url: string;
  close: () => Promise<void>;
}

async function listen(app: express.Express): Promise<Listening> {
  const server: Server = app.listen(0, "127.0.0.1");
  await new Promise<void>((ok, fail) => server.once("listening", ok).once("error", fail));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((ok) => (server.closeAllConnections(), server.close(() => ok()))),
  };
}

/** A loopback port with nothing listening (a FHIR server that is down). */
export async function deadUrl(): Promise<string> {
  const l = await listen(express());
  await l.close();
  return l.url;
}

export interface E2eEnv {
  service: string;
  fhir: string;
  auth: { url: string; fhirUrl: string; events: AuthEvent[]; mintLaunch: RunningSmartAuthServer["mintLaunch"] };
  patients: ReturnType<typeof testPatients>;
  browser: Browser;
  startAuth: typeof startSmartAuthServer;
  close: () => Promise<void>;
}

export async function startE2eEnv(): Promise<E2eEnv> {
  const distDir = mkdtempSync(join(tmpdir(), "vitd-smart-e2e-"));
  const cleanups: (() => Promise<void> | void)[] = [() => rmSync(distDir, { recursive: true, force: true })];
  try {
    mkdirSync(ARTIFACTS, { recursive: true });
    const bundling = promisify(execFile)(process.execPath, [join(ROOT, "launch", "build.mjs"), "--outdir", distDir], { cwd: ROOT });
    const browserStarting = chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
    cleanups.push(async () => (await browserStarting.catch(() => undefined))?.close());
    bundling.catch(() => undefined); // awaited below; avoid an unhandled rejection if setup fails first

    const fhirServer = createFhirServer();
    const patients = testPatients();
    for (const p of Object.values<TestPatient>(patients)) await fhirServer.loadBundle(p.bundle);
    const fhirHttp = await listen(express().use("/fhir", fhirServer.router));
    cleanups.push(fhirHttp.close);
    const fhir = `${fhirHttp.url}/fhir`;

    await bundling;
    // Real clock: the browser evaluates with its own `now`, and tests compare the app's cards with the service's.
    const app = buildTestApp({
      clock: () => new Date(),
      extraRouters: [smartAppRouter({ clinicalConfig: defaultClinicalConfig, smartClientId: "vitd-cds-e2e", distDir })],
    });
    const service = await listen(app);
    cleanups.push(service.close);

    const smartApp = {
      clients: [{ clientId: "vitd-cds-e2e", redirectUris: [`${service.url}/smart/index.html`] }],
      launchSecret: randomBytes(32),
    };
    const auth = await startSmartAuthServer({ ...smartApp, fhirBaseUrl: fhir, standalonePatient: patients.cramp.id });
    cleanups.push(auth.close);

    const browser = await browserStarting;
    return {
      service: service.url,
      fhir,
      auth,
      patients,
      browser,
      startAuth: async (options) => {
        const extra = await startSmartAuthServer({ ...smartApp, ...options });
        cleanups.push(extra.close);
        return extra;
      },
      close: async () => {
        for (const c of cleanups.reverse()) await c();
      },
    };
  } catch (e) {
    for (const c of cleanups.reverse()) await c();
    throw e;
  }
}
