/** The data behind one chart (and its accessible table), already in display units. Pure data, no DOM. */
import type { Comparator } from "../../src/fhir/facts";
import type { Quantity, UnitSystem } from "./units";

export type ChartId = "vitamin-d" | "calcium" | "magnesium" | "dose";
export type AxisId = "y" | "y2";

export interface ChartPoint {
  series: string;
  /** ISO date-time of the result / event. */
  date: string;
  /** Epoch ms (the x value). */
  x: number;
  /** In the chart's display unit for this series. */
  value: number;
  unit: string;
  comparator?: Comparator;
  /** As reported, or a description of the event (dose marks). */
  reported: string;
  /** Source resource, e.g. "Observation/12". */
  source: string;
}

export interface SeriesModel {
  key: string;
  label: string;
  quantity: Quantity;
  axis: AxisId;
  kind: "line" | "step" | "marks";
  /** Point shape for marks (Chart.js pointStyle). */
  marker?: "triangle" | "crossRot" | "rectRot" | "circle";
  points: ChartPoint[];
}

export interface Band {
  axis: AxisId;
  from?: number;
  to?: number;
  label: string;
}

export interface Threshold {
  axis: AxisId;
  value: number;
  label: string;
  tone: "low" | "high" | "critical";
}

export interface AxisModel {
  id: AxisId;
  unit: string;
  title: string;
}

export interface ChartModel {
  id: ChartId;
  title: string;
  units: UnitSystem;
  axes: AxisModel[];
  series: SeriesModel[];
  bands: Band[];
  thresholds: Threshold[];
  /** Things shown beside the chart: what could not be plotted, which limits apply. */
  notes: string[];
  emptyText: string;
}

/** Every plotted point, in series order (what `data-points` exposes). */
export function allPoints(model: ChartModel): ChartPoint[] {
  return model.series.flatMap((s) => s.points);
}
