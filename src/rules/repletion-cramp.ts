/**
 * Pattern `repletion-cramp` (clinical-spec §3): high-dose vitamin D started recently or being
 * ordered now, with low/unknown magnesium, low calcium or documented cramps.
 */
import type { RuleContext } from "./context";
import { calciumEvidence } from "./calcium-status";
import { isAtLeast, isBelow } from "./interval";
import { evidenceRow } from "./labs";
import { activeMeds, conditionModifier, conditionsOf, medModifier, splitCramps } from "./modifiers";
import { calcifediolMcg, crossingItem, nutritionalIU, recentBoluses, sumIU, sumMcg, type Item } from "./regimen";
import { resolveRows, raiseOneLevel, type Row } from "./resolve";
import { daysBetween } from "./time";
import { calciumOrder, commonMissing, keyFrom, labRows, orderLabs, productSummaries, uniqueModifiers, uniqueRows, vitdRows } from "./finding-parts";
import type { EvidenceRow, Finding, MissingNote, Modifier, NoteCode, RegimenPhase, SuggestionIntent } from "./types";

const DAY_MS = 86_400_000;

interface ReplCtx {
  /** A known high dose started recently or being ordered (all rows may fire). */
  knownHighDose: boolean;
  mgLow: boolean;
  mgSevere: boolean;
  mgReassuring: boolean;
  caLow: boolean;
  cramps: boolean;
  risk: boolean;
  deficient: boolean;
}

export const REPLETION_ROWS: readonly Row<ReplCtx>[] = [
  { id: "repletion.mg-severe", match: (c) => (c.mgSevere ? "critical" : null) },
  { id: "repletion.mg-low", match: (c) => (c.mgLow ? "warning" : null) },
  { id: "repletion.ca-low", match: (c) => (c.caLow ? "warning" : null) },
  { id: "repletion.no-mg-cramps-or-risk", match: (c) => (c.knownHighDose && !c.mgReassuring && !c.mgLow && (c.cramps || c.risk) ? "warning" : null) },
  { id: "repletion.no-mg-deficiency", match: (c) => (c.knownHighDose && !c.mgReassuring && !c.mgLow && c.deficient && !c.cramps && !c.risk ? "info" : null) },
  { id: "repletion.normal-mg-cramps", match: (c) => (c.knownHighDose && c.mgReassuring && !c.mgLow && c.cramps ? "info" : null) },
];

interface Start {
  item: Item;
  startMs: number | undefined;
}

/** The high-dose regimen's start: the product that brought the daily sum past the limit (IU or calcifediol mcg), else a recent large bolus. */
function highDoseStart(ctx: RuleContext): Start | undefined {
  const { current } = ctx.regimen;
  const cfg = ctx.config.dose;
  const candidates = [
    crossingItem(current, nutritionalIU, (s) => s > ctx.limits.highDoseAboveIu),
    crossingItem(current, calcifediolMcg, (s) => s >= cfg.calcifediolHighDoseAtLeastMcgPerDay),
  ].filter((it): it is Item => it !== undefined);
  const earliest = candidates.sort((a, b) => (a.startMs ?? -Infinity) - (b.startMs ?? -Infinity))[0];
  if (earliest) return { item: earliest, startMs: earliest.startMs };
  const bolus = recentBoluses(current.map((it) => it.p), ctx.config, ctx.nowMs)
    .filter((b) => b.iu > cfg.bolusInfoAboveIu)
    .sort((a, b) => b.ms - a.ms)[0];
  const item = bolus && current.find((it) => it.p === bolus.p);
  return bolus && item ? { item, startMs: bolus.ms } : undefined;
}

function isRecent(ctx: RuleContext, startMs: number | undefined): startMs is number {
  return startMs !== undefined && daysBetween(startMs, ctx.nowMs) <= ctx.config.windows.recentStartDays;
}

function phaseOf(item: Item, recent: boolean): RegimenPhase {
  if (item.draft && !item.carriedStart) return "ordering";
  return recent ? "recent-start" : item.carriedStart ? "continuation" : "ongoing";
}

export function evaluateRepletionCramp(ctx: RuleContext): Finding | undefined {
  const { config, nowMs } = ctx;
  const high = highDoseStart(ctx);
  const knownHighDose = high !== undefined && isRecent(ctx, high.startMs);
  const unknownRecent = ctx.regimen.current.find(
    (it) => it.p.doseUnknown && it.p.productClass !== "active" && isRecent(ctx, it.startMs),
  );
  const anchor = knownHighDose ? high : unknownRecent ? { item: unknownRecent, startMs: unknownRecent.startMs } : undefined;
  if (!anchor || anchor.startMs === undefined) return undefined;
  const startMs = anchor.startMs;

  const mg = ctx.magnesium;
  const rangeLow = config.labReferenceRanges.useForMagnesiumLow ? mg?.lab.referenceRange?.low : undefined;
  const mgLowBelow = rangeLow ?? config.magnesium.lowBelowMgDl;
  const mgLow = mg !== undefined && isBelow(mg.iv, mgLowBelow);
  const mgNormal = mg !== undefined && isAtLeast(mg.iv, mgLowBelow);
  const mgTimely = mg !== undefined && mg.ms >= startMs - config.magnesium.baselineWithinDaysBeforeStart * DAY_MS;
  const cramps = splitCramps(ctx.facts, config, nowMs, startMs);
  const riskMeds = activeMeds(ctx.facts, config.modifiers.mgLossMedicationClasses);
  const riskConditions = conditionsOf(ctx.facts, config.modifiers.mgLossConditions);
  const c: ReplCtx = {
    knownHighDose,
    mgLow,
    mgSevere: mg !== undefined && isBelow(mg.iv, config.magnesium.severeBelowMgDl),
    mgReassuring: mgNormal && mgTimely,
    caLow: ctx.calcium?.low ?? false,
    cramps: cramps.recent.length > 0,
    risk: riskMeds.length > 0 || riskConditions.length > 0,
    deficient: ctx.deficiency !== undefined,
  };
  const resolution = resolveRows(REPLETION_ROWS, c);
  if (!resolution) return undefined;
  const digoxinRaised = config.modifiers.digoxinRaisesLevel && ctx.digoxin !== undefined && mgLow;
  const indicator = digoxinRaised ? raiseOneLevel(resolution.indicator) : resolution.indicator;
  const rule = resolution.rule;

  const mgRow = mg ? evidenceRow("magnesium", mg, rule !== "repletion.ca-low" && !rule.startsWith("repletion.no-mg")) : undefined;
  const caRows = ctx.calcium ? calciumEvidence(ctx.calcium, rule === "repletion.ca-low", config) : [];
  const vitd = vitdRows(ctx, false, rule === "repletion.no-mg-deficiency");
  const keyRow: EvidenceRow | undefined =
    rule === "repletion.ca-low" ? caRows[0] : rule === "repletion.no-mg-deficiency" ? vitd.find((r) => r.trigger) : rule.startsWith("repletion.no-mg") ? undefined : mgRow;
  const evidence = uniqueRows([
    ...(keyRow ? [keyRow] : []),
    ...(mgRow ? [mgRow] : []),
    ...caRows,
    ...vitd,
    ...labRows(ctx, ["potassium", "pth", "phosphate", "albumin", "egfr", "creatinine"]),
  ]);

  const missing: MissingNote[] = [];
  if (!mg) missing.push({ code: "no-current-magnesium", params: { days: config.windows.labCurrentDays } });
  else if (mgNormal && !mgTimely) missing.push({ code: "magnesium-not-reassuring", params: { days: config.magnesium.baselineWithinDaysBeforeStart } });
  if (!ctx.calcium) missing.push({ code: "no-current-calcium", params: { days: config.windows.labCurrentDays } });
  else if (ctx.calcium.kind === "total") missing.push({ code: "calcium-not-corrected", params: { days: config.calcium.correction.albuminWithinDays } });
  if (!ctx.vitd) missing.push({ code: "no-current-vitamin-d", params: { days: config.windows.vitaminDCurrentDays } });

  const mgSupplement = activeMeds(ctx.facts, ["magnesium-supplement"])[0];
  const modifiers: Modifier[] = uniqueModifiers([
    ...cramps.recent.map((x) => conditionModifier("cramps", x)),
    ...cramps.old.map((x) => conditionModifier("cramps-old", x)),
    ...riskMeds.map((m) => medModifier("mg-loss-medication", m, config.modifiers.mgLossMedicationClasses)),
    ...riskConditions.map((x) => conditionModifier("mg-loss-condition", x)),
    ...ctx.renal.modifiers,
    ...(ctx.digoxin ? [medModifier("digoxin", ctx.digoxin, ["digoxin"])] : []),
    ...(mgSupplement ? [medModifier("magnesium-supplement", mgSupplement, ["magnesium-supplement"])] : []),
  ]);

  const notes: NoteCode[] = [];
  if (c.caLow && mgLow) notes.push("correct-magnesium-first");
  if (ctx.vitd?.d3Only && ctx.takingErgocalciferol) notes.push("d2-not-measured");
  if (ctx.deficiency) notes.push("deficiency-documented");

  const vitdOrder = !ctx.vitd && "vitaminD";
  const labs =
    rule === "repletion.mg-severe" ? ["magnesium", calciumOrder(ctx), "potassium", vitdOrder]
    : rule === "repletion.mg-low" ? ["magnesium", calciumOrder(ctx), vitdOrder]
    : rule === "repletion.ca-low" ? ["magnesium", calciumOrder(ctx), "pth", vitdOrder]
    : rule === "repletion.normal-mg-cramps" ? [!ctx.calcium && calciumOrder(ctx), vitdOrder]
    : ["magnesium", !ctx.calcium && calciumOrder(ctx), vitdOrder];
  const suggestions: SuggestionIntent[] = [...orderLabs(ctx, labs as Parameters<typeof orderLabs>[1])];
  if (mgLow && ctx.renal.severe) suggestions.push({ kind: "magnesium-renal-caution" });
  else if (mgLow && !mgSupplement) {
    const s = config.magnesiumSupplement;
    suggestions.push({ kind: "magnesium-supplement", text: s.text, dosageText: s.dosageText, ...(s.coding ? { coding: s.coding } : {}) });
  }
  suggestions.push({ kind: "continue-vitamin-d" });

  const recent = isRecent(ctx, startMs);
  const doseUnknown = ctx.regimen.current.some((it) => it.p.doseUnknown);
  return {
    pattern: "repletion-cramp",
    indicator,
    rule,
    matchedRules: resolution.matched,
    patientId: ctx.facts.patient.id,
    ...(keyRow ? { key: keyFrom(keyRow, startMs) } : {}),
    regimen: {
      phase: phaseOf(anchor.item, recent),
      products: productSummaries(ctx),
      dailyIU: sumIU(ctx.regimen.current),
      dailyMcg: sumMcg(ctx.regimen.current, "calcifediol"),
      startDaysAgo: Math.max(0, Math.floor(daysBetween(startMs, nowMs))),
      ...(anchor.item.p.bolusIU !== undefined ? { bolusIU: anchor.item.p.bolusIU } : {}),
    },
    limits: { highDoseAboveIuPerDay: ctx.limits.highDoseAboveIu, toxicAtLeastIuPerDay: ctx.limits.toxicAtLeastIu },
    evidence,
    missing: [...missing, ...commonMissing(ctx)],
    modifiers,
    notes,
    suggestions,
    flags: {
      ...(ctx.limits.pediatric ? { pediatric: ctx.limits.pediatric } : {}),
      doseUnknown,
      digoxinRaised: digoxinRaised && indicator !== resolution.indicator,
      cappedAtWarning: false,
      continuation: false,
      renalSevere: ctx.renal.severe,
    },
  };
}
