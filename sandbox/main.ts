/**
 * `npm run sandbox`: on PORT (default 3000) this CDS service, the SMART app (/smart), the EHR
 * simulator (/sandbox) and — unless SANDBOX_FHIR_URL points at an external server (docker compose:
 * HAPI) — an in-process FHIR R4 server at /fhir loaded with the demo patients (dates relative to
 * start-up time). SANDBOX_FHIR_PUBLIC_URL is the external server's URL as the browser sees it.
 * Listens on HOST (default 127.0.0.1: a dev tool, not for the network; docker compose sets 0.0.0.0).
 * The in-process /fhir is read-only over HTTP except with a random per-process write token, which
 * the simulator page reads from the same-origin /sandbox/write-token (see sandbox-router.ts).
 */
import "dotenv/config";
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import type { Logger } from "pino";
import { loadClinicalConfigFile } from "../src/config/clinical-config-file";
import { loadEnvConfig } from "../src/config/env-config";
import { openFeedbackStore } from "../src/feedback/open-store";
import { createLogger } from "../src/logger";
import { createServiceApp } from "../src/service-app";
import { createFhirServer, type FhirServer } from "./fhir-server";
import { loadAllPatientBundles } from "./load-patients";
import { sandboxRouter } from "./sandbox-router";

export interface StartSandboxOptions {
  env?: NodeJS.ProcessEnv;
  /** Overrides PORT (0 = any free port). */
  port?: number;
  /** Overrides HOST (default 127.0.0.1). */
  host?: string;
  clock?: () => Date;
  logger?: Logger;
  /** Where the simulator page's script was built (default: sandbox/dist/web). */
  webDistDir?: string;
}

export interface RunningSandbox {
  server: Server;
  /** e.g. http://127.0.0.1:3000 */
  url: string;
  /** The in-process FHIR server (undefined with SANDBOX_FHIR_URL). */
  fhir?: FhirServer;
  /** The credential for writes to the in-process /fhir (`Authorization: Bearer <writeToken>`); random per process. */
  writeToken?: string;
  close(): Promise<void>;
}

export async function startSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const env = options.env ?? process.env;
  const clock = options.clock ?? (() => new Date());
  const config = loadEnvConfig(env);
  const clinicalConfig = loadClinicalConfigFile(config.thresholdsPath);
  const logger = options.logger ?? createLogger(config.logLevel);
  const feedbackStore = await openFeedbackStore(config.databaseUrl);
  const external = env["SANDBOX_FHIR_URL"]?.replace(/\/+$/, "");

  const web = options.webDistDir ? { webDistDir: options.webDistDir } : {};
  let fhir: FhirServer | undefined;
  let writeToken: string | undefined;
  /** Set once listening: the in-process FHIR base the service calls (loopback). */
  const self: { fhirBase?: string } = {};
  const routers: express.Router[] = [];
  if (!external) {
    writeToken = randomBytes(32).toString("base64url");
    fhir = createFhirServer({ clock, writeToken });
    const server = fhir;
    const load = async () => {
      server.reset();
      for (const bundle of loadAllPatientBundles(clock())) await server.loadBundle(bundle);
    };
    await load();
    routers.push(express.Router().use("/fhir", server.router));
    routers.push(sandboxRouter({ clock, hookFhirServer: () => self.fhirBase, reset: load, writeToken, ...web }));
  } else {
    const browser = env["SANDBOX_FHIR_PUBLIC_URL"]?.replace(/\/+$/, "") ?? external;
    routers.push(sandboxRouter({ clock, hookFhirServer: () => external, browserFhirServer: browser, ...web }));
  }
  const app = createServiceApp({ config, clinicalConfig, logger, feedbackStore, clock, extraRouters: routers });
  const host = options.host ?? (env["HOST"] || "127.0.0.1");
  const server = app.listen(options.port ?? config.port, host);
  await new Promise<void>((resolve, reject) => {
    server.once("listening", () => resolve());
    server.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  const wildcard = host === "0.0.0.0" || host === "::";
  const hostInUrl = (name: string) => (name.includes(":") ? `[${name}]` : name);
  self.fhirBase = `http://${wildcard ? "127.0.0.1" : hostInUrl(host)}:${port}/fhir`;
  // In production mode the allow-list is explicit: the in-process server must be on it.
  if (fhir && Array.isArray(config.fhirAllowlist)) config.fhirAllowlist.push(new URL(self.fhirBase).origin);
  const url = `http://${wildcard ? "localhost" : hostInUrl(host)}:${port}`;
  return {
    server,
    url,
    ...(fhir ? { fhir } : {}),
    ...(writeToken ? { writeToken } : {}),
    close: () => new Promise<void>((resolve) => server.close(() => void feedbackStore.close().finally(resolve))),
  };
}

if (require.main === module) {
  startSandbox()
    .then(({ url, fhir }) => {
      console.log(`vitd-cds sandbox on ${url}`);
      console.log(`  EHR simulator  ${url}/sandbox`);
      console.log(`  CDS discovery  ${url}/cds-services`);
      console.log(`  FHIR R4        ${fhir ? `${url}/fhir (in-process, demo patients loaded)` : (process.env["SANDBOX_FHIR_URL"] ?? "")}`);
    })
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    });
}
