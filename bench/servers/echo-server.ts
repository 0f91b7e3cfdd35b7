/**
 * The baseline: a bare Express app whose POST route only parses the JSON body (express.json with
 * the service's body limit and JSON types) and echoes it back; GET /cds-services answers a
 * constant so cold starts can be compared with the real service. No ETag, like the service.
 */
import express from "express";
import { serveChild } from "./child-ipc";

const JSON_TYPES = ["application/json", "application/fhir+json", "application/*+json"];

const app = express();
app.disable("x-powered-by");
app.set("etag", false); // as the service does: the baseline must not pay a hash the service no longer pays
app.post("/echo", express.json({ limit: process.env.CDS_BODY_LIMIT ?? "5mb", type: JSON_TYPES, strict: false }), (req, res) => {
  res.json(req.body);
});
app.get("/cds-services", (_req, res) => {
  res.json({ services: [] });
});

serveChild(app);
