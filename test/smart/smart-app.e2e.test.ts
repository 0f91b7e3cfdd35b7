/**
 * The SMART app end to end in headless Debian Chromium: open-server, EHR and standalone launches
 * through a real FHIR server and the local SMART authorization server; findings, charts, units (and
 * the saved unit preference across a reload), the dose chart counted as the engine counts it,
 * appContext highlighting, a 420 px screen, the icon and the error pages. Screenshots go to
 * test-artifacts/smart/; the README's (docs/images/) are taken here too.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { FhirResource } from "fhir/r4";
import type { LaunchContext } from "../../sandbox/smart-auth";
import { ARTIFACTS as ARTIFACTS_DIR, deadUrl, startE2eEnv, type E2eEnv } from "./helpers/e2e-env";
import { alertText, chartPoints, findings, openApp, paintedPixels, screenshot, type OpenedPage } from "./helpers/page-helpers";
import { daysAgo } from "./helpers/patients";
import { defaultClinicalConfig } from "../../src/config/clinical-config";
import { groupResources } from "../../src/fhir/group-resources";
import { normalizeFacts } from "../../src/fhir/normalize";
import { buildRegimen, sumIU } from "../../src/rules/regimen";

const DOC_IMAGES = resolve(__dirname, "..", "..", "docs", "images");

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
  Object.keys(expected).length === 0
    ? [["none", ""]]
    : Object.entries(expected).sort(([, a], [, b]) => (a === "critical" ? -1 : b === "critical" ? 1 : 0));
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
    expect((await chartPoints(page, "vitamin-d")).map((p) => [p.value, p.unit])).toEqual([[34.9441, "nmol/L"]]); // 14 × 1000/400.64
    expect((await chartPoints(page, "magnesium")).map((p) => [p.value, p.unit])).toEqual([
      [0.7817, "mmol/L"], // 1.9 × 10/24.305
      [0.576, "mmol/L"], // 1.4 × 10/24.305
    ]);
    expect((await chartPoints(page, "calcium"))[0]).toMatchObject({ value: 2.2955, unit: "mmol/L" }); // 9.2 × 10/40.078
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
    expect(await page.$$eval("[data-highlighted=true]", (els) => els.map((e) => (e as HTMLElement).dataset.pattern))).toEqual([
      "repletion-cramp",
    ]);
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.pattern)).toBe("repletion-cramp");
  });
});

describe("for the people who use it", () => {
  it("keeps the unit preference across a page reload", async () => {
    const { page, problems } = await openServer(env.patients.cramp.id);
    expect(await page.getAttribute("body", "data-units")).toBe("conventional");
    await page.check('input[name="units"][value="si"]');
    await page.waitForSelector("body[data-units=si]");
    await page.reload();
    await page.waitForSelector("body[data-state=ready]");
    expect(await page.getAttribute("body", "data-units")).toBe("si");
    expect(await page.isChecked('input[name="units"][value="si"]')).toBe(true);
    expect((await chartPoints(page, "vitamin-d"))[0]?.unit).toBe("nmol/L");
    expect(problems).toEqual([]);
  });

  it("charts the daily dose the engine counts: a reported and an ordered 3,000 IU/day are one intake", async () => {
    const patient = env.patients.twice;
    const { page } = await openServer(patient.id);
    const resources = (patient.bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource as FhirResource] : []));
    const facts = normalizeFacts(groupResources(resources, { patientId: patient.id, draftOrders: [] }));
    const engine = sumIU(buildRegimen(facts.vitaminD, defaultClinicalConfig, Date.now()).current);
    expect(engine).toBe(3000);
    const steps = (await chartPoints(page, "dose")).filter((p) => p.series === "Daily vitamin D");
    expect(steps.map((p) => Math.round(p.value))).toEqual([3000, 3000, 3000]); // statement start, order start, now
    expect(Math.round(steps.at(-1)!.value)).toBe(engine);
    expect(await findings(page)).toEqual([["none", ""]]);
  });

  it("fits a 420 px screen: no sideways scrolling, dates on one line, threshold labels apart", async () => {
    const context = await env.browser.newContext({ viewport: { width: 420, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(`${env.service}/smart/launch.html?fhirServiceUrl=${encodeURIComponent(env.fhir)}&patientId=${env.patients.toxic.id}`);
      await page.waitForSelector("body[data-state=ready]");
      for (const d of await page.$$("details.table-view")) await d.evaluate((el) => ((el as HTMLDetailsElement).open = true));
      const wide = await page.evaluate(() =>
        Array.from(document.querySelectorAll("body *"))
          .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5 && !e.closest(".table-scroll"))
          .map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
      );
      expect(wide).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
      const wrapped = await page.$$eval("td.date", (cells) =>
        cells
          .filter((td) => {
            const range = document.createRange();
            range.selectNodeContents(td);
            const lines = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
            return lines.size > 1;
          })
          .map((td) => td.textContent),
      );
      expect(await page.locator("td.date").count()).toBeGreaterThan(5);
      expect(wrapped).toEqual([]);
      const boxes = await page.$$eval("[data-chart] canvas", (canvases) =>
        canvases.map(
          (c) =>
            JSON.parse((c as HTMLCanvasElement).dataset["labelBoxes"] ?? "[]") as { x: number; y: number; width: number; height: number }[],
        ),
      );
      for (const chart of boxes) {
        for (const [i, a] of chart.entries()) {
          for (const b of chart.slice(i + 1))
            expect(a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height).toBe(false);
        }
      }
      await page.screenshot({ path: join(ARTIFACTS_DIR, "narrow-420.png"), fullPage: true });
    } finally {
      await context.close();
    }
  });

  it("serves its icon at /favicon.ico and /smart/favicon.ico", async () => {
    for (const path of ["/favicon.ico", "/smart/favicon.ico"]) {
      const res = await fetch(`${env.service}${path}`);
      expect([path, res.status, res.headers.get("content-type")]).toEqual([path, 200, "image/x-icon"]);
    }
  });

  it("takes the README screenshots", async () => {
    mkdirSync(DOC_IMAGES, { recursive: true });
    const { page } = await openServer(env.patients.both.id, `&appContext=${encodeURIComponent('{"pattern":"vitamin-d-toxicity"}')}`);
    await page.screenshot({ path: join(DOC_IMAGES, "smart-app.png"), fullPage: false });
    await page.locator("#trends-section").scrollIntoViewIfNeeded();
    await page.locator("#trends-section").screenshot({ path: join(DOC_IMAGES, "smart-app-trends.png") });
  });
});

describe("same engine as the service", () => {
  // Same findings, summaries and indicators; the uuids differ by design: the service's include its tenant (CDS client + FHIR server).
  it("shows exactly the cards the CDS Hooks service returns for the same patient", async () => {
    const patientId = env.patients.both.id;
    const hook = await fetch(`${env.service}/cds-services/vitd-patient-view`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        hook: "patient-view",
        hookInstance: randomUUID(),
        fhirServer: env.fhir,
        context: { userId: "Practitioner/1", patientId },
      }),
    });
    expect(hook.status).toBe(200);
    const { cards } = (await hook.json()) as {
      cards: { uuid: string; summary: string; indicator: string; source: { topic: { code: string } } }[];
    };
    expect(cards.length).toBeGreaterThan(0);

    const { page } = await openServer(patientId);
    const shown = await page.$$eval("article[data-pattern]", (els) =>
      els.map((e) => ({
        pattern: (e as HTMLElement).dataset.pattern,
        summary: e.querySelector(".summary")?.textContent,
        indicator: (e as HTMLElement).dataset.indicator,
      })),
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
    expect(await page.$$eval("[data-highlighted=true]", (els) => els.map((e) => (e as HTMLElement).dataset.pattern))).toEqual([
      "vitamin-d-toxicity",
    ]);
    await screenshot(page, "ehr-launch-appcontext");

    const events = env.auth.events.slice(before);
    const authorize = events.find((e) => e.type === "authorize");
    expect(authorize).toMatchObject({ clientId: "vitd-cds-e2e", launch: true, codeChallengeMethod: "S256" });
    expect(authorize?.type === "authorize" && authorize.scope.split(" ")).toEqual(
      expect.arrayContaining(["launch", "patient/Observation.rs", "patient/Medication.rs"]),
    );
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
