/**
 * The daily-equivalent vitamin D dose over time (Facts.vitaminD) as a step line with start/stop
 * marks, plus baseline marks for what has no IU equivalent (calcifediol, active vitamin D, unknown
 * doses, one-time boluses). The line is the engine's own count (src/rules/regimen.ts
 * `nutritionalIUAt`): concurrent products add up, but a patient's statement and an order of the
 * same dose are one intake, exactly as the cards count it.
 */
import type { ClinicalConfig } from "../../src/config/clinical-config";
import type { VitaminDProduct } from "../../src/fhir/facts";
import { nutritionalIUAt } from "../../src/rules/regimen";
import type { ChartModel, ChartPoint, SeriesModel } from "./chart-model";
import { displayUnit, formatLimit, formatValue, toDisplay, type UnitSystem } from "./units";

interface Span {
  product: VitaminDProduct;
  start: number;
  end: number;
  iu: number;
}

/** Pediatric limits, when the rules used them for this patient. */
export interface DoseLimits {
  highDoseAboveIuPerDay: number;
  toxicAtLeastIuPerDay: number;
  label?: string;
}

const ms = (iso: string | undefined) => (iso === undefined ? NaN : Date.parse(iso));

function spans(products: VitaminDProduct[], nowMs: number): Span[] {
  return products.flatMap((p) => {
    const start = ms(p.start);
    const end = p.status === "active" ? Math.max(nowMs, start) : ms(p.end);
    if (p.dailyIU === null || !Number.isFinite(start) || !Number.isFinite(end) || end < start) return [];
    return [{ product: p, start, end, iu: p.dailyIU }];
  });
}

export function doseChart(
  products: VitaminDProduct[],
  config: ClinicalConfig,
  units: UnitSystem,
  now: Date,
  limits?: DoseLimits,
): ChartModel {
  const nowMs = now.getTime();
  const unit = displayUnit("dose", units);
  const all = spans(products, nowMs);
  const dailyAt = (t: number) => nutritionalIUAt(products, config, t);
  const point = (series: string, x: number, iu: number, reported: string, source: string): ChartPoint => ({
    series,
    date: new Date(x).toISOString(),
    x,
    value: toDisplay("dose", units, iu),
    unit,
    reported,
    source,
  });

  const boundaries = [...new Set(all.flatMap((s) => [s.start, s.end]))].sort((a, b) => a - b);
  const stepLabel = "Daily vitamin D";
  const steps = boundaries.map((t, i) => {
    // The line holds the current total up to "now" rather than dropping to zero there.
    const iu = i === boundaries.length - 1 && t >= nowMs ? dailyAt(t - 1) : dailyAt(t);
    return point(stepLabel, t, iu, `${formatValue("dose", "conventional", iu)} IU/day`, "total");
  });
  const starts = all.map((s) =>
    point("Start", s.start, dailyAt(s.start), `Started ${s.product.name}: ${s.product.doseText}`, s.product.id),
  );
  const stops = all
    .filter((s) => s.product.status === "stopped")
    .map((s) => point("Stop", s.end, dailyAt(s.end - 1), `Stopped ${s.product.name}`, s.product.id));
  const plotted = new Set(all.map((s) => s.product.id));
  const others = products
    .filter((p) => !plotted.has(p.id) && Number.isFinite(ms(p.start)))
    .map((p) => point("No IU equivalent / bolus", ms(p.start), 0, `${p.name}: ${p.doseText}`, p.id));
  const undated = products.filter((p) => !plotted.has(p.id) && !Number.isFinite(ms(p.start)));

  const series: SeriesModel[] = [
    { key: "dose", label: stepLabel, quantity: "dose", axis: "y", kind: "step", points: steps },
    { key: "start", label: "Start", quantity: "dose", axis: "y", kind: "marks", marker: "triangle", points: starts },
    { key: "stop", label: "Stop", quantity: "dose", axis: "y", kind: "marks", marker: "crossRot", points: stops },
    { key: "other", label: "No IU equivalent / bolus", quantity: "dose", axis: "y", kind: "marks", marker: "rectRot", points: others },
  ];
  const high = limits?.highDoseAboveIuPerDay ?? config.dose.highDoseAboveIuPerDay;
  const toxic = limits?.toxicAtLeastIuPerDay ?? config.dose.toxicAtLeastIuPerDay;
  const fmt = (iu: number) => `${formatLimit("dose", units, toDisplay("dose", units, iu))} ${unit}`;
  return {
    id: "dose",
    title: "Vitamin D intake (daily equivalent)",
    units,
    axes: [{ id: "y", unit, title: `Daily equivalent (${unit})` }],
    series: series.filter((s) => s.points.length > 0),
    bands: [],
    thresholds: [
      { axis: "y", value: toDisplay("dose", units, high), label: `High dose > ${fmt(high)}`, tone: "high" },
      { axis: "y", value: toDisplay("dose", units, toxic), label: `Toxic intake ≥ ${fmt(toxic)}`, tone: "critical" },
    ],
    notes: [
      ...(limits?.label ? [`Pediatric limits used (${limits.label}).`] : []),
      ...undated.map((p) => `${p.name}: ${p.doseText} — start date unknown, not plotted.`),
    ],
    emptyText: "No vitamin D products in the record.",
  };
}
