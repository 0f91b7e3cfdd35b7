/**
 * The vitamin D regimen as the rules see it (docs/clinical-logic.md §5, §7):
 * - "current" = products taken now plus draft orders; a draft replaces active products of the
 *   same ingredient and adds to the others; a draft renewing an unchanged dose carries the
 *   original start (a continuation when that start is ≥ continuationMinDays ago);
 * - the same resource (type + id, the product's `id`) listed twice counts once;
 * - a patient-reported statement and an order for the same ingredient and dose count once;
 * - products stopped less than `stoppedWithinDays` ago are kept apart for the lab-based rows.
 *
 * Start dates: a product without `start` has an unknown start. It is never a recent start
 * (repletion-cramp) and it is long-standing for the toxicity history (ordered first, duration ∞).
 * A statement's `takingSinceAtLeast` (its dateAsserted) is only a lower bound of that duration:
 * the intake has lasted at least since then, which an unknown start already satisfies, so the
 * lower bound never shortens the history; it is what the card shows instead of a start date.
 */
import type { ClinicalConfig } from "../config/clinical-config";
import type { VitaminDProduct } from "../fhir/facts";
import { toMs, withinDays } from "./time";

export interface Item {
  p: VitaminDProduct;
  /** Start in ms; undefined = unknown (ordered as long-standing). Drafts that are new starts = now. */
  startMs: number | undefined;
  draft: boolean;
  /** The draft renews an unchanged dose and inherited the replaced product's start. */
  carriedStart: boolean;
}

export interface StoppedItem {
  p: VitaminDProduct;
  endMs: number;
}

export interface RegimenBase {
  current: Item[];
  preDraft: Item[];
  drafts: Item[];
  recentlyStopped: StoppedItem[];
  stopDateUnknown: VitaminDProduct[];
}

const isRepeating = (p: VitaminDProduct) => p.bolusIU === undefined;

function sameDose(a: VitaminDProduct, b: VitaminDProduct, tolerance: number): boolean {
  if (a.doseUnknown || b.doseUnknown) return false;
  if (a.dailyIU !== null && b.dailyIU !== null) return Math.abs(a.dailyIU - b.dailyIU) <= tolerance;
  if (a.dailyMcg !== null && b.dailyMcg !== null) return Math.abs(a.dailyMcg - b.dailyMcg) < 1e-9;
  return false;
}

/** Drops a statement duplicated by an order of the same ingredient and dose (the earlier start is kept). */
/**
 * Items indexed by ingredient and dose bucket, so "the same product at the same dose" is found
 * without scanning every item (inputs can hold thousands of records). Buckets are as wide as the
 * same-dose tolerance; a lookup checks the neighbouring buckets and confirms with sameDose.
 */
class DoseIndex {
  private readonly buckets = new Map<string, Item[]>();
  constructor(private readonly tolerance: number) {}

  private keys(p: VitaminDProduct): string[] {
    if (p.doseUnknown) return [];
    if (p.dailyIU !== null) {
      const b = Math.floor(p.dailyIU / Math.max(this.tolerance, 1e-6));
      return [b - 1, b, b + 1].map((k) => `${p.ingredient}|iu|${k}`);
    }
    return p.dailyMcg !== null ? [`${p.ingredient}|mcg|${p.dailyMcg}`] : [];
  }

  add(item: Item): void {
    const key = this.keys(item.p)[item.p.dailyIU !== null ? 1 : 0];
    if (key === undefined) return;
    const list = this.buckets.get(key);
    if (list) list.push(item);
    else this.buckets.set(key, [item]);
  }

  find(p: VitaminDProduct, accept: (it: Item) => boolean = () => true): Item | undefined {
    for (const key of this.keys(p)) {
      const hit = this.buckets.get(key)?.find((it) => accept(it) && sameDose(it.p, p, this.tolerance));
      if (hit) return hit;
    }
    return undefined;
  }
}

/** A patient statement and an order for the same ingredient and dose are one product (the earliest start wins). */
function dedupe(items: Item[], tolerance: number): Item[] {
  const out = items.filter((it) => it.p.source !== "statement");
  const requests = new DoseIndex(tolerance);
  for (const it of out) if (it.p.source === "request") requests.add(it);
  for (const s of items) {
    if (s.p.source !== "statement") continue;
    const twin = requests.find(s.p);
    if (!twin) out.push(s);
    else if (s.startMs === undefined || (twin.startMs !== undefined && s.startMs < twin.startMs)) twin.startMs = s.startMs;
  }
  return out;
}

/** The first product of each id: the same resource seen twice (two pages, prefetch + fallback) is one product. */
function uniqueById(products: readonly VitaminDProduct[]): VitaminDProduct[] {
  const seen = new Set<string>();
  return products.filter((p) => (seen.has(p.id) ? false : (seen.add(p.id), true)));
}

export function buildRegimen(all: VitaminDProduct[], config: ClinicalConfig, nowMs: number): RegimenBase {
  const tolerance = config.dose.sameDoseToleranceIuPerDay;
  const products = uniqueById(all);
  const active = products.filter((p) => p.status === "active");
  const preDraft = dedupe(
    active.filter((p) => p.source !== "draft-order").map((p) => ({ p, startMs: toMs(p.start), draft: false, carriedStart: false })),
    tolerance,
  );
  const repeatingPreDraft = new DoseIndex(tolerance);
  for (const it of preDraft) if (isRepeating(it.p)) repeatingPreDraft.add(it);
  const drafts: Item[] = [];
  // A repeating draft replaces every active repeating product of the same ingredient.
  const replacedIngredients = new Set<VitaminDProduct["ingredient"]>();
  // order-select: advice focuses on context.selections; the other drafts of the basket are context only
  // (they are checked when selected, and at order-sign).
  for (const p of active.filter((x) => x.source === "draft-order" && x.selected !== false)) {
    const item: Item = { p, startMs: toMs(p.start) ?? nowMs, draft: true, carriedStart: false };
    if (isRepeating(p)) {
      replacedIngredients.add(p.ingredient);
      const renewed = repeatingPreDraft.find(p);
      if (renewed) Object.assign(item, { startMs: renewed.startMs, carriedStart: true });
    }
    drafts.push(item);
  }
  const replaced = (it: Item) => isRepeating(it.p) && replacedIngredients.has(it.p.ingredient);
  const current = [...preDraft.filter((it) => !replaced(it)), ...drafts];
  const recentlyStopped: StoppedItem[] = [];
  const stopDateUnknown: VitaminDProduct[] = [];
  for (const p of products.filter((x) => x.status === "stopped")) {
    const endMs = toMs(p.end);
    if (endMs === undefined) stopDateUnknown.push(p);
    else if (withinDays(endMs, nowMs, config.windows.stoppedWithinDays)) recentlyStopped.push({ p, endMs });
  }
  return { current, preDraft, drafts, recentlyStopped, stopDateUnknown };
}

export const sumIU = (items: { p: VitaminDProduct }[]) =>
  items.reduce((s, it) => s + (it.p.productClass === "nutritional" && isRepeating(it.p) ? (it.p.dailyIU ?? 0) : 0), 0);

export const sumMcg = (items: { p: VitaminDProduct }[], cls: VitaminDProduct["productClass"]) =>
  items.reduce((s, it) => s + (it.p.productClass === cls ? (it.p.dailyMcg ?? 0) : 0), 0);

/**
 * The item whose start brought the running sum (in start order) past the threshold:
 * "the most recent product that brought the summed daily dose above the threshold".
 */
export function crossingItem(items: Item[], amount: (p: VitaminDProduct) => number, reached: (sum: number) => boolean): Item | undefined {
  const sorted = [...items].sort((a, b) => (a.startMs ?? -Infinity) - (b.startMs ?? -Infinity));
  let sum = 0;
  for (const it of sorted) {
    sum += amount(it.p);
    if (reached(sum)) return it;
  }
  return undefined;
}

export const nutritionalIU = (p: VitaminDProduct) => (p.productClass === "nutritional" && isRepeating(p) ? (p.dailyIU ?? 0) : 0);
export const calcifediolMcg = (p: VitaminDProduct) => (p.productClass === "calcifediol" ? (p.dailyMcg ?? 0) : 0);

/** One-time doses given within the window, or being ordered now (start = now). */
export function recentBoluses(
  products: VitaminDProduct[],
  config: ClinicalConfig,
  nowMs: number,
): { p: VitaminDProduct; iu: number; ms: number }[] {
  const out: { p: VitaminDProduct; iu: number; ms: number }[] = [];
  for (const p of products) {
    if (p.bolusIU === undefined || p.bolusIU <= 0) continue;
    const ms = p.source === "draft-order" ? (toMs(p.start) ?? nowMs) : toMs(p.start);
    if (ms !== undefined && withinDays(ms, nowMs, config.windows.bolusRecentDays)) out.push({ p, iu: p.bolusIU, ms });
  }
  return out.sort((a, b) => b.iu - a.iu);
}

/**
 * The nutritional vitamin D intake (IU/day) at an instant, counted as the rules count the current
 * regimen: the repeating products taken at `atMs` (started at or before it; stopped ones until their
 * end, active ones still), each resource once, and a patient statement and an order of the same
 * ingredient and dose once. Draft orders are not part of the history. For charts of the regimen over
 * time (the SMART app's dose chart); the rules themselves use buildRegimen at now.
 */
export function nutritionalIUAt(all: readonly VitaminDProduct[], config: ClinicalConfig, atMs: number): number {
  const taking = uniqueById(all).filter((p) => {
    if (p.source === "draft-order") return false;
    const start = toMs(p.start);
    if (start === undefined || start > atMs) return false;
    if (p.status === "active") return true;
    const end = toMs(p.end);
    return end !== undefined && atMs < end;
  });
  const items = taking.map((p): Item => ({ p, startMs: toMs(p.start), draft: false, carriedStart: false }));
  return sumIU(dedupe(items, config.dose.sameDoseToleranceIuPerDay));
}
