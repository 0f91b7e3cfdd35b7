/**
 * Serves the SMART on FHIR app (launch/): `/smart/launch.html`, `/smart/index.html`, `/smart/app.css`,
 * its icon (`/smart/favicon.ico`, also `/favicon.ico`), the card patterns' pages (`/smart/patterns/<pattern>.html`,
 * the cards' `source.url`),
 * the browser bundles at `/smart/dist/*` (built by `npm run build` → launch/build.mjs) and
 * `/smart/config.json` (client id, PKCE mode, the effective clinical config, so site thresholds
 * reach the app). The bundles are not built on demand (esbuild is a dev tool): when they are
 * missing, the pages answer 503 with a message saying to run `npm run build`.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import express, { type Response, type Router } from "express";
import type { ClinicalConfig } from "../config/clinical-config";
import { SERVICE_NAME } from "../service-name";

export interface SmartAppRouterOptions {
  clinicalConfig: ClinicalConfig;
  smartClientId: string;
  /** PKCE mode for fhirclient's authorize(); SMART 2.x requires S256 (default "required"). */
  pkceMode?: "required" | "ifSupported";
  serviceLabel?: string;
  /** Built bundles (default: launch/dist). */
  distDir?: string;
  /** launch.html, index.html, app.css (default: launch/). */
  appDir?: string;
}

/** Both src/smart (ts-jest, tsx) and dist/smart (compiled) sit two levels below the project root. */
const DEFAULT_APP_DIR = resolve(__dirname, "..", "..", "launch");

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src *", // the FHIR server and the authorization server are wherever the EHR says
  "frame-ancestors *", // EHRs embed SMART apps
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join("; ");

function pageHeaders(res: Response): void {
  res.set({
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    // The redirect URL carries the authorization code and state: never leak it in Referer.
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
  });
}

const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>SMART app not built</title></head>
<body><main><div role="alert"><h1>The SMART app is not built</h1>
<p>The browser bundle (launch/dist) is missing. Run <code>npm run build</code> (or <code>node launch/build.mjs</code>) and reload.</p></div></main></body></html>`;

export function smartAppRouter(options: SmartAppRouterOptions): Router {
  const appDir = options.appDir ?? DEFAULT_APP_DIR;
  const distDir = options.distDir ?? join(appDir, "dist");
  const config = {
    clientId: options.smartClientId,
    pkceMode: options.pkceMode ?? "required",
    serviceLabel: options.serviceLabel ?? SERVICE_NAME,
    clinicalConfig: options.clinicalConfig,
  };
  const router = express.Router();

  router.get("/smart", (req, res) => {
    const query = new URL(req.originalUrl, "http://local").search;
    res.redirect(302, `/smart/launch.html${query}`);
  });

  const page = (file: "launch.html" | "index.html", bundle: string) =>
    router.get(`/smart/${file}`, (_req, res) => {
      pageHeaders(res);
      if (!existsSync(join(distDir, bundle))) {
        res.status(503).type("html").send(NOT_BUILT_PAGE);
        return;
      }
      res.type("html").sendFile(join(appDir, file));
    });
  page("launch.html", "launch.js");
  page("index.html", "app.js");

  // One page per card pattern: the cards' `source.url` (what the card is about, its thresholds and advice).
  router.get("/smart/patterns/:page", (req, res, next) => {
    const pattern = /^(repletion-cramp|vitamin-d-toxicity)\.html$/.exec(req.params.page)?.[1];
    if (!pattern) return next();
    pageHeaders(res);
    res.type("html").sendFile(join(appDir, "patterns", `${pattern}.html`));
  });

  // The app's icon, also at the origin's /favicon.ico (browsers ask for it there).
  router.get(["/favicon.ico", "/smart/favicon.ico"], (_req, res) => {
    res.set({ "X-Content-Type-Options": "nosniff", "Cache-Control": "public, max-age=86400" });
    res.type("image/x-icon").sendFile(join(appDir, "favicon.ico"));
  });

  router.get("/smart/app.css", (_req, res) => {
    pageHeaders(res);
    res.type("css").sendFile(join(appDir, "app.css"));
  });

  router.get("/smart/config.json", (_req, res) => {
    pageHeaders(res);
    res.json(config);
  });

  router.use(
    "/smart/dist",
    express.static(distDir, {
      index: false,
      dotfiles: "deny",
      setHeaders: (res) => {
        res.setHeader("X-Content-Type-Options", "nosniff");
        res.setHeader("Cache-Control", "no-cache");
      },
    }),
  );

  return router;
}
