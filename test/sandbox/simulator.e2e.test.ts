/**
 * The EHR simulator page (/sandbox) in headless Debian Chromium against the whole in-process sandbox
 * (startSandbox: service + FHIR server + SMART authorization server + page): cards rendered with their
 * indicators, a suggestion applied to the FHIR server with accepted feedback, an override with a reason,
 * order-sign and order-select with the draft vitamin D order, "no cards", the hook request/response JSON
 * panel, the server and provider pickers, readable errors, "Reload demo data" clearing suppressions,
 * EHR launches of the SMART app through /smart-auth (card links keep their appContext), the clinical
 * story of each patient, and the page at 420 px. The README's screenshots (docs/images/) are taken here.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { AddressInfo } from "node:net";
import express from "express";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { readDemoPatients } from "../../sandbox/load-patients";
import { startSandbox, type RunningSandbox } from "../../sandbox/main";

const ROOT = resolve(__dirname, "..", "..");
const ARTIFACTS = join(ROOT, "test-artifacts", "sandbox");
const DOC_IMAGES = join(ROOT, "docs", "images");
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const NOW = new Date("2026-06-01T12:00:00Z");
const demo = readDemoPatients();
const byRow = (row: string) => demo.find((p) => p.covers.includes(row))!;

let sandbox: RunningSandbox;
let browser: Browser;
let page: Page;
let context: BrowserContext;
let webDir: string;

beforeAll(async () => {
  webDir = mkdtempSync(join(tmpdir(), "vitd-sandbox-web-"));
  mkdirSync(ARTIFACTS, { recursive: true });
  mkdirSync(DOC_IMAGES, { recursive: true });
  const browserStarting = chromium.launch({ executablePath: process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
  await promisify(execFile)(process.execPath, [join(ROOT, "sandbox", "build.mjs"), "--web-only", "--outdir", webDir], { cwd: ROOT });
  await promisify(execFile)(process.execPath, [join(ROOT, "launch", "build.mjs"), "--outdir", join(webDir, "smart")], { cwd: ROOT });
  sandbox = await startSandbox({
    env: { NODE_ENV: "test", SANDBOX_DATABASE_URL: "sqlite::memory:", LOG_LEVEL: "silent" },
    port: 0,
    host: "127.0.0.1",
    clock: () => NOW,
    webDistDir: join(webDir, "web"),
    smartDistDir: join(webDir, "smart"),
  });
  browser = await browserStarting;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
  rmSync(webDir, { recursive: true, force: true });
});

beforeEach(async () => {
  // Every test starts from fresh demo data and an empty feedback database (feedback suppresses cards).
  const reset = await fetch(`${sandbox.url}/sandbox/reset`, {
    method: "POST",
    headers: { authorization: `Bearer ${sandbox.writeToken ?? ""}` },
  });
  expect(reset.status).toBe(200);
  // The browser's clock is the sandbox's: the SMART app evaluates the demo data (dated relative to NOW) with it.
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.clock.setFixedTime(NOW);
  page = await context.newPage();
  await page.goto(`${sandbox.url}/sandbox`);
  await page.waitForSelector("body[data-ready=true]");
});
afterEach(async () => context.close());

jest.setTimeout(60_000); // page loads and SMART launches on a shared 2-core machine

/** A FHIR server that lists one patient (for the picker) and fails every other read (503). */
async function startEmptyFhir(): Promise<{ url: string; close: () => Promise<void> }> {
  const app = express();
  app.use((_req, res, next) => (res.set("Access-Control-Allow-Origin", "*"), next()));
  app.get("/fhir/Patient", (_req, res) => {
    res.json({
      resourceType: "Bundle",
      type: "searchset",
      entry: [{ resource: { resourceType: "Patient", id: "elsewhere-1", name: [{ given: ["Else"], family: "Where" }] } }],
    });
  });
  app.use((_req, res) => {
    res
      .status(503)
      .json({ resourceType: "OperationOutcome", issue: [{ severity: "error", code: "transient", diagnostics: "down for maintenance" }] });
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((ok) => server.once("listening", ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`,
    close: () => new Promise<void>((ok) => (server.closeAllConnections(), server.close(() => ok()))),
  };
}

async function fire(patientId: string, hook: "patient-view" | "order-select" | "order-sign") {
  await page.selectOption("#patient-select", patientId);
  await page.click(`#fire-${hook}`);
  await page.waitForSelector("#cards article.card, #cards [data-pattern=none], #alert:not([hidden])");
}

it("serves /sandbox/patients.json as [{ id, name, hook, story, expected }] for every demo patient, without the rule arithmetic", async () => {
  const list = (await (await fetch(`${sandbox.url}/sandbox/patients.json`)).json()) as Record<string, unknown>[];
  expect(list).toEqual(demo.map(({ id, name, hook, story, expected }) => ({ id, name, hook, story, expected })));
  expect(list.every((p) => !("why" in p))).toBe(true);
});

it("shows the patient's clinical story, not the expectation arithmetic", async () => {
  const patient = byRow("repletion-cramp:mg-below-1.2");
  await page.selectOption("#patient-select", patient.id);
  const story = await page.locator("#patient-story").innerText();
  expect(story).toBe(patient.story);
  expect(story).not.toMatch(/row \d|→|no row/);
  expect(await page.locator("#patient-expected").innerText()).toBe("repletion-cramp critical");
});

it("renders a critical repletion-cramp card; applying a suggestion writes to the FHIR server and sends accepted feedback", async () => {
  const patient = byRow("repletion-cramp:mg-below-1.2");
  await fire(patient.id, "patient-view");
  const card = page.locator('article.card[data-pattern="repletion-cramp"][data-indicator="critical"]');
  await card.waitFor();
  expect(await card.locator("h3").textContent()).toMatch(/Mg 1\.1 mg\/dL/);
  expect(await card.locator("table.evidence").count()).toBeGreaterThan(0);
  await page.screenshot({ path: join(ARTIFACTS, "simulator-critical.png"), fullPage: true });

  const before = (await sandbox.fhir!.repo.searchResources({ resourceType: "ServiceRequest" })).length;
  await card.locator("button.suggestion").first().click();
  await page.waitForSelector("#log li:has-text('feedback sent: accepted')");
  const after = await sandbox.fhir!.repo.searchResources({ resourceType: "ServiceRequest" });
  expect(after.length).toBeGreaterThan(before);
  expect(await page.locator("#alert").isHidden()).toBe(true);
});

it("overrides a card with a reason and comment (overridden feedback)", async () => {
  const patient = byRow("vitamin-d-toxicity:prolonged-toxic-intake-no-calcium");
  await fire(patient.id, "patient-view");
  const card = page.locator('article.card[data-pattern="vitamin-d-toxicity"][data-indicator="warning"]');
  await card.locator("button.override").click();
  await card.locator("select.override-reason").selectOption({ index: 1 });
  await card.locator("textarea").fill("Calcium drawn today");
  await card.locator("button.send-override").click();
  await page.waitForSelector("#log li:has-text('feedback sent: overridden (')");
  expect(await card.getAttribute("class")).toContain("handled");
});

it("fires order-sign with the patient's draft vitamin D order and shows the toxicity card", async () => {
  const patient = byRow("vitamin-d-toxicity:ca-high-other-vitamin-d-warning");
  await fire(patient.id, "order-sign");
  expect(await page.locator("#draft-order [data-draft]").count()).toBe(1);
  await page.locator('article.card[data-pattern="vitamin-d-toxicity"][data-indicator="warning"]').waitFor();
  expect(await page.locator("article.card").count()).toBe(1);
  await page.screenshot({ path: join(ARTIFACTS, "simulator-order-sign.png"), fullPage: true });
  // The delete suggestion for the draft edits the order basket (the draft is not on the FHIR server).
  await page.locator("article.card button.suggestion", { hasText: /draft/i }).first().click();
  await page.waitForSelector("#log li:has-text('delete in the order basket')");
  expect(await page.locator("#draft-order [data-draft]").count()).toBe(0);
});

it("says so when there are no cards", async () => {
  const patient = demo.find((p) => p.covers.includes("normal"))!;
  await fire(patient.id, "patient-view");
  expect(await page.locator("#cards [data-pattern=none]").count()).toBe(1);
});

it("launches the SMART app with an EHR launch through the local SMART authorization server (PKCE, signed launch)", async () => {
  const patient = byRow("repletion-cramp:mg-below-1.2");
  await page.selectOption("#patient-select", patient.id);
  const before = sandbox.smartAuth.events.length;
  const [popup] = await Promise.all([page.waitForEvent("popup"), page.click("#launch-smart")]);
  await popup.waitForSelector("body[data-state=ready], body[data-state=error]", { timeout: 30_000 });
  expect(await popup.getAttribute("body", "data-state")).toBe("ready");
  expect(new URL(popup.url()).pathname).toBe("/smart/index.html");
  expect(await popup.$$eval("[data-pattern]", (els) => els.map((e) => (e as HTMLElement).dataset.pattern))).toContain("repletion-cramp");
  const events = sandbox.smartAuth.events.slice(before);
  expect(events).toContainEqual(expect.objectContaining({ type: "authorize", launch: true, codeChallengeMethod: "S256" }));
  expect(events).toContainEqual(expect.objectContaining({ type: "token", patient: patient.id, pkceVerified: true }));
  expect(events.filter((e) => e.type === "fhir" && e.status !== 200)).toEqual([]);
  await popup.close();
});

it("a card's SMART link keeps its appContext: the app opens with that finding highlighted", async () => {
  const patient = byRow("repletion-cramp:mg-below-1.2");
  await fire(patient.id, "patient-view");
  const link = page.locator('article.card[data-pattern="repletion-cramp"] a.link[data-link-type="smart"]');
  const href = new URL((await link.getAttribute("href")) ?? "");
  expect(href.pathname).toBe("/smart-auth/launch");
  expect(JSON.parse(href.searchParams.get("appContext") ?? "null")).toEqual({ pattern: "repletion-cramp" });
  const [popup] = await Promise.all([page.waitForEvent("popup"), link.click()]);
  await popup.waitForSelector("body[data-state=ready], body[data-state=error]", { timeout: 30_000 });
  expect(await popup.$$eval("[data-highlighted=true]", (els) => els.map((e) => (e as HTMLElement).dataset.pattern))).toEqual([
    "repletion-cramp",
  ]);
  await popup.close();
});

it("shows the exact hook request and response JSON", async () => {
  const patient = byRow("repletion-cramp:mg-below-1.2");
  await fire(patient.id, "patient-view");
  const request = JSON.parse(await page.locator("#hook-request").innerText()) as {
    hook: string;
    hookInstance: string;
    fhirServer: string;
    context: Record<string, unknown>;
  };
  expect(request).toMatchObject({
    hook: "patient-view",
    fhirServer: `${sandbox.url}/fhir`,
    context: { patientId: patient.id, userId: "Practitioner/vitd-demo-pr-okafor" },
  });
  const response = JSON.parse(await page.locator("#hook-response").innerText()) as { cards: { uuid: string }[] };
  const shown = await page.$$eval("article.card", (els) => els.map((e) => (e as HTMLElement).dataset.uuid));
  expect(response.cards.map((c) => c.uuid)).toEqual(shown);
  expect(await page.locator("#hook-url").innerText()).toBe(`POST ${sandbox.url}/cds-services/vitd-patient-view`);
  expect(await page.locator("#hook-status").innerText()).toMatch(/^HTTP 200 · 1 card$/);
  await page.screenshot({ path: join(DOC_IMAGES, "simulator.png"), fullPage: true });
});

it("fires order-select with the draft order as the selection", async () => {
  const patient = byRow("vitamin-d-toxicity:ca-high-other-vitamin-d-warning");
  await fire(patient.id, "order-select");
  const request = JSON.parse(await page.locator("#hook-request").innerText()) as {
    hook: string;
    context: { selections: string[]; draftOrders: { entry: { resource: { id: string } }[] } };
  };
  expect(request.hook).toBe("order-select");
  expect(request.context.selections).toEqual(request.context.draftOrders.entry.map((e) => `MedicationRequest/${e.resource.id}`));
  await page.locator('article.card[data-pattern="vitamin-d-toxicity"][data-indicator="warning"]').waitFor();
});

it("picks the provider from the FHIR server's Practitioners and sends it as context.userId", async () => {
  const options = await page.$$eval("#provider-select option", (els) => els.map((e) => (e as HTMLOptionElement).value));
  expect(options).toEqual(
    expect.arrayContaining(["Practitioner/vitd-demo-pr-okafor", "Practitioner/vitd-demo-pr-haddad", "Practitioner/vitd-demo-pr-lindqvist"]),
  );
  await page.selectOption("#provider-select", "Practitioner/vitd-demo-pr-haddad");
  await fire(demo[0]!.id, "patient-view");
  expect(JSON.parse(await page.locator("#hook-request").innerText())).toMatchObject({
    context: { userId: "Practitioner/vitd-demo-pr-haddad" },
  });
});

it("lets you choose another discovery URL and FHIR server, and explains failures in words, not raw JSON", async () => {
  const down = `http://127.0.0.1:9`;
  await page.fill("#discovery-url", `${down}/cds-services`);
  await page.click("#apply-setup");
  await page.waitForSelector("#alert:not([hidden])");
  expect(await page.locator("#alert").innerText()).toMatch(/^Service discovery failed: http:\/\/127\.0\.0\.1:9 could not be reached/);

  // The service is fine but the FHIR server it is told to read is down: the hook fails, the page says why.
  await page.fill("#discovery-url", `${sandbox.url}/cds-services`);
  await page.fill("#fhir-url", `${sandbox.url}/fhir`);
  await page.click("#apply-setup");
  await page.waitForSelector("#setup-status:has-text('services')");
  await page.evaluate(() => {
    const input = document.getElementById("fhir-url") as HTMLInputElement;
    input.value = "http://127.0.0.1:9/fhir";
  });
  await page.click("#apply-setup");
  await page.waitForSelector("#alert:not([hidden])");
  const text = await page.locator("#alert").innerText();
  expect(text).toMatch(/^Searching Patient on http:\/\/127\.0\.0\.1:9\/fhir failed/);
  expect(text).not.toMatch(/[{}]/);
});

it("explains a failed hook in words and shows the raw answer in the JSON panel", async () => {
  // Another FHIR server that is up but has none of these patients: the service answers an error, not cards.
  const empty = await startEmptyFhir();
  try {
    await page.fill("#fhir-url", empty.url);
    await page.click("#apply-setup");
    await page.waitForSelector("#setup-status:has-text('services')");
    await page.click("#fire-patient-view");
    await page.waitForSelector("#alert:not([hidden])");
    const text = await page.locator("#alert").innerText();
    expect(text).toMatch(/^The patient-view hook failed \(HTTP \d{3}: [a-z]/);
    expect(text).not.toMatch(/[{}]|"error"/);
    const raw = JSON.parse(await page.locator("#hook-response").innerText()) as { error?: string };
    expect(typeof raw.error).toBe("string");
  } finally {
    await empty.close();
  }
});

it("Reload demo data clears overrides and suppressions together with the FHIR data: the overridden card comes back", async () => {
  const patient = byRow("vitamin-d-toxicity:prolonged-toxic-intake-no-calcium");
  const card = () => page.locator('article.card[data-pattern="vitamin-d-toxicity"]');
  await fire(patient.id, "patient-view");
  await card().locator("button.override").click();
  await card().locator("button.send-override").click();
  await page.waitForSelector("#log li:has-text('feedback sent: overridden')");
  expect((await sandbox.feedbackStore.listFeedback()).length).toBeGreaterThan(0);

  await page.click("#fire-patient-view");
  await page.waitForSelector("#cards [data-pattern=none]"); // suppressed for this patient now
  await page.click("#reset-data");
  await page.waitForSelector("#log li:has-text('demo data reloaded')");
  expect(await sandbox.feedbackStore.listFeedback()).toEqual([]);
  await page.click("#fire-patient-view");
  await card().waitFor();
  expect(await card().getAttribute("data-indicator")).toBe("warning");
});

it("serves its icon (and the origin's /favicon.ico)", async () => {
  for (const path of ["/sandbox/favicon.ico", "/favicon.ico"]) {
    const res = await fetch(`${sandbox.url}${path}`);
    expect([path, res.status, res.headers.get("content-type")]).toEqual([path, 200, "image/x-icon"]);
    expect(Buffer.from(await res.arrayBuffer()).readUInt16LE(2)).toBe(1); // ICO header: type 1 = icon
  }
});

it("fits a 420 px wide screen without sideways scrolling", async () => {
  await page.setViewportSize({ width: 420, height: 900 });
  await fire(byRow("repletion-cramp:mg-below-1.2").id, "patient-view");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: join(ARTIFACTS, "simulator-420.png"), fullPage: true });
});
