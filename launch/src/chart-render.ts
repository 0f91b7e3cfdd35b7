/**
 * Draws a ChartModel with Chart.js (tree-shaken, bundled): lines for lab series, a stepped line
 * for the dose, point marks for events, and a small plugin painting the reference bands and the
 * configured threshold lines. Linear time axis (epoch ms, ISO dates) — no date adapter needed.
 */
import { Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartDataset, type Plugin } from "chart.js";
import { allPoints, type ChartModel, type SeriesModel } from "./chart-model";

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip, Legend);

const SERIES_COLORS: Record<string, string> = {
  "vitd-total": "#1f5f99",
  "vitd-d3": "#2f7fbf",
  "vitd-d2": "#6a4c93",
  "vitd-metabolites": "#5c6b73",
  "calcium-total": "#1f5f99",
  "calcium-corrected": "#6a4c93",
  "calcium-corrected-computed": "#8e6cb8",
  "calcium-ionized": "#00796b",
  magnesium: "#1f5f99",
  dose: "#1f5f99",
  start: "#2e7d32",
  stop: "#b3261e",
  other: "#8a5300",
};
const TONE_COLORS = { low: "#a15c00", high: "#b3261e", critical: "#7a0b0b" } as const;
const DAY_MS = 86_400_000;

export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const LABEL_FONT_PX = 11;
const LABEL_HEIGHT = LABEL_FONT_PX + 3;

export interface LabelBox {
  x: number;
  /** Top of the label. */
  y: number;
  width: number;
  height: number;
}

const overlaps = (a: LabelBox, b: LabelBox) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/**
 * Where each threshold line's label goes, so no two overlap: just above its line at the right end;
 * else above it at the left end; else just below it (right, then left); else stacked further from
 * the line until it fits. Pure (pixel boxes in, boxes out) so the layout is testable without a canvas.
 */
export function placeThresholdLabels(
  lines: { y: number; width: number }[],
  area: { left: number; right: number; top: number; bottom: number },
): LabelBox[] {
  const placed: LabelBox[] = [];
  for (const line of lines) {
    const width = Math.min(line.width, area.right - area.left - 8);
    const right = area.right - 4 - width;
    const left = area.left + 4;
    const above = line.y - 3 - LABEL_HEIGHT;
    const below = line.y + 3;
    const candidates: LabelBox[] = [
      { x: right, y: above, width, height: LABEL_HEIGHT },
      { x: left, y: above, width, height: LABEL_HEIGHT },
      { x: right, y: below, width, height: LABEL_HEIGHT },
      { x: left, y: below, width, height: LABEL_HEIGHT },
    ];
    for (let k = 1; k <= lines.length; k++) {
      candidates.push(
        { x: right, y: above - k * LABEL_HEIGHT, width, height: LABEL_HEIGHT },
        { x: right, y: below + k * LABEL_HEIGHT, width, height: LABEL_HEIGHT },
      );
    }
    const inside = (b: LabelBox) => b.y >= area.top - LABEL_HEIGHT && b.y + b.height <= area.bottom + LABEL_HEIGHT;
    const box =
      candidates.find((b) => inside(b) && !placed.some((p) => overlaps(p, b))) ??
      candidates.find((b) => !placed.some((p) => overlaps(p, b))) ??
      candidates[0]!;
    placed.push(box);
  }
  return placed;
}

function bandsAndLines(model: ChartModel): Plugin<"line"> {
  return {
    id: `vitd-limits-${model.id}`,
    beforeDatasetsDraw(chart) {
      const { ctx, chartArea: area } = chart;
      ctx.save();
      for (const band of model.bands) {
        const scale = chart.scales[band.axis];
        if (!scale) continue;
        const top = Math.max(area.top, scale.getPixelForValue(band.to ?? scale.max));
        const bottom = Math.min(area.bottom, scale.getPixelForValue(band.from ?? scale.min));
        if (bottom <= top) continue;
        ctx.fillStyle = "rgba(46, 125, 50, 0.10)";
        ctx.fillRect(area.left, top, area.right - area.left, bottom - top);
      }
      ctx.font = `${LABEL_FONT_PX}px system-ui, sans-serif`;
      const lines = model.thresholds.flatMap((t) => {
        const scale = chart.scales[t.axis];
        if (!scale || t.value < scale.min || t.value > scale.max) return [];
        return [{ t, y: scale.getPixelForValue(t.value), width: ctx.measureText(t.label).width }];
      });
      const placed = placeThresholdLabels(lines, { left: area.left, right: area.right, top: area.top, bottom: area.bottom });
      lines.forEach(({ t, y }, i) => {
        ctx.strokeStyle = ctx.fillStyle = TONE_COLORS[t.tone];
        ctx.setLineDash(t.axis === "y2" ? [2, 3] : [6, 4]);
        ctx.lineWidth = 1;
        ctx.beginPath();
        ctx.moveTo(area.left, y);
        ctx.lineTo(area.right, y);
        ctx.stroke();
        const box = placed[i];
        if (!box) return;
        ctx.textAlign = "left";
        ctx.textBaseline = "alphabetic";
        ctx.fillText(t.label, box.x, box.y + box.height - 2);
      });
      chart.canvas.dataset["labelBoxes"] = JSON.stringify(placed);
      ctx.restore();
    },
  };
}

function dataset(s: SeriesModel): ChartDataset<"line", { x: number; y: number }[]> {
  const color = SERIES_COLORS[s.key] ?? "#1f5f99";
  return {
    label: s.label,
    data: s.points.map((p) => ({ x: p.x, y: p.value })),
    yAxisID: s.axis,
    borderColor: color,
    backgroundColor: color,
    borderWidth: 2,
    stepped: s.kind === "step" ? "before" : false,
    showLine: s.kind !== "marks",
    pointStyle: s.marker ?? "circle",
    pointRadius: s.kind === "marks" ? 7 : s.kind === "step" ? 0 : 4,
    pointHoverRadius: s.kind === "step" ? 3 : 8,
    ...(s.key === "calcium-corrected-computed" ? { borderDash: [5, 4] } : {}),
  };
}

/** Top of the y axis: the data, the band, and the next threshold above the data when it is close. */
function suggestedMax(model: ChartModel, axis: "y" | "y2"): number {
  const values = model.series.filter((s) => s.axis === axis).flatMap((s) => s.points.map((p) => p.value));
  const dataMax = Math.max(0, ...values);
  const bandTop = Math.max(0, ...model.bands.filter((b) => b.axis === axis).map((b) => b.to ?? b.from ?? 0));
  const nextLine = model.thresholds.filter((t) => t.axis === axis && t.value > dataMax && t.value <= dataMax * 1.6).map((t) => t.value);
  return Math.max(dataMax * 1.15, bandTop * 1.1, ...nextLine.map((v) => v * 1.08));
}

export function drawChart(canvas: HTMLCanvasElement, model: ChartModel, now: Date): Chart<"line", { x: number; y: number }[]> {
  const xs = allPoints(model).map((p) => p.x);
  const min = Math.min(...xs);
  const max = Math.max(now.getTime(), ...xs);
  const pad = Math.max((max - min) * 0.04, 10 * DAY_MS);
  const axisTitle = (id: string) => model.axes.find((a) => a.id === id)?.title ?? "";
  const hasY2 = model.axes.some((a) => a.id === "y2");
  return new Chart(canvas, {
    type: "line",
    data: { datasets: model.series.map(dataset) },
    plugins: [bandsAndLines(model)],
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: "nearest", intersect: false },
      scales: {
        x: { type: "linear", min: min - pad, max: max + pad, ticks: { maxTicksLimit: 6, callback: (v) => isoDay(Number(v)) } },
        y: {
          type: "linear",
          position: "left",
          min: 0,
          suggestedMax: suggestedMax(model, "y"),
          title: { display: true, text: axisTitle("y") },
        },
        ...(hasY2
          ? {
              y2: {
                type: "linear" as const,
                position: "right" as const,
                min: 0,
                suggestedMax: suggestedMax(model, "y2"),
                grid: { drawOnChartArea: false },
                title: { display: true, text: axisTitle("y2") },
              },
            }
          : {}),
      },
      plugins: {
        legend: { position: "bottom", labels: { usePointStyle: true } },
        tooltip: {
          callbacks: {
            title: (items) => (items[0] ? isoDay(items[0].parsed.x ?? 0) : ""),
            label: (item) => {
              const p = model.series[item.datasetIndex]?.points[item.dataIndex];
              return p ? `${p.series}: ${p.comparator ?? ""}${p.value} ${p.unit} — ${p.reported}` : "";
            },
          },
        },
      },
    },
  });
}
