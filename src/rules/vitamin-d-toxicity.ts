/**
 * Pattern `vitamin-d-toxicity` (docs/clinical-logic.md §3, §11, §12): high calcium or high 25(OH)D with vitamin D
 * taken now, ordered, or stopped less than `stoppedWithinDays` ago; prolonged toxic intake
 * without calcium monitoring; toxic doses and large boluses being ordered.
 */
import type { RuleContext } from "./context";
import { calciumEvidence, selectCalciumStatus, type CalciumStatus } from "./calcium-status";
import { isAbove } from "./interval";
import { activeMeds, conditionModifier, conditionsOf, medModifier, meetsThreshold } from "./modifiers";
import { crossingItem, nutritionalIU, recentBoluses, sumIU, sumMcg } from "./regimen";
import { capAt, raiseOneLevel, resolveRows, type Row } from "./resolve";
import { daysBetween } from "./time";
import { calciumOrder, commonMissing, keyFrom, labRows, productSummaries, uniqueModifiers, uniqueRows, vitdRows } from "./finding-parts";
import { toxicitySuggestions } from "./toxicity-suggestions";
import type { Finding, Indicator, MissingNote, NoteCode, RegimenPhase, RuleId } from "./types";

export interface ToxCtx {
  involved: boolean;
  activeOrOrdered: boolean;
  caHigh: boolean;
  caModerate: boolean;
  /** The lab's own range (or N flag) calls the high calcium normal: warning rows drop to info (`labs.respectLabReferenceRange`). */
  caLabNormal: boolean;
  labIntakeToxic: boolean;
  activeVitD: boolean;
  vitdHigh: boolean;
  vitdToxic: boolean;
  contemporaneousNormal: boolean;
  stoppedOrReduced: boolean;
  prolongedToxic: boolean;
  orderedToxic: boolean;
  noCurrentCalcium: boolean;
  hypercalcemiaDocumented: boolean;
  bolusIU: number;
  bolusWarningAtLeast: number;
  bolusInfoAbove: number;
  /** A child's single-dose maximum (absent from 13 years: the adult bolus rows apply). */
  singleDoseAbove: number | undefined;
  /** A current or ordered nutritional product at or above `dose.implausibleAtLeastIuPerDay`; `implausibleUnit`: written in mcg/mg. */
  implausible: boolean;
  implausibleUnit: boolean;
  /** Known primary hyperparathyroidism, intake ≤ phptRepletionMaxIuPerDay, Ca below the moderate threshold. */
  phptModest: boolean;
}

/** A high-calcium row's warning, one level lower when the lab's own range calls the value normal; critical stays critical. */
const caWarning = (c: ToxCtx): Indicator => (c.caLabNormal ? "info" : "warning");

export const TOXICITY_ROWS = [
  // Active vitamin D raises calcium independently of 25(OH)D: its own wording (reduce or hold, not "stop vitamin D").
  {
    id: "toxicity.ca-high-on-active-vitamin-d",
    match: (c) =>
      c.involved && c.caHigh && c.activeVitD && !c.labIntakeToxic && !c.vitdHigh ? (c.caModerate ? "critical" : caWarning(c)) : null,
  },
  {
    id: "toxicity.ca-high-with-high-intake",
    match: (c) =>
      c.involved && c.caHigh && (c.labIntakeToxic || c.vitdHigh || c.activeVitD)
        ? c.caModerate || c.vitdToxic
          ? "critical"
          : caWarning(c)
        : null,
  },
  {
    id: "toxicity.ca-high-with-vitamin-d",
    match: (c) => (c.activeOrOrdered && c.caHigh && !c.phptModest ? (c.caModerate ? "critical" : caWarning(c)) : null),
  },
  // Known PHPT on a modest dose: repletion to ≥ 20 ng/mL with calcium monitoring is supported — info, not "do not give".
  { id: "toxicity.ca-high-known-phpt", match: (c) => (c.activeOrOrdered && c.caHigh && c.phptModest ? "info" : null) },
  {
    id: "toxicity.25ohd-above-toxic",
    match: (c) => (c.involved && c.vitdToxic ? (c.contemporaneousNormal ? "warning" : "critical") : null),
  },
  // Toxic 25(OH)D with no vitamin D on record, or stopped long ago: over-the-counter use is often unrecorded, and stored vitamin D keeps Ca high for months.
  {
    id: "toxicity.25ohd-above-toxic-no-product",
    match: (c) => (!c.involved && c.vitdToxic ? (c.contemporaneousNormal ? "warning" : "critical") : null),
  },
  {
    id: "toxicity.25ohd-high",
    match: (c) => (c.involved && c.vitdHigh ? (c.contemporaneousNormal && c.stoppedOrReduced ? "info" : "warning") : null),
  },
  { id: "toxicity.implausible-dose-unit", match: (c) => (c.implausible && c.implausibleUnit ? "warning" : null) },
  { id: "toxicity.implausible-dose", match: (c) => (c.implausible && !c.implausibleUnit ? "warning" : null) },
  { id: "toxicity.prolonged-high-dose-unmonitored", match: (c) => (c.prolongedToxic && c.noCurrentCalcium ? "warning" : null) },
  {
    id: "toxicity.hypercalcemia-unmonitored",
    match: (c) => (c.hypercalcemiaDocumented && c.activeOrOrdered && c.noCurrentCalcium ? "warning" : null),
  },
  { id: "toxicity.high-dose-ordered", match: (c) => (c.orderedToxic ? "info" : null) },
  // Children: one-time doses above the age's single-dose maximum (global rickets consensus) replace the adult bolus rows.
  {
    id: "toxicity.bolus-above-pediatric-max",
    match: (c) => (c.singleDoseAbove !== undefined && c.bolusIU > c.singleDoseAbove ? "warning" : null),
  },
  {
    id: "toxicity.bolus-very-high",
    match: (c) => (c.singleDoseAbove === undefined && c.bolusIU >= c.bolusWarningAtLeast ? "warning" : null),
  },
  { id: "toxicity.bolus-high", match: (c) => (c.singleDoseAbove === undefined && c.bolusIU > c.bolusInfoAbove ? "info" : null) },
] as const satisfies readonly Row<ToxCtx>[];

/** The row ids of the toxicity table, as a type. */
export type ToxicityRule = (typeof TOXICITY_ROWS)[number]["id"];

/** Rows about a one-time dose being ordered: their cards say "being ordered" about the bolus. */
export const BOLUS_RULES: ReadonlySet<RuleId> = new Set<ToxicityRule>([
  "toxicity.bolus-above-pediatric-max",
  "toxicity.bolus-very-high",
  "toxicity.bolus-high",
]);

const CALCIUM_ROWS: ReadonlySet<ToxicityRule> = new Set<ToxicityRule>([
  "toxicity.ca-high-on-active-vitamin-d",
  "toxicity.ca-high-with-high-intake",
  "toxicity.ca-high-with-vitamin-d",
  "toxicity.ca-high-known-phpt",
]);
const VITD_ROWS: ReadonlySet<ToxicityRule> = new Set<ToxicityRule>([
  "toxicity.25ohd-above-toxic",
  "toxicity.25ohd-above-toxic-no-product",
  "toxicity.25ohd-high",
]);

/** Calcium status from results within ± N days of the 25(OH)D draw. */
function contemporaneousCalcium(ctx: RuleContext): CalciumStatus | undefined {
  const v = ctx.vitd;
  if (!v) return undefined;
  const near = ctx.calciumLabs.filter((d) => Math.abs(daysBetween(d.ms, v.ms)) <= ctx.config.windows.contemporaneousCalciumDays);
  return selectCalciumStatus(near, ctx.albuminLabs, ctx.config);
}

export function evaluateVitaminDToxicity(ctx: RuleContext): Finding | undefined {
  const { config, nowMs, regimen } = ctx;
  const toxic = ctx.limits.toxic;
  const isToxic = (iu: number) => meetsThreshold(iu, toxic);
  const stoppedIU = sumIU(regimen.recentlyStopped);
  const intakeNow = sumIU(regimen.current);
  const intakePre = sumIU(regimen.preDraft);
  const history = crossingItem(regimen.preDraft, nutritionalIU, (s) => isToxic(s));
  const historyDays = history ? (history.startMs === undefined ? Infinity : daysBetween(history.startMs, nowMs)) : undefined;
  const prolongedToxic = isToxic(intakeNow) && historyDays !== undefined && historyDays >= config.windows.prolongedDays;
  const nutritionalDraft = regimen.drafts.some((d) => d.p.productClass === "nutritional" && d.p.bolusIU === undefined);
  const activeOrOrdered = regimen.current.length > 0;
  const activeVitD = [...regimen.current, ...regimen.recentlyStopped].some((x) => x.p.productClass === "active");
  const contemporaneous = contemporaneousCalcium(ctx);
  // Bolus rows warn about a bolus being ordered; one already given is evidence, not a reason to warn for weeks.
  const bolus = recentBoluses(
    regimen.drafts.map((x) => x.p),
    config,
    nowMs,
  )[0];
  const onlyStopped = !activeOrOrdered && regimen.recentlyStopped.length > 0;
  const stoppedOrReduced = onlyStopped || intakeNow < intakePre || (stoppedIU > 0 && intakeNow < stoppedIU);
  const calcium = ctx.calcium;
  const implausible = regimen.current.filter(
    (x) => x.p.productClass === "nutritional" && (x.p.dailyIU ?? 0) >= config.dose.implausibleAtLeastIuPerDay,
  );
  const c: ToxCtx = {
    involved: activeOrOrdered || regimen.recentlyStopped.length > 0,
    activeOrOrdered,
    caHigh: calcium?.high ?? false,
    caModerate: calcium?.moderate ?? false,
    caLabNormal: (calcium?.high ?? false) && ctx.calciumLabNormal !== undefined,
    labIntakeToxic: isToxic(Math.max(intakeNow, intakePre, stoppedIU)),
    activeVitD,
    vitdHigh: ctx.vitd !== undefined && isAbove(ctx.vitd.iv, config.vitaminD.highAboveNgMl),
    vitdToxic: ctx.vitd !== undefined && isAbove(ctx.vitd.iv, config.vitaminD.toxicAboveNgMl),
    contemporaneousNormal: contemporaneous !== undefined && !contemporaneous.high,
    stoppedOrReduced,
    prolongedToxic,
    orderedToxic: nutritionalDraft && isToxic(intakeNow) && !prolongedToxic,
    noCurrentCalcium: calcium === undefined,
    hypercalcemiaDocumented: conditionsOf(ctx.facts, config.modifiers.calciumRaisingConditions).length > 0,
    bolusIU: bolus?.iu ?? 0,
    bolusWarningAtLeast: config.dose.bolusWarningAtLeastIu,
    bolusInfoAbove: config.dose.bolusInfoAboveIu,
    singleDoseAbove: ctx.limits.singleDoseAboveIu,
    implausible: implausible.length > 0,
    implausibleUnit: implausible.some((x) => x.p.doseWrittenInMcg === true),
    phptModest:
      conditionsOf(ctx.facts, ["primary-hyperparathyroidism"]).length > 0 &&
      !(calcium?.moderate ?? false) &&
      !regimen.current.some((x) => x.p.productClass !== "nutritional") &&
      Math.max(intakeNow, intakePre) <= config.dose.phptRepletionMaxIuPerDay,
  };
  const resolution = resolveRows(TOXICITY_ROWS, c);
  if (!resolution) return undefined;
  const rule = resolution.rule;

  const usedCalcium = CALCIUM_ROWS.has(rule) ? calcium : VITD_ROWS.has(rule) ? contemporaneous : undefined;
  const digoxinRaised = config.modifiers.digoxinRaisesLevel && ctx.digoxin !== undefined && (usedCalcium?.high ?? false);
  const raised = digoxinRaised ? raiseOneLevel(resolution.indicator) : resolution.indicator;
  const capped = usedCalcium?.high === true && usedCalcium.highOnlyAfterCorrection;
  const indicator = capped ? capAt(raised, "warning") : raised;

  const caRows = calcium ? calciumEvidence(calcium, CALCIUM_ROWS.has(rule), config) : [];
  const contempRows = contemporaneous && contemporaneous !== calcium ? calciumEvidence(contemporaneous, false, config) : [];
  const vitd = vitdRows(ctx, VITD_ROWS.has(rule) || (rule === "toxicity.ca-high-with-high-intake" && c.vitdHigh), false);
  const keyRow = CALCIUM_ROWS.has(rule) ? caRows[0] : VITD_ROWS.has(rule) ? vitd[0] : undefined;
  const lastStopMs = regimen.recentlyStopped.reduce<number | undefined>(
    (m, s) => (m === undefined || s.endMs > m ? s.endMs : m),
    undefined,
  );
  const stoppedMatters = onlyStopped || (isToxic(stoppedIU) && !isToxic(Math.max(intakeNow, intakePre)) && CALCIUM_ROWS.has(rule));
  const stoppedDaysAgo = stoppedMatters && lastStopMs !== undefined ? Math.floor(daysBetween(lastStopMs, nowMs)) : undefined;
  const startItem = crossingItem(regimen.current, nutritionalIU, (s) => isToxic(s));

  const missing: MissingNote[] = [];
  if (!calcium) missing.push({ code: "no-current-calcium", params: { days: config.windows.labCurrentDays } });
  else if (calcium.kind === "total")
    missing.push({ code: "calcium-not-corrected", params: { days: config.calcium.correction.albuminWithinDays } });
  if (!ctx.vitd) missing.push({ code: "no-current-vitamin-d", params: { days: config.windows.vitaminDCurrentDays } });

  const m = config.modifiers;
  const coFactors = activeMeds(ctx.facts, m.calciumRaisingMedicationClasses);
  const calciumProducts = coFactors.filter((x) => x.classes.includes("calcium-supplement"));
  const modifiers = uniqueModifiers([
    ...coFactors.map((x) => medModifier("calcium-raising-medication", x, m.calciumRaisingMedicationClasses)),
    ...[...regimen.current, ...regimen.recentlyStopped]
      .filter((x) => x.p.productClass === "active")
      .map((x) => ({ kind: "active-vitamin-d" as const, label: x.p.name, id: x.p.id })),
    ...conditionsOf(ctx.facts, m.calciumRaisingConditions).map((x) => conditionModifier("calcium-raising-condition", x)),
    ...conditionsOf(ctx.facts, m.hypercalcemiaCauseConditions).map((x) => conditionModifier("hypercalcemia-cause", x)),
    ...ctx.renal.modifiers,
    ...(c.caLabNormal && calcium && ctx.calciumLabNormal && CALCIUM_ROWS.has(rule)
      ? [{ kind: "calcium-within-lab-range" as const, label: ctx.calciumLabNormal.label, id: calcium.decider.lab.id }]
      : []),
    ...(ctx.digoxin ? [medModifier("digoxin", ctx.digoxin, ["digoxin"])] : []),
  ]);

  const notes: NoteCode[] = [];
  if (capped) notes.push("high-only-after-correction");
  if (ctx.renal.severe && usedCalcium && usedCalcium.kind.startsWith("corrected")) notes.push("renal-corrected-calcium-unreliable");
  if (VITD_ROWS.has(rule) && c.contemporaneousNormal) notes.push("contemporaneous-calcium-normal");
  if (VITD_ROWS.has(rule) && stoppedOrReduced) notes.push("stopped-or-reduced");
  if (ctx.vitd?.d3Only && ctx.takingErgocalciferol) notes.push("d2-not-measured");
  if (ctx.deficiency) notes.push("deficiency-documented");

  const phase: RegimenPhase = onlyStopped
    ? "stopped"
    : regimen.drafts.some((d) => !d.carriedStart)
      ? "ordering"
      : activeOrOrdered
        ? "ongoing"
        : "none";
  const toxicDays = startItem
    ? startItem.startMs === undefined
      ? undefined
      : Math.floor(daysBetween(startItem.startMs, nowMs))
    : undefined;
  return {
    pattern: "vitamin-d-toxicity",
    indicator,
    rule,
    matchedRules: resolution.matched,
    patientId: ctx.facts.patient.id,
    ...(keyRow ? { key: keyFrom(keyRow, undefined, stoppedDaysAgo !== undefined ? lastStopMs : undefined) } : {}),
    regimen: {
      phase,
      products: productSummaries(ctx),
      dailyIU: intakeNow > 0 || !onlyStopped ? intakeNow : stoppedIU,
      dailyMcg: sumMcg(regimen.current, "calcifediol") + sumMcg(regimen.current, "active"),
      ...(toxicDays !== undefined && isToxic(intakeNow) ? { toxicDays: Math.max(0, toxicDays) } : {}),
      ...(stoppedDaysAgo !== undefined ? { stoppedDaysAgo } : {}),
      ...(bolus ? { bolusIU: bolus.iu } : {}),
    },
    limits: {
      highDoseAboveIuPerDay: ctx.limits.highDoseAboveIu,
      toxicIuPerDay: toxic.iu,
      toxicInclusive: toxic.inclusive,
      implausibleAtLeastIuPerDay: config.dose.implausibleAtLeastIuPerDay,
    },
    evidence: uniqueRows([
      ...(keyRow ? [keyRow] : []),
      ...caRows,
      ...vitd,
      ...contempRows,
      ...labRows(ctx, ["pth", "phosphate", "creatinine", "egfr", "albumin", "magnesium"]),
    ]),
    missing: [...missing, ...commonMissing(ctx)],
    modifiers,
    notes,
    suggestions: toxicitySuggestions(ctx, rule, {
      calciumOrder: calciumOrder(ctx),
      stoppable: activeMeds(ctx.facts, m.stoppableCoFactorClasses),
      bolusProductId: bolus?.p.id,
    }),
    flags: {
      ...(ctx.limits.pediatric ? { pediatric: ctx.limits.pediatric } : {}),
      doseUnknown: regimen.current.some((x) => x.p.doseUnknown) || (onlyStopped && regimen.recentlyStopped.some((x) => x.p.doseUnknown)),
      ...(stoppedDaysAgo !== undefined ? { stoppedDaysAgo } : {}),
      digoxinRaised: raised !== resolution.indicator,
      cappedAtWarning: capped && raised !== indicator,
      continuation: regimen.drafts.some((d) => d.carriedStart),
      renalSevere: ctx.renal.severe,
      ...(CALCIUM_ROWS.has(rule) && calciumProducts.length > 0 ? { calciumProduct: calciumProducts.map((x) => x.name).join(" + ") } : {}),
    },
  };
}
