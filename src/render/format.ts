/** Formatting of numbers, durations, doses and dates for card text (wording from cards/common.json). */
import type { Comparator } from "../fhir/facts";
import type { KeyNumber, ProductSummary } from "../rules";
import { memoizeText } from "../text-memo";
import { fill, templates, type CommonTemplates } from "./templates";

const numberFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const integerFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const decimalFormat = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 2 });

// Intl formatting costs microseconds a call; the same few values (lab results, doses, thresholds) recur.
const memo = { maxEntries: 4096, maxKeyLength: 0 };

export const formatNumber: (value: number) => string = memoizeText((value: number) => numberFormat.format(value), memo);

const formatRounded = memoizeText((value: number) => integerFormat.format(value), memo);
export function formatInteger(value: number): string {
  return formatRounded(Math.round(value));
}

/** One decimal at least (e.g. albumin "4.0"), two at most. */
export const formatDecimal: (value: number) => string = memoizeText((value: number) => decimalFormat.format(value), memo);

export function formatValue(value: number, comparator?: Comparator): string {
  return `${comparator ?? ""}${formatNumber(value)}`;
}

/** Calendar date of an ISO timestamp (YYYY-MM-DD). */
export function formatDate(iso: string): string {
  return iso.slice(0, 10);
}

export function formatDuration(days: number, c: CommonTemplates = templates.common): string {
  const d = Math.max(0, Math.floor(days));
  if (d === 1) return c.phrases.durationDay;
  if (d < 14) return fill(c.phrases.durationDays, { n: d });
  if (d < 90) return fill(c.phrases.durationWeeks, { n: Math.round(d / 7) });
  return fill(c.phrases.durationMonths, { n: Math.round(d / 30.4375) });
}

const near = (x: number, step: number, tolerance: number) => Math.abs(x - Math.round(x / step) * step) < tolerance;

/** "50,000 IU/wk" for a weekly regimen, "2,000 IU/day" for a daily one, "0.5 mcg/day" for active vitamin D. */
/** "2.5 mcg three times per week (1.07 mcg/day)" → "2.5 mcg three times per week": active vitamin D is shown by its schedule. */
const scheduleOnly = (doseText: string): string => doseText.replace(/\s*\([^)]*\/day\)\s*$/, "").trim();

export function formatProductDose(
  p: Pick<ProductSummary, "dailyIU" | "dailyMcg" | "bolusIU" | "doseUnknown"> & Partial<Pick<ProductSummary, "productClass" | "doseText">>,
  c: CommonTemplates = templates.common,
): string {
  const ph = c.phrases;
  if (p.bolusIU !== undefined) return fill(ph.doseBolus, { n: formatInteger(p.bolusIU) });
  if (p.doseUnknown) return ph.doseUnknown;
  if (p.productClass === "active" && p.doseText) return scheduleOnly(p.doseText);
  if (p.dailyIU !== null) return formatDailyIU(p.dailyIU, c);
  if (p.dailyMcg !== null) return fill(ph.doseMcgPerDay, { n: formatNumber(p.dailyMcg) });
  return ph.doseUnknown;
}

export function formatDailyIU(daily: number, c: CommonTemplates = templates.common): string {
  const ph = c.phrases;
  if (near(daily, 1, 0.01)) return fill(ph.dosePerDay, { n: formatInteger(daily) });
  const periods: [number, string][] = [
    [7, ph.dosePerWeek],
    [14, ph.dosePerTwoWeeks],
    [30, ph.dosePerMonth],
    [30.4375, ph.dosePerMonth],
  ];
  for (const [days, phrase] of periods) if (near(daily * days, 500, 0.5)) return fill(phrase, { n: formatInteger(daily * days) });
  return fill(ph.dosePerDay, { n: formatInteger(daily) });
}

function productLabel(p: ProductSummary, c: CommonTemplates): string {
  return c.ingredientLabels[p.ingredient];
}

/** The products a summary names: the current regimen, else the recently stopped products. */
export function summaryProducts(products: ProductSummary[]): ProductSummary[] {
  const current = products.filter((p) => p.current);
  return current.length > 0 ? current : products.filter((p) => p.status === "stopped" && p.stoppedDaysAgo !== undefined);
}

/** "vitamin D3 50,000 IU/wk" or "vitamin D3 50,000 IU/wk + vitamin D2 1,000 IU/day"; `short` = names only. */
export function drugPhrase(products: ProductSummary[], c: CommonTemplates = templates.common, short = false): string {
  // Names only: each ingredient once ("vitamin D3", not "vitamin D3 + vitamin D3" for two D3 products).
  if (short) return drugNames(products, c);
  const shown = summaryProducts(products);
  if (shown.length === 0) return c.ingredientLabels["vitamin-d-unspecified"];
  return shown
    .map((p) => {
      const name = productLabel(p, c);
      return p.doseUnknown && p.bolusIU === undefined ? fill(c.phrases.drugDoseUnknown, { name }) : `${name} ${formatProductDose(p, c)}`;
    })
    .join(" + ");
}

export function drugNames(products: ProductSummary[], c: CommonTemplates = templates.common): string {
  return [...new Set(summaryProducts(products).map((p) => productLabel(p, c)))].join(" + ") || c.ingredientLabels["vitamin-d-unspecified"];
}

/** Total dose of the shown products: one product keeps its own form (e.g. "50,000 IU/wk"). */
export function dosePhrase(products: ProductSummary[], dailyIU: number, c: CommonTemplates = templates.common): string {
  const all = summaryProducts(products);
  const shown = all.filter((p) => p.bolusIU === undefined);
  // Only a one-time dose: show it as such, never "0 IU/day".
  const bolus = all.find((p) => p.bolusIU !== undefined);
  if (shown.length === 0 && bolus) return formatProductDose(bolus, c);
  const [only] = shown;
  if (shown.length === 1 && only) return formatProductDose(only, c);
  if (shown.some((p) => p.doseUnknown)) return c.phrases.doseUnknown;
  return formatDailyIU(dailyIU, c);
}

export function keyPhrase(key: KeyNumber, c: CommonTemplates = templates.common, withDate = true): string {
  const text = fill(c.phrases.keyNumber, {
    label: c.roleLabels[key.role],
    value: formatValue(key.value, key.comparator),
    unit: key.unit,
    date: formatDate(key.date),
  });
  return withDate ? text : text.replace(/\s*\([^)]*\d{4}-\d{2}-\d{2}[^)]*\)/, "");
}
