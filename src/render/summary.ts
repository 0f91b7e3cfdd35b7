/**
 * Card summary (< 140 chars): the number first (value, unit, date), then drug and dose, then
 * the one action — from the rule's template. Shortened step by step when too long.
 */
import { BOLUS_RULES, type Finding } from "../rules";
import { dosePhrase, drugNames, drugPhrase, formatDuration, formatInteger, keyPhrase } from "./format";
import { fill, type CommonTemplates, type RuleTemplate } from "./templates";

export const SUMMARY_MAX = 139;

function whenPhrase(f: Finding, c: CommonTemplates): string {
  const ph = c.phrases;
  const key = f.key;
  if (f.regimen.phase === "ordering") return ph.whenOrdering;
  if (key?.daysAfterStop !== undefined) return fill(ph.whenAfterStop, { duration: formatDuration(key.daysAfterStop, c) });
  if (key?.daysAfterStart !== undefined && f.regimen.phase === "recent-start")
    return key.daysAfterStart >= 0 ? fill(ph.whenAfterStart, { duration: formatDuration(key.daysAfterStart, c) }) : ph.whenBeforeStart;
  return ph.whenOn;
}

function startedPhrase(f: Finding, c: CommonTemplates): string {
  const ph = c.phrases;
  const r = f.regimen;
  const bolus = r.bolusIU !== undefined ? r.products.find((p) => p.bolusIU === r.bolusIU) : undefined;
  if (bolus && BOLUS_RULES.has(f.rule)) {
    return bolus.source === "draft-order" || bolus.startDaysAgo === undefined
      ? ph.startedOrdering
      : fill(ph.startedGiven, { duration: formatDuration(bolus.startDaysAgo, c) });
  }
  switch (r.phase) {
    case "ordering":
      return ph.startedOrdering;
    case "stopped":
      return fill(ph.startedStopped, { duration: formatDuration(r.stoppedDaysAgo ?? 0, c) });
    case "recent-start":
      return fill(ph.startedRecent, { duration: formatDuration(r.startDaysAgo ?? 0, c) });
    case "ongoing":
    case "continuation":
    case "none":
      return ph.startedOngoing;
  }
}

function reasonPhrase(f: Finding, c: CommonTemplates): string {
  const cramps = f.modifiers.some((m) => m.kind === "cramps");
  const risks = f.modifiers.filter((m) => m.kind === "mg-loss-medication" || m.kind === "mg-loss-condition");
  if (cramps && risks.length > 0) return c.phrases.reasonBoth;
  if (cramps) return c.phrases.reasonCramps;
  return fill(c.phrases.reasonRisk, {
    names: risks
      .slice(0, 2)
      .map((m) => m.label)
      .join(", "),
  });
}

export function summaryVars(f: Finding, c: CommonTemplates, level = 0): Record<string, string> {
  const r = f.regimen;
  const calciumWindow = f.missing.find((m) => m.code === "no-current-calcium")?.params?.["days"];
  return {
    key: f.key ? keyPhrase(f.key, c, level < 2) : "",
    when: whenPhrase(f, c),
    drug: drugPhrase(r.products, c, level >= 1),
    dose: dosePhrase(r.products, r.dailyIU, c),
    drugName: drugNames(r.products, c),
    started: startedPhrase(f, c),
    reason: reasonPhrase(f, c),
    since: r.toxicDays !== undefined ? fill(c.phrases.since, { duration: formatDuration(r.toxicDays, c) }) : c.phrases.sinceUnknown,
    bolus: r.bolusIU !== undefined ? `${formatInteger(r.bolusIU)} IU` : "",
    threshold: fill(f.limits.toxicInclusive ? c.phrases.atLeast : c.phrases.above, { n: formatInteger(f.limits.toxicIuPerDay) }),
    thresholdWords: fill(f.limits.toxicInclusive ? c.phrases.atLeastWords : c.phrases.aboveWords, {
      n: formatInteger(f.limits.toxicIuPerDay),
    }),
    singleDoseMax: f.flags.pediatric?.singleDoseAboveIu !== undefined ? formatInteger(f.flags.pediatric.singleDoseAboveIu) : "",
    band: f.flags.pediatric?.band ?? "",
    calciumWindow: calciumWindow !== undefined ? String(calciumWindow) : "",
    calciumProduct: f.flags.calciumProduct ?? "",
    implausible: f.limits.implausibleAtLeastIuPerDay !== undefined ? formatInteger(f.limits.implausibleAtLeastIuPerDay) : "",
  };
}

/**
 * Full text first; then drug names without doses; then the key number without its date; finally cut with "…".
 * `full` = summaryVars(f, c) when the caller has them already (the detail uses the same).
 */
export function renderSummary(f: Finding, t: RuleTemplate, c: CommonTemplates, full = summaryVars(f, c)): string {
  for (const level of [0, 1, 2]) {
    const text = fill(t.summary, level === 0 ? full : summaryVars(f, c, level));
    if (text.length <= SUMMARY_MAX) return text;
  }
  const text = fill(t.summary, summaryVars(f, c, 2));
  return `${text.slice(0, SUMMARY_MAX - 1).trimEnd()}…`;
}
