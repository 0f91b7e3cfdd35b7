/**
 * Chart models for 25(OH)D, calcium (total, corrected, ionized) and magnesium from Facts.labs,
 * with the reference bands and thresholds of the effective clinical configuration.
 */
import type { ClinicalConfig } from "../../src/config/clinical-config";
import type { Facts, LabKind, LabResult } from "../../src/fhir/facts";
import type { AxisId, Band, ChartModel, SeriesModel, Threshold } from "./chart-model";
import { correctedCalciumSeries } from "./corrected-calcium";
import { displayUnit, formatLimit, toDisplay, type Quantity, type UnitSystem } from "./units";

interface SeriesSpec {
  key: string;
  label: string;
  kinds: LabKind[];
  quantity: Quantity;
  axis: AxisId;
}

export const LAB_SERIES: Record<"vitamin-d" | "calcium" | "magnesium", SeriesSpec[]> = {
  "vitamin-d": [
    { key: "vitd-total", label: "25(OH)D total", kinds: ["vitd-total"], quantity: "vitamin-d", axis: "y" },
    { key: "vitd-d3", label: "25(OH)D3", kinds: ["vitd-d3"], quantity: "vitamin-d", axis: "y" },
    { key: "vitd-d2", label: "25(OH)D2 / unspecified", kinds: ["vitd-d2-or-unspecified"], quantity: "vitamin-d", axis: "y" },
    { key: "vitd-metabolites", label: "Vitamin D + metabolites", kinds: ["vitd-metabolites"], quantity: "vitamin-d", axis: "y" },
  ],
  calcium: [
    { key: "calcium-total", label: "Calcium, total", kinds: ["calcium-total"], quantity: "calcium", axis: "y" },
    { key: "calcium-corrected", label: "Calcium, corrected (lab)", kinds: ["calcium-corrected"], quantity: "calcium", axis: "y" },
    { key: "calcium-ionized", label: "Calcium, ionized", kinds: ["calcium-ionized"], quantity: "calcium-ionized", axis: "y2" },
  ],
  magnesium: [{ key: "magnesium", label: "Magnesium", kinds: ["magnesium"], quantity: "magnesium", axis: "y" }],
};

function labSeries(spec: SeriesSpec, labs: LabResult[], units: UnitSystem): SeriesModel {
  const unit = displayUnit(spec.quantity, units);
  const points = labs
    .filter((l) => spec.kinds.includes(l.kind))
    .map((l) => ({
      series: spec.label,
      date: l.date,
      x: Date.parse(l.date),
      value: toDisplay(spec.quantity, units, l.value),
      unit,
      ...(l.comparator ? { comparator: l.comparator } : {}),
      reported: `${l.original.value} ${l.original.unit}`.trim(),
      source: l.id,
    }))
    .filter((p) => Number.isFinite(p.x))
    .sort((a, b) => a.x - b.x);
  return { key: spec.key, label: spec.label, quantity: spec.quantity, axis: spec.axis, kind: "line", points };
}

/** A threshold from the config, converted, with its label in display units. */
function line(
  q: Quantity,
  units: UnitSystem,
  axis: AxisId,
  canonical: number,
  text: string,
  op: string,
  tone: Threshold["tone"],
): Threshold {
  const value = toDisplay(q, units, canonical);
  return { axis, value, label: `${text} ${op} ${formatLimit(q, units, value)} ${displayUnit(q, units)}`, tone };
}

export function vitaminDChart(labs: LabResult[], config: ClinicalConfig, units: UnitSystem): ChartModel {
  const v = config.vitaminD;
  const q: Quantity = "vitamin-d";
  const band: Band = {
    axis: "y",
    from: toDisplay(q, units, v.deficientBelowNgMl),
    to: toDisplay(q, units, v.highAboveNgMl),
    label: "Sufficient",
  };
  return {
    id: "vitamin-d",
    title: "25-hydroxyvitamin D",
    units,
    axes: [{ id: "y", unit: displayUnit(q, units), title: `25(OH)D (${displayUnit(q, units)})` }],
    series: LAB_SERIES["vitamin-d"].map((s) => labSeries(s, labs, units)).filter((s) => s.points.length > 0),
    bands: [band],
    thresholds: [
      line(q, units, "y", v.severeDeficientBelowNgMl, "Severely deficient", "<", "critical"),
      line(q, units, "y", v.deficientBelowNgMl, "Deficient", "<", "low"),
      line(q, units, "y", v.highAboveNgMl, "High", ">", "high"),
      line(q, units, "y", v.toxicAboveNgMl, "Toxic", ">", "critical"),
    ],
    notes: [],
    emptyText: "No 25(OH)D results in the record.",
  };
}

export function calciumChart(facts: Facts, config: ClinicalConfig, units: UnitSystem): ChartModel {
  const c = config.calcium;
  const computed = correctedCalciumSeries(facts, config, units);
  const series = [...LAB_SERIES.calcium.map((s) => labSeries(s, facts.labs, units)), computed].filter((s) => s.points.length > 0);
  const hasIonized = series.some((s) => s.axis === "y2");
  return {
    id: "calcium",
    title: "Calcium",
    units,
    axes: [
      { id: "y", unit: displayUnit("calcium", units), title: `Total / corrected (${displayUnit("calcium", units)})` },
      ...(hasIonized
        ? [{ id: "y2" as const, unit: displayUnit("calcium-ionized", units), title: `Ionized (${displayUnit("calcium-ionized", units)})` }]
        : []),
    ],
    series,
    bands: [
      {
        axis: "y",
        from: toDisplay("calcium", units, c.lowBelowMgDl),
        to: toDisplay("calcium", units, c.highAboveMgDl),
        label: "Normal (total)",
      },
    ],
    thresholds: [
      line("calcium", units, "y", c.lowBelowMgDl, "Low", "<", "low"),
      line("calcium", units, "y", c.highAboveMgDl, "High", ">", "high"),
      line("calcium", units, "y", c.moderateAtLeastMgDl, "Moderate", "≥", "critical"),
      line("calcium", units, "y", c.severeAtLeastMgDl, "Severe", "≥", "critical"),
      ...(hasIonized
        ? [
            line("calcium-ionized", units, "y2", c.ionizedLowBelowMmolL, "Ionized low", "<", "low"),
            line("calcium-ionized", units, "y2", c.ionizedHighAboveMmolL, "Ionized high", ">", "high"),
          ]
        : []),
    ],
    notes:
      computed.points.length > 0
        ? [
            `Corrected calcium = Ca + ${c.correction.factor} × (${c.correction.referenceAlbuminGdl} − albumin g/dL), albumin within ${c.correction.albuminWithinDays} days.`,
          ]
        : [],
    emptyText: "No calcium results in the record.",
  };
}

export function magnesiumChart(labs: LabResult[], config: ClinicalConfig, units: UnitSystem): ChartModel {
  const m = config.magnesium;
  const q: Quantity = "magnesium";
  const latestHigh = labs.find((l) => l.kind === "magnesium" && l.referenceRange?.high !== undefined)?.referenceRange?.high;
  return {
    id: "magnesium",
    title: "Magnesium",
    units,
    axes: [{ id: "y", unit: displayUnit(q, units), title: `Magnesium (${displayUnit(q, units)})` }],
    series: LAB_SERIES.magnesium.map((s) => labSeries(s, labs, units)).filter((s) => s.points.length > 0),
    bands: [
      {
        axis: "y",
        from: toDisplay(q, units, m.lowBelowMgDl),
        ...(latestHigh !== undefined ? { to: toDisplay(q, units, latestHigh) } : {}),
        label: latestHigh !== undefined ? "Reference range" : "Not low",
      },
    ],
    thresholds: [line(q, units, "y", m.severeBelowMgDl, "Severe", "<", "critical"), line(q, units, "y", m.lowBelowMgDl, "Low", "<", "low")],
    notes: ["A normal serum magnesium does not rule out depletion (serum holds < 1% of body magnesium)."],
    emptyText: "No magnesium results in the record.",
  };
}
