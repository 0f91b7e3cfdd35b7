/**
 * The EHR simulator page (/sandbox) in headless Debian Chromium against the whole in-process sandbox
 * (startSandbox: service + FHIR server + page): cards rendered with their indicators, a suggestion
 * applied to the FHIR server with accepted feedback, an override with a reason, an order-sign with
 * the draft vitamin D order, "no cards", the SMART launch URL, and GET /sandbox/patients.json.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { chromium, type Browser, type Page } from "playwright-core";
import { readDemoPatients } from "../../sandbox/load-patients";
import { startSandbox, type RunningSandbox } from "../../sandbox/main";

const ROOT = resolve(__dirname, "..", "..");
const ARTIFACTS = join(ROOT, "test-artifacts", "sandbox");
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const NOW = new Date("2026-06-01T12:00:00Z");
const demo = readDemoPatients();
const byRow = (row: string) => demo.find((p) => p.covers.includes(row))!;

let sandbox: RunningSandbox;
let browser: Browser;
let page: Page;
let webDir: string;

beforeAll(async () => {
  webDir = mkdtempSync(join(tmpdir(), "vitd-sandbox-web-"));
  mkdirSync(ARTIFACTS, { recursive: true });
  const browserStarting = chromium.launch({ executablePath: process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
  await promisify(execFile)(process.execPath, [join(ROOT, "sandbox", "build.mjs"), "--web-only", "--outdir", webDir], { cwd: ROOT });
  sandbox = await startSandbox({
    env: { NODE_ENV: "test", CDS_DATABASE_URL: "sqlite::memory:", LOG_LEVEL: "silent" },
    port: 0,
    host: "127.0.0.1",
    clock: () => NOW,
    webDistDir: join(webDir, "web"),
  });
  browser = await browserStarting;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
  rmSync(webDir, { recursive: true, force: true });
});

beforeEach(async () => {
  page = await browser.newPage();
  await page.goto(`${sandbox.url}/sandbox`);
  await page.waitForSelector("body[data-ready=true]");
});
afterEach(async () => page.close());

async function fire(patientId: string, hook: "patient-view" | "order-sign") {
  await page.selectOption("#patient-select", patientId);
  await page.click(`#fire-${hook}`);
  await page.waitForSelector("#cards article.card, #cards [data-pattern=none], #alert:not([hidden])");
}

it("serves /sandbox/patients.json as [{ id, name, expected }] for every demo patient", async () => {
  const list = (await (await fetch(`${sandbox.url}/sandbox/patients.json`)).json()) as { id: string; name: string; expected: object }[];
  expect(list.map(({ id, name, expected }) => ({ id, name, expected }))).toEqual(demo.map(({ id, name, expected }) => ({ id, name, expected })));
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

it("launches the SMART app in open-server mode for the selected patient", async () => {
  const patient = demo[0]!;
  await page.selectOption("#patient-select", patient.id);
  const [popup] = await Promise.all([page.waitForEvent("popup"), page.click("#launch-smart")]);
  const url = new URL(popup.url());
  expect(url.pathname).toBe("/smart/launch.html");
  expect(url.searchParams.get("fhirServiceUrl")).toBe(`${new URL(page.url()).origin}/fhir`);
  expect(url.searchParams.get("patientId")).toBe(patient.id);
  await popup.close();
});
