/** Pieces shared by both patterns' findings: products, evidence, missing-data notes, lab orders. */
import type { LabKind } from "../fhir/facts";
import type { RuleContext } from "./context";
import { contextRows } from "./labs";
import { toMs, wholeDays } from "./time";
import type { EvidenceRow, KeyNumber, MissingNote, Modifier, OrderableLab, ProductSummary, SuggestionIntent } from "./types";
import { vitdEvidence } from "./vitd-status";

export function productSummaries(ctx: RuleContext): ProductSummary[] {
  const { regimen, nowMs } = ctx;
  const current = new Set(regimen.current.map((it) => it.p));
  const replaced = regimen.preDraft.filter((it) => !current.has(it.p)).map((it) => it.p);
  const listed = [
    ...regimen.current.map((it) => it.p),
    ...replaced,
    ...regimen.recentlyStopped.map((s) => s.p),
    ...regimen.stopDateUnknown,
  ];
  return listed.map((p) => {
    const startMs = p.source === "draft-order" ? (toMs(p.start) ?? nowMs) : toMs(p.start);
    const endMs = toMs(p.end);
    const { selected: _selected, ...fact } = p;
    const s: ProductSummary = { ...fact, current: current.has(p) };
    if (startMs !== undefined) s.startDaysAgo = wholeDays(startMs, nowMs);
    if (p.status === "stopped" && endMs !== undefined) s.stoppedDaysAgo = wholeDays(endMs, nowMs);
    return s;
  });
}

/** Unreadable resources listed one by one up to this many; the rest as a count. */
const NOT_USED_LISTED = 5;

/** Notes every card carries when they apply: truncated searches, unreadable resources, unusable observations, unknown doses/dates/age. */
export function commonMissing(ctx: RuleContext): MissingNote[] {
  const { facts } = ctx;
  const notes: MissingNote[] = facts.truncated.map((t) => ({ code: "data-truncated", params: { query: t.query, pages: t.pages } }));
  for (const r of facts.notUsed.slice(0, NOT_USED_LISTED))
    notes.push({ code: "resource-not-used", params: { ref: r.ref, detail: r.detail } });
  if (facts.notUsed.length > NOT_USED_LISTED)
    notes.push({ code: "resources-not-used-more", params: { n: facts.notUsed.length - NOT_USED_LISTED } });
  for (const o of facts.ignoredObservations) {
    notes.push({
      code: "ignored-observation",
      params: { id: o.id, code: o.code.code, display: o.code.display ?? o.kind, reason: o.reason },
    });
  }
  for (const it of ctx.regimen.current) {
    if (it.p.doseUnknown) notes.push({ code: "dose-unknown", params: { product: it.p.name } });
    if (it.startMs === undefined) notes.push({ code: "start-unknown", params: { product: it.p.name } });
  }
  for (const p of ctx.regimen.stopDateUnknown) notes.push({ code: "stop-date-unknown", params: { product: p.name } });
  if (ctx.limits.ageUnknown) notes.push({ code: "birthdate-unknown" });
  return notes;
}

export function keyFrom(row: EvidenceRow, startMs?: number, stopMs?: number): KeyNumber {
  const key: KeyNumber = { role: row.role, value: row.converted.value, unit: row.converted.unit, date: row.date };
  if (row.converted.comparator) key.comparator = row.converted.comparator;
  const ms = toMs(row.date);
  if (ms !== undefined && startMs !== undefined) key.daysAfterStart = wholeDays(startMs, ms);
  if (ms !== undefined && stopMs !== undefined && ms >= stopMs) key.daysAfterStop = wholeDays(stopMs, ms);
  return key;
}

/** 25(OH)D rows: the latest current status and, when different, the documented deficiency (always shown). */
export function vitdRows(ctx: RuleContext, triggerCurrent: boolean, triggerDeficiency: boolean): EvidenceRow[] {
  const rows: EvidenceRow[] = [];
  if (ctx.vitd) rows.push(vitdEvidence(ctx.vitd, "vitamin-d", triggerCurrent));
  if (ctx.deficiency && ctx.deficiency !== ctx.vitd) rows.push(vitdEvidence(ctx.deficiency, "vitamin-d-deficiency", triggerDeficiency));
  else if (ctx.deficiency && triggerDeficiency && rows[0]) rows[0].trigger = true;
  return rows;
}

export function labRows(ctx: RuleContext, kinds: readonly LabKind[]): EvidenceRow[] {
  return contextRows(ctx.facts, kinds, ctx.nowMs, ctx.config.windows.labCurrentDays);
}

/** Keeps the first row per id (trigger rows are listed first by the callers). */
export function uniqueRows(rows: EvidenceRow[]): EvidenceRow[] {
  const seen = new Set<string>();
  return rows.filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)));
}

export function uniqueModifiers(mods: Modifier[]): Modifier[] {
  const seen = new Set<string>();
  return mods.filter((m) => (seen.has(`${m.kind}|${m.id}`) ? false : (seen.add(`${m.kind}|${m.id}`), true)));
}

export function orderLabs(ctx: RuleContext, keys: (OrderableLab | false | undefined)[]): SuggestionIntent[] {
  const unique = [...new Set(keys.filter((k): k is OrderableLab => typeof k === "string"))];
  if (unique.length === 0) return [];
  return [{ kind: "order-labs", labs: unique.map((key) => ({ key, code: ctx.config.orders[key] })) }];
}

/** Which calcium test to order: ionized when albumin is low, eGFR is low, or the high value depends on the correction. */
export function calciumOrder(ctx: RuleContext): OrderableLab {
  return ctx.albuminLow || ctx.renal.severe || ctx.calcium?.highOnlyAfterCorrection ? "calciumIonized" : "calcium";
}
