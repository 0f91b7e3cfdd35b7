/**
 * Pattern `repletion-cramp` (docs/clinical-logic.md §2): high-dose vitamin D started recently or being
 * ordered now, with low/unknown magnesium, low calcium or documented cramps.
 */
import type { RuleContext } from "./context";
import { calciumEvidence } from "./calcium-status";
import { isAtLeast, isBelow } from "./interval";
import { notComputedParams } from "./egfr";
import { evidenceRow } from "./labs";
import { activeMeds, conditionModifier, conditionsOf, medModifier, mgLossMedications, renalEvidence, splitCramps } from "./modifiers";
import { calcifediolMcg, crossingItem, nutritionalIU, recentBoluses, sumIU, sumMcg, type Item } from "./regimen";
import { resolveRows, raiseOneLevel, type Row } from "./resolve";
import { daysBetween } from "./time";
import {
  calciumOrder,
  commonMissing,
  keyFrom,
  labRows,
  orderLabs,
  productSummaries,
  uniqueModifiers,
  uniqueRows,
  vitdRows,
} from "./finding-parts";
import type { EvidenceRow, Finding, Indicator, MissingNote, Modifier, NoteCode, RegimenPhase, SuggestionIntent } from "./types";

const DAY_MS = 86_400_000;

interface ReplCtx {
  /** A known high dose started recently or being ordered (all rows may fire). */
  knownHighDose: boolean;
  mgLow: boolean;
  mgSevere: boolean;
  mgReassuring: boolean;
  /** The lab's own range (or N flag) calls the low Mg normal (§10, `labs.respectLabReferenceRange`). */
  mgLabNormal: boolean;
  caLow: boolean;
  /** The lab's own range calls the low calcium normal. */
  caLabNormal: boolean;
  /** Severe renal impairment: eGFR < 30 (reported or computed), CKD 4–5, kidney failure, dialysis (§10). */
  renal: boolean;
  cramps: boolean;
  risk: boolean;
  deficient: boolean;
}

/** A warning row one level lower when the lab's own range calls the value normal (§10); critical rows never drop. */
const warningUnlessLabNormal = (labNormal: boolean): Indicator => (labNormal ? "info" : "warning");

export const REPLETION_ROWS = [
  { id: "repletion.mg-severe", match: (c) => (c.mgSevere && !c.renal ? "critical" : null) },
  // Severe renal impairment: replace Mg only with caution and monitoring (hypermagnesemia), never a routine supplement.
  { id: "repletion.mg-severe-renal", match: (c) => (c.mgSevere && c.renal ? "critical" : null) },
  { id: "repletion.mg-low", match: (c) => (c.mgLow && !c.renal ? warningUnlessLabNormal(c.mgLabNormal) : null) },
  { id: "repletion.mg-low-renal", match: (c) => (c.mgLow && c.renal ? warningUnlessLabNormal(c.mgLabNormal) : null) },
  { id: "repletion.ca-low", match: (c) => (c.caLow ? warningUnlessLabNormal(c.caLabNormal) : null) },
  {
    id: "repletion.no-mg-cramps-or-risk",
    match: (c) => (c.knownHighDose && !c.mgReassuring && !c.mgLow && (c.cramps || c.risk) ? "warning" : null),
  },
  {
    id: "repletion.no-mg-deficiency",
    match: (c) => (c.knownHighDose && !c.mgReassuring && !c.mgLow && c.deficient && !c.cramps && !c.risk ? "info" : null),
  },
  { id: "repletion.normal-mg-cramps", match: (c) => (c.knownHighDose && c.mgReassuring && !c.mgLow && c.cramps ? "info" : null) },
] as const satisfies readonly Row<ReplCtx>[];

/** The row ids of the repletion table, as a type: a row added above is a new member, checked wherever ids are listed. */
export type RepletionRule = (typeof REPLETION_ROWS)[number]["id"];

/** Rows that fire without a magnesium result: no Mg row in the evidence is the trigger. */
const NO_MG_ROWS: ReadonlySet<RepletionRule> = new Set<RepletionRule>(["repletion.no-mg-cramps-or-risk", "repletion.no-mg-deficiency"]);

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
  const bolus = recentBoluses(
    current.map((it) => it.p),
    ctx.config,
    ctx.nowMs,
  )
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
  const unknownRecent = ctx.regimen.current.find((it) => it.p.doseUnknown && it.p.productClass !== "active" && isRecent(ctx, it.startMs));
  const anchor = knownHighDose ? high : unknownRecent ? { item: unknownRecent, startMs: unknownRecent.startMs } : undefined;
  if (!anchor || anchor.startMs === undefined) return undefined;
  const startMs = anchor.startMs;

  const mg = ctx.magnesium;
  const mgLowBelow = config.magnesium.lowBelowMgDl;
  const mgLow = mg !== undefined && isBelow(mg.iv, mgLowBelow);
  const mgNormal = mg !== undefined && isAtLeast(mg.iv, mgLowBelow);
  const mgTimely = mg !== undefined && mg.ms >= startMs - config.magnesium.baselineWithinDaysBeforeStart * DAY_MS;
  const cramps = splitCramps(ctx.facts, config, nowMs, startMs);
  const mgLossMeds = mgLossMedications(ctx.facts, config, nowMs);
  const riskMeds = mgLossMeds.risk;
  const riskConditions = conditionsOf(ctx.facts, config.modifiers.mgLossConditions);
  const c: ReplCtx = {
    knownHighDose,
    mgLow,
    mgSevere: mg !== undefined && isBelow(mg.iv, config.magnesium.severeBelowMgDl),
    mgReassuring: mgNormal && mgTimely,
    mgLabNormal: mgLow && ctx.magnesiumLabNormal !== undefined,
    caLow: ctx.calcium?.low ?? false,
    caLabNormal: (ctx.calcium?.low ?? false) && ctx.calciumLabNormal !== undefined,
    renal: ctx.renal.severe,
    cramps: cramps.recent.length > 0,
    risk: riskMeds.length > 0 || riskConditions.length > 0,
    deficient: ctx.deficiency !== undefined,
  };
  const resolution = resolveRows(REPLETION_ROWS, c);
  if (!resolution) return undefined;
  const digoxinRaised = config.modifiers.digoxinRaisesLevel && ctx.digoxin !== undefined && mgLow;
  const indicator = digoxinRaised ? raiseOneLevel(resolution.indicator) : resolution.indicator;
  const rule = resolution.rule;

  const mgRow = mg ? evidenceRow("magnesium", mg, rule !== "repletion.ca-low" && !NO_MG_ROWS.has(rule)) : undefined;
  const caRows = ctx.calcium ? calciumEvidence(ctx.calcium, rule === "repletion.ca-low", config) : [];
  const vitd = vitdRows(ctx, false, rule === "repletion.no-mg-deficiency");
  const renalRow = rule === "repletion.mg-severe-renal" || rule === "repletion.mg-low-renal";
  const keyRow: EvidenceRow | undefined =
    rule === "repletion.ca-low"
      ? caRows[0]
      : rule === "repletion.no-mg-deficiency"
        ? vitd.find((r) => r.trigger)
        : NO_MG_ROWS.has(rule)
          ? undefined
          : mgRow;
  const evidence = uniqueRows([
    ...(keyRow ? [keyRow] : []),
    ...(mgRow ? [mgRow] : []),
    ...caRows,
    ...vitd,
    ...renalEvidence(ctx.renal, ctx.facts.patient.id, config, renalRow),
    ...labRows(ctx, ["potassium", "pth", "phosphate", "albumin", "egfr", "creatinine"]),
  ]);

  const missing: MissingNote[] = [];
  if (!mg) missing.push({ code: "no-current-magnesium", params: { days: config.windows.labCurrentDays } });
  else if (mgNormal && !mgTimely)
    missing.push({ code: "magnesium-not-reassuring", params: { days: config.magnesium.baselineWithinDaysBeforeStart } });
  if (!ctx.calcium) missing.push({ code: "no-current-calcium", params: { days: config.windows.labCurrentDays } });
  else if (ctx.calcium.kind === "total")
    missing.push({ code: "calcium-not-corrected", params: { days: config.calcium.correction.albuminWithinDays } });
  if (!ctx.vitd) missing.push({ code: "no-current-vitamin-d", params: { days: config.windows.vitaminDCurrentDays } });
  if (ctx.renal.notComputed) missing.push({ code: "egfr-not-computed", params: notComputedParams(ctx.renal.notComputed) });

  const mgSupplement = activeMeds(ctx.facts, ["magnesium-supplement"])[0];
  // Active vitamin D (calcitriol, alfacalcidol…) taken now or recently stopped: named, and noted with renal impairment.
  const activeVitD = ctx.renal.severe
    ? [...ctx.regimen.current, ...ctx.regimen.recentlyStopped].filter((x) => x.p.productClass === "active")
    : [];
  const modifiers: Modifier[] = uniqueModifiers([
    ...cramps.recent.map((x) => conditionModifier("cramps", x)),
    ...cramps.old.map((x) => conditionModifier("cramps-old", x)),
    ...riskMeds.map((m) => medModifier("mg-loss-medication", m, config.modifiers.mgLossMedicationClasses)),
    ...mgLossMeds.shortTermPpis.map(({ med, since }): Modifier => ({
      kind: "ppi-short-term",
      label: med.name,
      id: med.id,
      date: since,
      classes: ["proton-pump-inhibitor"],
    })),
    ...riskConditions.map((x) => conditionModifier("mg-loss-condition", x)),
    ...ctx.renal.modifiers,
    ...activeVitD.map((x): Modifier => ({ kind: "active-vitamin-d", label: x.p.name, id: x.p.id })),
    ...(c.mgLabNormal && mg && ctx.magnesiumLabNormal
      ? [{ kind: "magnesium-within-lab-range" as const, label: ctx.magnesiumLabNormal.label, id: mg.lab.id }]
      : []),
    ...(c.caLabNormal && ctx.calcium && ctx.calciumLabNormal
      ? [{ kind: "calcium-within-lab-range" as const, label: ctx.calciumLabNormal.label, id: ctx.calcium.decider.lab.id }]
      : []),
    ...(ctx.digoxin ? [medModifier("digoxin", ctx.digoxin, ["digoxin"])] : []),
    ...(mgSupplement ? [medModifier("magnesium-supplement", mgSupplement, ["magnesium-supplement"])] : []),
  ]);

  const notes: NoteCode[] = [];
  if (c.caLow && mgLow) notes.push("correct-magnesium-first");
  if (ctx.vitd?.d3Only && ctx.takingErgocalciferol) notes.push("d2-not-measured");
  if (ctx.deficiency) notes.push("deficiency-documented");
  if (activeVitD.length > 0) notes.push("renal-active-vitamin-d");

  const vitdOrder = !ctx.vitd && "vitaminD";
  const labs =
    rule === "repletion.mg-severe" || rule === "repletion.mg-severe-renal"
      ? ["magnesium", calciumOrder(ctx), "potassium", vitdOrder]
      : rule === "repletion.mg-low" || rule === "repletion.mg-low-renal"
        ? ["magnesium", calciumOrder(ctx), vitdOrder]
        : rule === "repletion.ca-low"
          ? ["magnesium", calciumOrder(ctx), "pth", vitdOrder]
          : rule === "repletion.normal-mg-cramps"
            ? [!ctx.calcium && calciumOrder(ctx), vitdOrder]
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
    limits: {
      highDoseAboveIuPerDay: ctx.limits.highDoseAboveIu,
      toxicIuPerDay: ctx.limits.toxic.iu,
      toxicInclusive: ctx.limits.toxic.inclusive,
    },
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
