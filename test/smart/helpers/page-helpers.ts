/** Small helpers over a Playwright page for the SMART app e2e tests (the DOM hooks of launch/README.md). */
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { ARTIFACTS } from "./e2e-env";

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught exceptions (CSP violations show up here). */
  problems: string[];
}

export async function openApp(browser: Browser, url: string): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  await page.waitForSelector("body[data-state=ready], body[data-state=error]", { timeout: 20_000 });
  return { page, context, problems };
}

/** [pattern, indicator] of every finding element, in page order. */
export function findings(page: Page): Promise<[string, string][]> {
  return page.$$eval("[data-pattern]", (els) =>
    els.map((e) => [(e as HTMLElement).dataset.pattern ?? "", (e as HTMLElement).dataset.indicator ?? ""] as [string, string]),
  );
}

export interface PagePoint {
  series: string;
  date: string;
  value: number;
  unit: string;
  comparator?: string;
  source: string;
}

export async function chartPoints(page: Page, chart: string): Promise<PagePoint[]> {
  const raw = await page.getAttribute(`[data-chart="${chart}"]`, "data-points");
  return JSON.parse(raw ?? "null") as PagePoint[];
}

/** Number of painted (non-transparent) pixels of the chart's canvas: 0 means nothing was drawn. */
export function paintedPixels(page: Page, chart: string): Promise<number> {
  return page.$eval(`[data-chart="${chart}"] canvas`, (el) => {
    const canvas = el as HTMLCanvasElement;
    const data = canvas.getContext("2d")?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) painted++;
    return painted;
  });
}

export async function alertText(page: Page): Promise<string> {
  return (await page.locator('[role="alert"]').first().innerText()).replace(/\s+/g, " ");
}

export function screenshot(page: Page, name: string): Promise<Buffer> {
  return page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
