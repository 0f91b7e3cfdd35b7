/**
 * The EHR simulator's routes, mounted beside the CDS service:
 *   GET  /sandbox                       the simulator page (sandbox/web/index.html)
 *   GET  /sandbox/simulator.css         its stylesheet
 *   GET  /sandbox/dist/*                the page's script, bundled by sandbox/build.mjs
 *   GET  /sandbox/patients.json         [{ id, name, hook, expected, why }]
 *   GET  /sandbox/config.json           the FHIR base URLs and the simulated user
 *   GET  /sandbox/draft-orders/:id.json the patient's draft vitamin D order (dates for now), 404 if none
 *   POST /sandbox/reset                 reload the demo patients (in-process FHIR server only)
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import express, { type Response } from "express";
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
}

export const SIMULATED_USER = "Practitioner/vitd-demo-pr-okafor";

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src *; base-uri 'none'; form-action 'none'; object-src 'none'";

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
  router.use("/sandbox/dist", express.static(distDir, { fallthrough: false, maxAge: 0 }));

  router.get("/sandbox/patients.json", (_req, res) => {
    res.json(patients.map(({ id, name, hook, expected, why }) => ({ id, name, hook, expected, why })));
  });
  router.get("/sandbox/config.json", (_req, res) => {
    res.json({ hookFhirServer: options.hookFhirServer?.() ?? null, browserFhirServer: options.browserFhirServer ?? null, userId: SIMULATED_USER, canReset: options.reset !== undefined });
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
  router.post("/sandbox/reset", async (_req, res) => {
    if (!options.reset) {
      res.status(409).json({ error: "the FHIR server is external; re-run the seed instead" });
      return;
    }
    await options.reset();
    res.json({ reloaded: patients.length });
  });
  return router;
}
