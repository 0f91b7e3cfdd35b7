/**
 * `npm run sandbox`: on PORT (default 3000) this CDS service, the SMART app (/smart), the EHR
 * simulator (/sandbox) and — unless SANDBOX_FHIR_URL points at an external server (docker compose:
 * HAPI) — an in-process FHIR R4 server at /fhir loaded with the demo patients (dates relative to
 * start-up time). SANDBOX_FHIR_PUBLIC_URL is the external server's URL as the browser sees it.
 * Listens on HOST (default 127.0.0.1: a dev tool, not for the network; docker compose sets 0.0.0.0).
 * The in-process /fhir is read-only over HTTP except with a random per-process write token, which
 * the simulator page reads from the same-origin /sandbox/write-token (see sandbox-router.ts).
 * Feedback and suppressions go to the sandbox's own database (SANDBOX_DATABASE_URL, default
 * sqlite:./data/sandbox-feedback.sqlite), never to the service's CDS_DATABASE_URL: "Reload demo
 * data" empties it together with the FHIR data, so an override never silences a demo patient.
 * The local SMART authorization server is mounted at /smart-auth (EHR launches of the SMART app,
 * with `iss` = /smart-auth/fhir in front of the sandbox's FHIR server).
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
import type { FeedbackStore } from "../src/feedback/store";
import { createLogger } from "../src/logger";
import { createServiceApp } from "../src/service-app";
import { smartAppRouter } from "../src/smart";
import { bulkExportRouter } from "./bulk-export";
import { createFhirServer, type FhirServer } from "./fhir-server";
import { createSmartAuthServer, type SmartAuthServer } from "./smart-auth";
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
  /** Where the SMART app's bundles were built (default: launch/dist, as the service serves them). */
  smartDistDir?: string;
}

/** The sandbox's own feedback database: never the service's (CDS_DATABASE_URL). */
export const DEFAULT_SANDBOX_DATABASE_URL = "sqlite:./data/sandbox-feedback.sqlite";
/** Later than any feedback or issued card: purging "before" it empties the store. */
const END_OF_TIME = new Date("9999-12-31T23:59:59.999Z");

export interface RunningSandbox {
  server: Server;
  /** e.g. http://127.0.0.1:3000 */
  url: string;
  /** The in-process FHIR server (undefined with SANDBOX_FHIR_URL). */
  fhir?: FhirServer;
  /** The credential for writes to the in-process /fhir (`Authorization: Bearer <writeToken>`); random per process. */
  writeToken?: string;
  /** The sandbox's feedback database (SANDBOX_DATABASE_URL). */
  feedbackStore: FeedbackStore;
  /** The local SMART authorization server mounted at /smart-auth (its `events` record launches). */
  smartAuth: SmartAuthServer;
  close(): Promise<void>;
}

export async function startSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const env = options.env ?? process.env;
  const clock = options.clock ?? (() => new Date());
  const config = { ...loadEnvConfig(env), databaseUrl: sandboxDatabaseUrl(env) };
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
    // Reload = a fresh start: the demo records and every override, acceptance and suppression.
    const reset = async () => {
      await load();
      await feedbackStore.purge(END_OF_TIME, clock());
    };
    routers.push(express.Router().use("/fhir", bulkExportRouter({ repo: server.repo, clock }), server.router));
    routers.push(sandboxRouter({ clock, hookFhirServer: () => self.fhirBase, reset, writeToken, ...web }));
  } else {
    const browser = env["SANDBOX_FHIR_PUBLIC_URL"]?.replace(/\/+$/, "") ?? external;
    routers.push(sandboxRouter({ clock, hookFhirServer: () => external, browserFhirServer: browser, ...web }));
  }
  // EHR launches: the authorization server reads the FHIR server the service reads (server side); the
  // in-process server's URL is known once listening, so the authorization server is created then.
  const auth: { server?: SmartAuthServer } = {};
  routers.push(
    express.Router().use("/smart-auth", (req, res, next) => {
      if (auth.server) return auth.server.router(req, res, next);
      res.status(503).type("text/plain").send("the sandbox is starting");
    }),
  );
  // Before the service's own /smart routes, so a test build of the app is the one served.
  if (options.smartDistDir)
    routers.unshift(smartAppRouter({ clinicalConfig, smartClientId: config.smartClientId, distDir: options.smartDistDir }));
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
  const smartAuth = createSmartAuthServer({ fhirBaseUrl: external ?? self.fhirBase, env, clock });
  auth.server = smartAuth;
  const url = `http://${wildcard ? "localhost" : hostInUrl(host)}:${port}`;
  return {
    server,
    url,
    ...(fhir ? { fhir } : {}),
    ...(writeToken ? { writeToken } : {}),
    feedbackStore,
    smartAuth,
    close: () => new Promise<void>((resolve) => server.close(() => void feedbackStore.close().finally(resolve))),
  };
}

function sandboxDatabaseUrl(env: NodeJS.ProcessEnv): string {
  const url = env["SANDBOX_DATABASE_URL"] || DEFAULT_SANDBOX_DATABASE_URL;
  if (!/^(sqlite:.+|postgres(ql)?:\/\/.+)$/.test(url))
    throw new Error(`SANDBOX_DATABASE_URL must be sqlite:<path> or postgres://…, got ${JSON.stringify(url)}`);
  return url;
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
