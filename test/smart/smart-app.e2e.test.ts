/**
 * The SMART app end to end in headless Debian Chromium: open-server, EHR and standalone launches
 * through a real FHIR server and the local SMART authorization server; findings, charts, units,
 * appContext highlighting and the error pages. Screenshots go to test-artifacts/smart/.
 */
import { randomUUID } from "node:crypto";
import type { LaunchContext } from "../../sandbox/smart-auth";
import { deadUrl, startE2eEnv, type E2eEnv } from "./helpers/e2e-env";
import { alertText, chartPoints, findings, openApp, paintedPixels, screenshot, type OpenedPage } from "./helpers/page-helpers";
import { daysAgo } from "./helpers/patients";

jest.setTimeout(60_000); // several page loads per test on a shared 2-core CI machine

let env: E2eEnv;
const opened: OpenedPage[] = [];

beforeAll(async () => {
  env = await startE2eEnv();
}, 120_000);
afterEach(async () => {
  for (const o of opened.splice(0)) await o.context.close();
});
afterAll(async () => {
  await env?.close();
});

async function open(url: string): Promise<OpenedPage> {
  const o = await openApp(env.browser, url);
  opened.push(o);
  return o;
}
const openServer = (patientId: string, extra = "") =>
  open(`${env.service}/smart/launch.html?fhirServiceUrl=${encodeURIComponent(env.fhir)}&patientId=${patientId}${extra}`);
const ehrLaunch = (context: LaunchContext, fhirUrl = env.auth.fhirUrl) =>
  open(`${env.service}/smart/launch.html?iss=${encodeURIComponent(fhirUrl)}&launch=${env.auth.mintLaunch(context)}`);
const expectedFindings = (expected: Record<string, string>) =>
  Object.keys(expected).length === 0 ? [["none", ""]] : Object.entries(expected).sort(([, a], [, b]) => (a === "critical" ? -1 : b === "critical" ? 1 : 0));
const sortPairs = (pairs: [string, string][] | string[][]) => pairs.map((p) => p.join("=")).sort();

describe("open-server launch (fhirServiceUrl + patientId)", () => {
  it("shows the repletion-cramp warning, the four charts with their data, and switches units", async () => {
    const { page, problems } = await openServer(env.patients.cramp.id);
    expect(await page.getAttribute("body", "data-state")).toBe("ready");
    expect(sortPairs(await findings(page))).toEqual(sortPairs(expectedFindings(env.patients.cramp.expected)));
    expect(await page.locator(".patient-name").innerText()).toBe("Ada Cramp");

    for (const chart of ["vitamin-d", "calcium", "magnesium", "dose"]) {
      expect(await paintedPixels(page, chart)).toBeGreaterThan(500);
    }
    const vitd = await chartPoints(page, "vitamin-d");
    expect(vitd.map((p) => [p.date.slice(0, 10), p.value, p.unit])).toEqual([[daysAgo(60).slice(0, 10), 14, "ng/mL"]]);
    expect((await chartPoints(page, "magnesium")).map((p) => p.value)).toEqual([1.9, 1.4]);
    const calcium = await chartPoints(page, "calcium");
    expect(calcium.map((p) => [p.series, p.value])).toEqual([
      ["Calcium, total", 9.2],
      ["Calcium, corrected (computed)", 9.2], // albumin 4.0 = the reference: no correction
    ]);
    const dose = await chartPoints(page, "dose");
    const step = dose.filter((p) => p.series === "Daily vitamin D");
    expect(step[0]?.date.slice(0, 10)).toBe(daysAgo(21).slice(0, 10));
    expect(step[0]?.value).toBeCloseTo(50000 / 7, 0); // 50,000 IU weekly = 7,143 IU/day
    expect(dose.filter((p) => p.series === "Start")).toHaveLength(1);
    await screenshot(page, "open-server-cramp-conventional");

    await page.check('input[name="units"][value="si"]');
    await page.waitForSelector("body[data-units=si]");
    expect((await chartPoints(page, "vitamin-d")).map((p) => [p.value, p.unit])).toEqual([[34.944, "nmol/L"]]); // 14 × 2.496
    expect((await chartPoints(page, "magnesium")).map((p) => [p.value, p.unit])).toEqual([
      [0.7816, "mmol/L"], // 1.9 ÷ 2.431
      [0.5759, "mmol/L"], // 1.4 ÷ 2.431
    ]);
    expect((await chartPoints(page, "calcium"))[0]).toMatchObject({ value: 2.2954, unit: "mmol/L" }); // 9.2 ÷ 4.008
    expect((await chartPoints(page, "dose")).find((p) => p.series === "Daily vitamin D")?.value).toBeCloseTo(50000 / 7 / 40, 1);
    const table = page.locator('[data-chart="vitamin-d"] table');
    await page.click('[data-chart="vitamin-d"] details summary');
    expect(await table.locator("tbody td.num").allInnerTexts()).toEqual(["35 nmol/L"]);
    expect(await paintedPixels(page, "vitamin-d")).toBeGreaterThan(500);
    await screenshot(page, "open-server-cramp-si");
    expect(problems).toEqual([]);
  });

  it("shows the critical toxicity card for hypercalcemia on 50,000 IU/day", async () => {
    const { page, problems } = await openServer(env.patients.toxic.id);
    expect(await findings(page)).toEqual(expectedFindings(env.patients.toxic.expected));
    expect(await page.locator('[data-pattern="vitamin-d-toxicity"] .summary').innerText()).toMatch(/12\.6/);
    expect(await page.locator('[data-pattern="vitamin-d-toxicity"] .detail table').count()).toBeGreaterThan(0);
    expect((await chartPoints(page, "vitamin-d")).map((p) => p.value)).toEqual([95, 180]);
    expect(problems).toEqual([]);
  });

  it("shows data-pattern=none for a normal patient and reads every page of a paged search", async () => {
    const { page } = await openServer(env.patients.normal.id);
    expect(await findings(page)).toEqual([["none", ""]]);
    expect(await chartPoints(page, "vitamin-d")).toHaveLength(24); // 20 on the first page + 4 on the next
    await screenshot(page, "open-server-normal");
  });

  it("highlights the finding named by appContext", async () => {
    const { page } = await openServer(env.patients.both.id, `&appContext=${encodeURIComponent('{"pattern":"repletion-cramp"}')}`);
    expect(sortPairs(await findings(page))).toEqual(sortPairs(expectedFindings(env.patients.both.expected)));
    expect(await page.$$eval("[data-highlighted=true]", (els) => els.map((e) => (e as HTMLElement).dataset.pattern))).toEqual(["repletion-cramp"]);
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.pattern)).toBe("repletion-cramp");
  });
});

describe("same engine as the service", () => {
  // Same findings, summaries and indicators; the uuids differ by design: the service's include its tenant (CDS client + FHIR server).
  it("shows exactly the cards the CDS Hooks service returns for the same patient", async () => {
    const patientId = env.patients.both.id;
    const hook = await fetch(`${env.service}/cds-services/vitd-patient-view`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ hook: "patient-view", hookInstance: randomUUID(), fhirServer: env.fhir, context: { userId: "Practitioner/1", patientId } }),
    });
    expect(hook.status).toBe(200);
    const { cards } = (await hook.json()) as { cards: { uuid: string; summary: string; indicator: string; source: { topic: { code: string } } }[] };
    expect(cards.length).toBeGreaterThan(0);

    const { page } = await openServer(patientId);
    const shown = await page.$$eval("article[data-pattern]", (els) =>
      els.map((e) => ({ pattern: (e as HTMLElement).dataset.pattern, summary: e.querySelector(".summary")?.textContent, indicator: (e as HTMLElement).dataset.indicator })),
    );
    expect(shown).toEqual(cards.map((c) => ({ pattern: c.source.topic.code, summary: c.summary, indicator: c.indicator })));
    expect(new Set(cards.map((c) => c.uuid)).size).toBe(cards.length);
  });
});

describe("EHR and standalone launch through the SMART authorization server", () => {
  it("completes an EHR launch with PKCE and highlights the appContext pattern from the token response", async () => {
    const before = env.auth.events.length;
    const { page, problems } = await ehrLaunch({ patient: env.patients.both.id, appContext: '{"pattern":"vitamin-d-toxicity"}' });
    expect(await page.getAttribute("body", "data-state")).toBe("ready");
    expect(sortPairs(await findings(page))).toEqual(sortPairs(expectedFindings(env.patients.both.expected)));
    expect(await page.$$eval("[data-highlighted=true]", (els) => els.map((e) => (e as HTMLElement).dataset.pattern))).toEqual(["vitamin-d-toxicity"]);
    await screenshot(page, "ehr-launch-appcontext");

    const events = env.auth.events.slice(before);
    const authorize = events.find((e) => e.type === "authorize");
    expect(authorize).toMatchObject({ clientId: "vitd-cds-e2e", launch: true, codeChallengeMethod: "S256" });
    expect(authorize?.type === "authorize" && authorize.scope.split(" ")).toEqual(expect.arrayContaining(["launch", "patient/Observation.rs", "patient/Medication.rs"]));
    expect(events).toContainEqual(expect.objectContaining({ type: "token", patient: env.patients.both.id, pkceVerified: true }));
    const fhirCalls = events.filter((e) => e.type === "fhir");
    // the referenced Medication arrives through `_include=…:medication` (the findings above depend on it)
    expect(fhirCalls.some((e) => e.type === "fhir" && e.path.startsWith("/fhir/MedicationStatement"))).toBe(true);
    expect(fhirCalls.filter((e) => e.type === "fhir" && e.status !== 200)).toEqual([]);
    expect(page.url()).not.toMatch(/[?&]code=/); // fhirclient removes the code from the address bar
    expect(problems).toEqual([]);
  });

  it("completes a standalone launch (iss only) with launch/patient", async () => {
    const before = env.auth.events.length;
    const { page } = await open(`${env.service}/smart/launch.html?iss=${encodeURIComponent(env.auth.fhirUrl)}`);
    expect(await findings(page)).toEqual(expectedFindings(env.patients.cramp.expected));
    const authorize = env.auth.events.slice(before).find((e) => e.type === "authorize");
    expect(authorize).toMatchObject({ launch: false });
    expect(authorize?.type === "authorize" && authorize.scope.split(" ")).toContain("launch/patient");
  });
});

describe("error pages", () => {
  it("explains a denied consent", async () => {
    const { page } = await ehrLaunch({ patient: env.patients.cramp.id, deny: true });
    expect(await page.getAttribute("body", "data-state")).toBe("error");
    expect(await alertText(page)).toMatch(/Access was not granted.*denied/);
    expect(await page.locator("[data-pattern]").count()).toBe(0);
    await screenshot(page, "error-consent-denied");
  });

  it("explains an expired access token (401)", async () => {
    const { page } = await ehrLaunch({ patient: env.patients.cramp.id, expiresIn: 0 });
    expect(await alertText(page)).toMatch(/Session expired.*401/);
  });

  it("explains an unreachable FHIR server (open server)", async () => {
    const down = `${await deadUrl()}/fhir`;
    const { page } = await open(`${env.service}/smart/launch.html?fhirServiceUrl=${encodeURIComponent(down)}&patientId=p1`);
    expect(await alertText(page)).toMatch(new RegExp(`FHIR server unreachable.*${down.replace(/[.:/]/g, "\\$&")}`));
    await screenshot(page, "error-fhir-down");
  });

  it("explains an unreachable FHIR server on the launch page (iss down)", async () => {
    const { page } = await open(`${env.service}/smart/launch.html?iss=${encodeURIComponent(`${await deadUrl()}/fhir`)}`);
    expect(await alertText(page)).toMatch(/unreachable|could not be reached/);
  });

  it("explains a FHIR server failing behind the authorization server (502)", async () => {
    const broken = await env.startAuth({ fhirBaseUrl: `${await deadUrl()}/fhir` });
    const { page } = await ehrLaunch({ patient: "p1" }, broken.fhirUrl);
    expect(await alertText(page)).toMatch(/FHIR server error/);
  });

  it("explains a page opened without a launch", async () => {
    const { page } = await open(`${env.service}/smart/index.html`);
    expect(await alertText(page)).toMatch(/not launched correctly/);
    const launchPage = await open(`${env.service}/smart/launch.html`);
    expect(await alertText(launchPage.page)).toMatch(/must be launched from an EHR/);
  });
});
