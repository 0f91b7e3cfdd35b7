/**
 * Card detail (GitHub-flavoured markdown): headline and advice, flags and notes, the evidence
 * table (value + date, reported value/unit, converted value, rule), the vitamin D products,
 * modifiers, what was missing, text-only actions, the physiology and the closing advice.
 */
import type { EvidenceRow, Finding, ProductSummary } from "../rules";
import { formatDate, formatDecimal, formatDuration, formatNumber, formatProductDose, formatValue } from "./format";
import { inertMarkdown, inertValues } from "./inert-markdown";
import { summaryVars } from "./summary";
import { fill, type CommonTemplates, type PatternTemplates, type RuleTemplate } from "./templates";

/** A table cell: one line, pipes escaped (data in it is already inert, its pipes escaped once). */
function cell(text: string): string {
  const pipes = text.includes("|") ? text.replace(/(?<!\\)\|/g, "\\|") : text;
  return pipes.includes("\n") ? pipes.replace(/\s*\n\s*/g, " ") : pipes;
}

function reported(row: EvidenceRow, c: CommonTemplates): string {
  const parts = [inertMarkdown(`${row.original.value} ${row.original.unit}`)];
  const d = row.derivation;
  if (d?.kind === "corrected-calcium")
    parts.push(
      fill(c.detail.correctedFormula, {
        calcium: formatNumber(d.calcium),
        factor: formatNumber(d.factor),
        reference: formatDecimal(d.referenceAlbumin),
        albumin: formatDecimal(d.albumin),
      }),
    );
  if (d?.kind === "vitamin-d-sum")
    parts.push(
      fill(c.detail.sumFormula, {
        parts: d.parts.map((p) => `${inertMarkdown(p.code)} ${formatValue(p.value, p.comparator)}`).join(" + "),
      }),
    );
  const rr = row.referenceRange;
  if (rr) {
    const range = rr.text ?? [rr.low, rr.high].map((v) => (v === undefined ? "" : formatNumber(v))).join("–");
    if (range) parts.push(fill(c.detail.referenceRange, { range: inertMarkdown(range) }));
  }
  if (row.interpretation) parts.push(inertMarkdown(row.interpretation));
  return parts.join("; ");
}

function productStatus(p: ProductSummary, c: CommonTemplates): string {
  if (p.source === "draft-order") return c.detail.statusDraft;
  if (p.status === "active" && !p.current) return c.detail.statusReplaced;
  if (p.status === "stopped")
    return p.stoppedDaysAgo !== undefined
      ? fill(c.detail.statusStopped, { duration: formatDuration(p.stoppedDaysAgo, c) })
      : c.detail.statusStoppedUnknown;
  return p.startDaysAgo !== undefined
    ? `${c.detail.statusActive}, ${fill(c.detail.startedLine, { duration: formatDuration(p.startDaysAgo, c) })}`
    : c.detail.statusActive;
}

/** The product's start date; with none, "taking since at least DATE" when the statement's recording date is known. */
function startCell(p: ProductSummary, c: CommonTemplates): string {
  if (p.start) return formatDate(p.start);
  return p.takingSinceAtLeast
    ? fill(c.detail.takingSinceAtLeast, { date: inertMarkdown(formatDate(p.takingSinceAtLeast)) })
    : c.detail.noDate;
}

/** Lab rows, then one row per vitamin D product (the trigger when the rule is dose-based). */
function evidenceTable(f: Finding, c: CommonTemplates): string[] {
  const lines = [c.detail.tableHeader, "|---|---|---|---|---|"];
  const row = (cells: string[]) => lines.push(`| ${cells.map(cell).join(" | ")} |`);
  for (const r of f.evidence) {
    const label = r.code ? `${c.roleLabels[r.role]} (${inertMarkdown(r.code.code)})` : c.roleLabels[r.role];
    const converted = `${formatValue(r.converted.value, r.converted.comparator)} ${r.converted.unit}`;
    row([label, formatDate(r.date), reported(r, c), converted, r.trigger ? c.detail.ruleTrigger : c.detail.ruleContext]);
  }
  const doseBased = f.key === undefined;
  for (const p of f.regimen.products) {
    const trigger = doseBased && (p.current || f.regimen.phase === "stopped");
    row([
      fill(c.detail.productName, { name: inertMarkdown(p.name), status: productStatus(p, c) }),
      startCell(p, c),
      p.doseUnknown ? c.phrases.doseUnknown : inertMarkdown(p.doseText),
      formatProductDose(p, c),
      trigger ? c.detail.ruleTrigger : c.detail.ruleContext,
    ]);
  }
  return lines;
}

function flagLines(f: Finding, c: CommonTemplates): string[] {
  const fl = f.flags;
  const lines: string[] = [];
  if (fl.pediatric) {
    const ped = fl.pediatric;
    const toxic = fill(ped.toxicInclusive ? c.phrases.atLeast : c.phrases.above, { n: formatNumber(ped.toxicIuPerDay) });
    const singleDose =
      ped.singleDoseAboveIu !== undefined ? fill(c.flags.pediatricSingleDose, { n: formatNumber(ped.singleDoseAboveIu) }) : "";
    lines.push(fill(c.flags.pediatric, { band: ped.band, highDose: formatNumber(ped.highDoseAboveIuPerDay), toxic, singleDose }));
  }
  if (fl.doseUnknown) lines.push(c.flags.doseUnknown);
  if (fl.stoppedDaysAgo !== undefined) lines.push(fill(c.flags.stopped, { duration: formatDuration(fl.stoppedDaysAgo, c) }));
  if (fl.digoxinRaised) lines.push(c.flags.digoxinRaised);
  if (fl.cappedAtWarning) lines.push(c.flags.cappedAtWarning);
  if (fl.continuation) lines.push(c.flags.continuation);
  if (fl.renalSevere) lines.push(c.flags.renalSevere);
  return [...lines, ...f.notes.map((n) => c.notes[n])].map((l) => `- ${l}`);
}

function section(heading: string, lines: string[]): string[] {
  return lines.length === 0 ? [] : [`**${heading}**`, "", ...lines, ""];
}

/** `summary` = summaryVars(f, c), computed once per card for the summary and the detail. */
export function renderDetail(
  f: Finding,
  p: PatternTemplates,
  t: RuleTemplate,
  c: CommonTemplates,
  textActions: string[],
  summary = summaryVars(f, c),
): string {
  const vars = inertValues(summary);
  const missing = f.missing.map((m) => `- ${fill(c.missing[m.code], inertValues(m.params ?? {}))}`);
  const modifiers = f.modifiers.map(
    (m) => `- ${fill(c.modifiers[m.kind], { label: inertMarkdown(m.label), date: m.date ? ` (${formatDate(m.date)})` : "" })}`,
  );
  const flags = flagLines(f, c);
  const lines = [
    `**${fill(t.headline, vars)}**`,
    "",
    fill(t.advice, vars),
    "",
    ...(flags.length > 0 ? [...flags, ""] : []),
    ...section(c.detail.evidenceHeading, evidenceTable(f, c)),
    ...section(c.detail.modifiersHeading, modifiers),
    ...section(c.detail.missingHeading, missing),
    ...section(
      c.detail.suggestedHeading,
      textActions.map((a) => `- ${a}`),
    ),
    `**${c.detail.whyHeading}:** ${t.why ?? p.physiology}`,
    "",
    p.closing,
  ];
  return lines.join("\n");
}
