/**
 * The demo patients: FHIR R4 transaction Bundles stored with dates RELATIVE to "now"
 * (`"{{now-21d@08:30}}"`), because the rules use currency windows (90/180/365 days). `materialize`
 * (pure) turns a template into a Bundle for a given `now`; the read* helpers only read files.
 *
 * Placeholder grammar (anywhere inside a JSON string):
 *   {{now}}                 now, ISO date-time (UTC, seconds)
 *   {{now-21d}} {{now+2d}}  now shifted by whole days (or `h` hours)
 *   {{now-21d@08:30}}       that day at 08:30 UTC
 *   {{now-21d|date}}        date only, YYYY-MM-DD
 */
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Bundle } from "fhir/r4";
import { z } from "zod";

/** Folder holding patients/, draft-orders/ and expected.json (also right when bundled into sandbox/dist/). */
export const SANDBOX_DIR = process.env["SANDBOX_DATA_DIR"] ?? (basename(__dirname) === "dist" ? dirname(__dirname) : __dirname);

export const TOPIC_CODES = ["repletion-cramp", "vitamin-d-toxicity"] as const;
export type TopicCode = (typeof TOPIC_CODES)[number];
export type Indicator = "info" | "warning" | "critical";

const demoPatientSchema = z.object({
  id: z.string().regex(/^vitd-demo-\d{2}$/),
  name: z.string().min(1),
  hook: z.enum(["patient-view", "order-sign"]),
  /** The clinical story in plain words, as the simulator shows it (no rule arithmetic). */
  story: z.string().min(20),
  expected: z.partialRecord(z.enum(TOPIC_CODES), z.enum(["info", "warning", "critical"])),
  /** How the expected cards were worked out from the rules (the arithmetic; for tests and reviewers). */
  why: z.string().min(1),
  /** Decision-table rows this patient covers (test/sandbox checks every row is covered). */
  covers: z.array(z.string()).min(1),
});
export type DemoPatient = z.infer<typeof demoPatientSchema>;

const PLACEHOLDER = /\{\{now(?:([+-])(\d+)([dh]))?(?:@(\d{2}):(\d{2}))?(\|date)?\}\}/g;

function resolvePlaceholder(now: Date, sign?: string, amount?: string, unit?: string, hh?: string, mm?: string, dateOnly?: string): string {
  const ms = amount === undefined ? 0 : Number(amount) * (unit === "h" ? 3_600_000 : 86_400_000) * (sign === "-" ? -1 : 1);
  const at = new Date(now.getTime() + ms);
  if (hh !== undefined && mm !== undefined) at.setUTCHours(Number(hh), Number(mm), 0, 0);
  at.setUTCMilliseconds(0);
  return dateOnly ? at.toISOString().slice(0, 10) : at.toISOString().replace(".000Z", "Z");
}

/** Replaces every `{{now…}}` placeholder in every string of `template` (deep copy; pure). */
export function materialize<T>(template: T, now: Date): T {
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") {
      return value.replace(PLACEHOLDER, (_m, sign?: string, amount?: string, unit?: string, hh?: string, mm?: string, dateOnly?: string) =>
        resolvePlaceholder(now, sign, amount, unit, hh, mm, dateOnly),
      );
    }
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  return walk(template) as T;
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, "utf8")) as unknown;
}

/** The expectation table (sandbox/expected.json), validated. */
export function readDemoPatients(dir = SANDBOX_DIR): DemoPatient[] {
  return z.array(demoPatientSchema).parse(readJson(join(dir, "expected.json")));
}

/** Ids of the stored patient bundles (file names), sorted. */
export function listPatientIds(dir = SANDBOX_DIR): string[] {
  return readdirSync(join(dir, "patients"))
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.replace(/\.json$/, ""))
    .sort();
}

export function readPatientTemplate(id: string, dir = SANDBOX_DIR): Bundle {
  return readJson(join(dir, "patients", `${id}.json`)) as Bundle;
}

export function loadPatientBundle(id: string, now: Date, dir = SANDBOX_DIR): Bundle {
  return materialize(readPatientTemplate(id, dir), now);
}

export function loadAllPatientBundles(now: Date, dir = SANDBOX_DIR): Bundle[] {
  return listPatientIds(dir).map((id) => loadPatientBundle(id, now, dir));
}

/** The draft orders (a `collection` Bundle, ready for `context.draftOrders`) of an order-sign patient, if any. */
export function loadDraftOrders(id: string, now: Date, dir = SANDBOX_DIR): Bundle | undefined {
  const path = join(dir, "draft-orders", `${id}.json`);
  return existsSync(path) ? materialize(readJson(path) as Bundle, now) : undefined;
}
