/**
 * One chart block: `<section data-chart="…" data-points='[…]'>` with the canvas (role="img" and a
 * text summary), the limits in words, notes, and a table view of the same points.
 */
import type { Chart } from "chart.js";
import { allPoints, type ChartModel, type ChartPoint } from "./chart-model";
import { drawChart, isoDay } from "./chart-render";
import { h } from "./dom";
import { formatValue } from "./units";

function valueText(model: ChartModel, p: ChartPoint): string {
  const q = model.series.find((s) => s.label === p.series)?.quantity ?? "dose";
  return `${p.comparator ?? ""}${formatValue(q, model.units, p.value)} ${p.unit}`;
}

export function dataTable(model: ChartModel): HTMLTableElement {
  const rows = allPoints(model)
    .slice()
    .sort((a, b) => a.x - b.x);
  return h(
    "table",
    { class: "data" },
    h("caption", {}, `${model.title}: all values`),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ["Date", "Series", "Value", "As reported / event"].map((c) => h("th", { scope: "col" }, c)),
      ),
    ),
    h(
      "tbody",
      {},
      rows.length === 0
        ? h("tr", {}, h("td", { colspan: 4 }, model.emptyText))
        : rows.map((p) =>
            h(
              "tr",
              {},
              h("td", { class: "date" }, isoDay(p.x)),
              h("td", {}, p.series),
              h("td", { class: "num" }, valueText(model, p)),
              h("td", {}, p.reported),
            ),
          ),
    ),
  );
}

function describe(model: ChartModel): string {
  const parts = model.series
    .filter((s) => s.kind !== "marks")
    .map((s) => {
      const last = s.points[s.points.length - 1];
      return last
        ? `${s.label}: ${s.points.length} values, latest ${last.comparator ?? ""}${last.value} ${last.unit} on ${isoDay(last.x)}`
        : "";
    })
    .filter(Boolean);
  return `${model.title} chart. ${parts.join("; ")}. The same data is in the table view.`;
}

/** Builds the section; call `draw()` once it is in the document (Chart.js sizes from the layout). */
export function chartSection(model: ChartModel, now: Date): { section: HTMLElement; draw: () => Chart | undefined } {
  const points = allPoints(model);
  const titleId = `chart-${model.id}-title`;
  const canvas = points.length > 0 ? h("canvas", { role: "img", "aria-label": describe(model) }) : undefined;
  const section = h(
    "section",
    {
      class: "chart-card",
      "data-chart": model.id,
      "data-unit": model.axes[0]?.unit ?? "",
      "data-points": JSON.stringify(
        points.map(({ series, date, value, unit, comparator, source }) => ({ series, date, value, unit, comparator, source })),
      ),
      "aria-labelledby": titleId,
    },
    h("h3", { id: titleId }, model.title),
    canvas ? h("div", { class: "chart-canvas" }, canvas) : h("p", { class: "empty" }, model.emptyText),
    h(
      "ul",
      { class: "limits", "aria-label": "Limits" },
      model.thresholds.map((t) => h("li", { class: `tone-${t.tone}` }, t.label)),
    ),
    model.notes.map((n) => h("p", { class: "note" }, n)),
    h("details", { class: "table-view" }, h("summary", {}, "Table view"), h("div", { class: "table-scroll" }, dataTable(model))),
  );
  return { section, draw: () => (canvas ? drawChart(canvas, model, now) : undefined) };
}
