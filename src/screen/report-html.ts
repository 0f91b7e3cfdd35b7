/**
 * report.html: one self-contained page — counts by pattern and indicator, two bar charts drawn here as
 * inline SVG, the problems found in the input, and the worklist as a table sortable by any column.
 * Nothing from the data becomes markup: every value is HTML-escaped; the page loads nothing (a
 * Content-Security-Policy allows only its own inline style and script, pinned by their SHA-256).
 */
import { createHash } from "node:crypto";
import { REASONS, type Reason } from "./stage-sql";

export interface WorklistRow {
  patient: string;
  pattern: string;
  indicator: string;
  summary: string;
}

export interface ReportData {
  now: string;
  shard?: string;
  source: string;
  inputFiles: string[];
  patients: number;
  patientsWithCards: number;
  cards: number;
  /** pattern → indicator → cards */
  counts: Record<string, Record<string, number>>;
  unusable: { total: number; byReason: Partial<Record<Reason, number>>; first: { file: string; line: number; reason: Reason }[] };
  otherTypes: Record<string, number>;
  notUsedResources: number;
  rows: WorklistRow[];
  /** Rows in the worklist (the table may show fewer). */
  totalRows: number;
}

export const INDICATORS = ["critical", "warning", "info"] as const;
const COLORS: Record<string, string> = { critical: "#b3261e", warning: "#b26a00", info: "#1f5fa8" };

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}

const fmt = (n: number): string => n.toLocaleString("en-US");

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1d1d1f;max-width:1200px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.meta{color:#555;margin:0 0 16px}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer}
th[aria-sort=ascending] button::after{content:" \\25B2"}th[aria-sort=descending] button::after{content:" \\25BC"}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.critical{color:#b3261e;font-weight:600}.warning{color:#b26a00;font-weight:600}.info{color:#1f5fa8}
.charts{display:flex;flex-wrap:wrap;gap:24px}.note{color:#555}
`;

const SCRIPT = `
(function(){
  var rank={critical:2,warning:1,info:0};
  document.querySelectorAll("table.sortable").forEach(function(table){
    var heads=table.querySelectorAll("th");
    heads.forEach(function(th,col){
      var button=th.querySelector("button"); if(!button) return;
      button.addEventListener("click",function(){
        var asc=th.getAttribute("aria-sort")!=="ascending";
        heads.forEach(function(h){h.removeAttribute("aria-sort");});
        th.setAttribute("aria-sort",asc?"ascending":"descending");
        var body=table.tBodies[0]; var rows=Array.prototype.slice.call(body.rows);
        var key=function(r){var t=r.cells[col].textContent; return th.dataset.kind==="indicator"?String(rank[t]):t;};
        rows.sort(function(a,b){var x=key(a),y=key(b); return (x<y?-1:x>y?1:0)*(asc?1:-1);});
        rows.forEach(function(r){body.appendChild(r);});
      });
    });
  });
})();
`;

const sha256 = (text: string): string => createHash("sha256").update(text, "utf8").digest("base64");

/** Horizontal bar chart, one bar per label, stacked by indicator. */
function barChart(title: string, bars: { label: string; parts: { indicator: string; value: number }[] }[]): string {
  const width = 520;
  const labelWidth = 170;
  const barHeight = 22;
  const gap = 10;
  const max = Math.max(1, ...bars.map((b) => b.parts.reduce((s, p) => s + p.value, 0)));
  const plot = width - labelWidth - 70;
  const height = 30 + bars.length * (barHeight + gap) + 24;
  const rows = bars.map((b, i) => {
    const y = 30 + i * (barHeight + gap);
    let x = labelWidth;
    const segments = b.parts
      .filter((p) => p.value > 0)
      .map((p) => {
        const w = Math.max(1, (p.value / max) * plot);
        const rect = `<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" fill="${COLORS[p.indicator] ?? "#777"}"><title>${escapeHtml(`${b.label} ${p.indicator}: ${fmt(p.value)}`)}</title></rect>`;
        x += w;
        return rect;
      })
      .join("");
    const total = b.parts.reduce((s, p) => s + p.value, 0);
    return `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end" font-size="13">${escapeHtml(b.label)}</text>${segments}<text x="${(x + 6).toFixed(1)}" y="${y + 15}" font-size="13">${fmt(total)}</text>`;
  });
  const legend = INDICATORS.map(
    (ind, i) =>
      `<rect x="${labelWidth + i * 100}" y="${height - 16}" width="12" height="12" fill="${COLORS[ind]}"/><text x="${labelWidth + i * 100 + 16}" y="${height - 6}" font-size="12">${ind}</text>`,
  ).join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" aria-label="${escapeHtml(title)}"><text x="0" y="16" font-size="14" font-weight="600">${escapeHtml(title)}</text>${rows.join("")}${legend}</svg>`;
}

export function renderReport(d: ReportData): string {
  const patterns = Object.keys(d.counts).sort();
  const countRows = patterns
    .map((p) => {
      const c = d.counts[p] ?? {};
      const total = INDICATORS.reduce((s, i) => s + (c[i] ?? 0), 0);
      return `<tr><td>${escapeHtml(p)}</td>${INDICATORS.map((i) => `<td class="n">${fmt(c[i] ?? 0)}</td>`).join("")}<td class="n">${fmt(total)}</td></tr>`;
    })
    .join("");
  const byPattern = barChart(
    "Cards by pattern",
    patterns.map((p) => ({ label: p, parts: INDICATORS.map((i) => ({ indicator: i, value: d.counts[p]?.[i] ?? 0 })) })),
  );
  const byIndicator = barChart(
    "Cards by indicator",
    INDICATORS.map((i) => ({ label: i, parts: [{ indicator: i, value: patterns.reduce((s, p) => s + (d.counts[p]?.[i] ?? 0), 0) }] })),
  );
  const problems =
    d.unusable.total === 0
      ? `<p>Every line of the input was readable.</p>`
      : `<p>${fmt(d.unusable.total)} line(s) could not be used and were skipped (the full list is <code>input-problems.csv</code>):</p>
<table><thead><tr><th>problem</th><th>lines</th></tr></thead><tbody>${Object.entries(d.unusable.byReason)
          .map(([r, n]) => `<tr><td>${escapeHtml(REASONS[r as Reason] ?? r)}</td><td class="n">${fmt(n)}</td></tr>`)
          .join("")}</tbody></table>
<table><thead><tr><th>file</th><th>line</th><th>problem</th></tr></thead><tbody>${d.unusable.first
          .map(
            (u) =>
              `<tr><td>${escapeHtml(u.file)}</td><td class="n">${fmt(u.line)}</td><td>${escapeHtml(REASONS[u.reason] ?? u.reason)}</td></tr>`,
          )
          .join("")}</tbody></table>`;
  const others = Object.entries(d.otherTypes);
  const otherText =
    others.length === 0
      ? ""
      : `<p class="note">Not screened (other resource types): ${others.map(([t, n]) => `${escapeHtml(t)} ${fmt(n)}`).join(", ")}.</p>`;
  const notUsed =
    d.notUsedResources > 0
      ? `<p class="note">${fmt(d.notUsedResources)} resource(s) could not be read and were left out of their patient's evaluation (as the service does).</p>`
      : "";
  const table = d.rows
    .map(
      (r) =>
        `<tr><td>${escapeHtml(r.patient)}</td><td>${escapeHtml(r.pattern)}</td><td class="${escapeHtml(r.indicator)}">${escapeHtml(r.indicator)}</td><td>${escapeHtml(r.summary)}</td></tr>`,
    )
    .join("\n");
  const shown =
    d.rows.length < d.totalRows
      ? `<p class="note">The first ${fmt(d.rows.length)} of ${fmt(d.totalRows)} rows; all of them are in <code>worklist.csv</code>.</p>`
      : "";
  const csp = `default-src 'none'; style-src 'sha256-${sha256(STYLE)}'; script-src 'sha256-${sha256(SCRIPT)}'; img-src 'none'; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>vitd-cds screening report</title>
<style>${STYLE}</style>
</head>
<body>
<h1>vitd-cds population screening</h1>
<p class="meta">Evaluated as of ${escapeHtml(d.now)}${d.shard ? ` · ${escapeHtml(d.shard)}` : ""} · source: ${escapeHtml(d.source)} · ${fmt(d.inputFiles.length)} input file(s)</p>
<p>${fmt(d.patients)} patients screened; ${fmt(d.patientsWithCards)} with at least one card; ${fmt(d.cards)} cards.</p>
<h2>Cards by pattern and indicator</h2>
<table><thead><tr><th>pattern</th>${INDICATORS.map((i) => `<th>${i}</th>`).join("")}<th>total</th></tr></thead><tbody>${countRows || `<tr><td colspan="5">No cards.</td></tr>`}</tbody></table>
<div class="charts">${byPattern}${byIndicator}</div>
<h2>Input</h2>
${problems}
${otherText}
${notUsed}
<h2>Worklist</h2>
${shown}
<table class="sortable"><thead><tr><th><button type="button">patient</button></th><th><button type="button">pattern</button></th><th data-kind="indicator"><button type="button">indicator</button></th><th><button type="button">summary</button></th></tr></thead>
<tbody>
${table}
</tbody></table>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
