/**
 * `GET launch?app=<registered launch page>&patient=<id>[&appContext=…]`: the "EHR launch button".
 * Redirects only to a launch page registered for a client (exact URL: no open redirect), and only
 * for a patient the upstream FHIR server has, with `iss` and a freshly minted, signed `launch`.
 */
import express, { type Request, type Router } from "express";
import { isRegisteredLaunchPage, type ClientRegistry } from "./clients";
import { FHIR_ID, type LaunchContext } from "./launch-context";

export interface LaunchRouteOptions {
  clients: ClientRegistry;
  upstream: string;
  fhirUrl: (req: Request) => string;
  mintLaunch: (context: LaunchContext) => string;
  fetchImpl: typeof fetch;
}

const USAGE = "usage: launch?app=<a registered app launch URL>&patient=<FHIR id>[&appContext=…]";

async function patientExists(opts: LaunchRouteOptions, id: string): Promise<boolean> {
  try {
    const res = await opts.fetchImpl(`${opts.upstream.replace(/\/+$/, "")}/Patient/${id}`, {
      headers: { accept: "application/fhir+json" },
    });
    if (!res.ok) return false;
    const body = (await res.json()) as { resourceType?: unknown; id?: unknown };
    return body.resourceType === "Patient" && body.id === id;
  } catch {
    return false;
  }
}

export function launchRoute(opts: LaunchRouteOptions): Router {
  const router = express.Router();
  router.get("/launch", async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const app = typeof q.app === "string" ? q.app : "";
    const patient = typeof q.patient === "string" ? q.patient : "";
    const appContext = typeof q.appContext === "string" ? q.appContext : undefined;
    res.set("Cache-Control", "no-store");
    if (!isRegisteredLaunchPage(opts.clients, req, app)) {
      res.status(400).type("text/plain").send(`app is not a registered launch page. ${USAGE}`);
      return;
    }
    if (!FHIR_ID.test(patient) || (q.appContext !== undefined && appContext === undefined) || (appContext?.length ?? 0) > 4096) {
      res.status(400).type("text/plain").send(`patient must be one FHIR id (appContext one string of up to 4096 characters). ${USAGE}`);
      return;
    }
    if (!(await patientExists(opts, patient))) {
      res.status(404).type("text/plain").send(`no Patient/${patient} on the FHIR server`);
      return;
    }
    const url = new URL(app);
    url.searchParams.set("iss", opts.fhirUrl(req));
    url.searchParams.set("launch", opts.mintLaunch({ patient, ...(appContext !== undefined ? { appContext } : {}) }));
    res.redirect(302, url.href);
  });
  return router;
}
