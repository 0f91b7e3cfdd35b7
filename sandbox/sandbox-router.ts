/**
 * The EHR simulator's routes, mounted beside the CDS service:
 *   GET  /sandbox                       the simulator page (sandbox/web/index.html)
 *   GET  /sandbox/simulator.css         its stylesheet
 *   GET  /sandbox/dist/*                the page's script, bundled by sandbox/build.mjs
 *   GET  /sandbox/favicon.ico           the icon (also the SMART app's; /favicon.ico is served by src/smart)
 *   GET  /sandbox/patients.json         [{ id, name, hook, story, expected }] (story: the clinical story, for people)
 *   GET  /sandbox/config.json           the FHIR base URLs and the simulated user
 *   GET  /sandbox/draft-orders/:id.json the patient's draft vitamin D order (dates for now), 404 if none
 *   GET  /sandbox/write-token           { token } for writes to the in-process /fhir (404 when external)
 *   POST /sandbox/reset                 reload the demo patients (in-process FHIR server only; needs the token)
 * The write token is readable by same-origin pages only: no CORS headers under /sandbox, and it is
 * refused when Host is not localhost or an IP literal (a DNS-rebinding page has its own host name).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import express, { type Request, type Response } from "express";
import { bearerMatches } from "./fhir-server/bearer";
import { loadDraftOrders, readDemoPatients, SANDBOX_DIR } from "./load-patients";

export interface SandboxRouterOptions {
  /** FHIR base the CDS service reads (sent as `fhirServer` in hook requests); undefined = `${origin}/fhir`. */
  hookFhirServer?: () => string | undefined;
  /** FHIR base the browser uses (suggestions, SMART launch); undefined = `${origin}/fhir`. */
  browserFhirServer?: string;
  clock: () => Date;
  /** Reloads the demo patients into the in-process FHIR server; absent when the FHIR server is external. */
  reset?: () => Promise<void>;
  dir?: string;
  /** Built page script (default: sandbox/dist/web). */
  webDistDir?: string;
  /** The in-process FHIR server's write token, handed to same-origin pages; absent when the FHIR server is external. */
  writeToken?: string;
}

export const SIMULATED_USER = "Practitioner/vitd-demo-pr-okafor";

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src *; base-uri 'none'; form-action 'none'; object-src 'none'";

/** Host is `localhost` or an IP literal (v4, or [v6]), with an optional port: not a name an attacker's DNS controls. */
export function isLocalHost(req: Request): boolean {
  const host = (req.get("host") ?? "").toLowerCase();
  return /^(localhost|\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:.]+\])(:\d{1,5})?$/.test(host);
}

export function sandboxRouter(options: SandboxRouterOptions): express.Router {
  const dir = options.dir ?? SANDBOX_DIR;
  const webDir = join(dir, "web");
  const distDir = options.webDistDir ?? join(dir, "dist", "web");
  const router = express.Router();
  const patients = readDemoPatients(dir);

  const page = (res: Response, file: string, type: string) => {
    res.set({ "Content-Security-Policy": CSP, "Cache-Control": "no-cache" }).type(type).sendFile(file);
  };

  router.get("/sandbox", (_req, res) => {
    if (!existsSync(join(distDir, "simulator.js"))) {
      res.status(503).type("text/plain").send("The EHR simulator is not built: run `node sandbox/build.mjs` (npm run sandbox does it).");
      return;
    }
    page(res, join(webDir, "index.html"), "html");
  });
  router.get("/sandbox/simulator.css", (_req, res) => page(res, join(webDir, "simulator.css"), "css"));
  router.get("/sandbox/favicon.ico", (_req, res) => {
    // The project's icon lives with the SMART app (launch/favicon.ico).
    res
      .set("Cache-Control", "public, max-age=86400")
      .type("image/x-icon")
      .sendFile(join(dir, "..", "launch", "favicon.ico"));
  });
  router.use("/sandbox/dist", express.static(distDir, { fallthrough: false, maxAge: 0 }));

  router.get("/sandbox/patients.json", (_req, res) => {
    res.json(patients.map(({ id, name, hook, story, expected }) => ({ id, name, hook, story, expected })));
  });
  router.get("/sandbox/config.json", (_req, res) => {
    res.json({
      hookFhirServer: options.hookFhirServer?.() ?? null,
      browserFhirServer: options.browserFhirServer ?? null,
      userId: SIMULATED_USER,
      canReset: options.reset !== undefined,
    });
  });
  router.get("/sandbox/draft-orders/:file", (req, res) => {
    const id = req.params.file.replace(/\.json$/, "");
    const known = patients.some((p) => p.id === id);
    const drafts = known ? loadDraftOrders(id, options.clock(), dir) : undefined;
    if (!drafts) {
      res.status(404).json({ error: `no draft orders for ${id}` });
      return;
    }
    res.json(drafts);
  });
  router.get("/sandbox/write-token", (req, res) => {
    res.set("Cache-Control", "no-store");
    if (!options.writeToken) return void res.status(404).json({ error: "the FHIR server is external: no write token here" });
    if (!isLocalHost(req)) return void res.status(403).json({ error: "open the sandbox as localhost or by IP address to write" });
    res.json({ token: options.writeToken });
  });
  router.post("/sandbox/reset", async (req, res) => {
    if (!options.reset) {
      res.status(409).json({ error: "the FHIR server is external; re-run the seed instead" });
      return;
    }
    if (options.writeToken !== undefined && !bearerMatches(req.get("authorization"), options.writeToken)) {
      res.status(401).json({ error: "reset needs the sandbox write token (Authorization: Bearer <token>)" });
      return;
    }
    await options.reset();
    res.json({ reloaded: patients.length });
  });
  return router;
}
