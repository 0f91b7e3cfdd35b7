/**
 * Dosage → daily equivalent (docs/clinical-logic.md §13). Nutritional vitamin D in IU
 * (1 mcg = 40 IU, 1 mg = 40,000 IU); calcifediol and active vitamin D in mcg/day, never IU.
 * Structured dose and timing first; free text only fills what is missing. With no doseQuantity
 * and no timing, doseAndRate.rateRatio (50,000 IU / 7 d) or rateQuantity (2,000 [iU]/d) is an
 * amount per period. A structured count (1 capsule) of a product whose strength is unknown takes
 * the sig's amount when the sig states the same count ("1 capsule (50,000 Units total)"). Dosage entries with
 * the same `sequence` (or none) are concurrent and summed; for sequential steps the highest
 * daily step is used (the safe side for an intake alert). A single administration (count 1,
 * "once", "stat"), or a dose ≥ 100,000 IU with no timing at all, is a bolus, never spread
 * into a daily amount. Anything not understood → dose unknown (null, never 0).
 */
import type { Dosage, DosageDoseAndRate, Quantity } from "fhir/r4";
import type { VitaminDClass } from "../facts";
import type { Amount, Strength } from "./amounts";
import { classifyUnit, toIU } from "./amounts";
import vitaminDJson from "../code-sets/vitamin-d.json";
import type { Compiled } from "./compile";
import { combineDoseText, scanDoseText, statedCount, type TextScan } from "./dose-text";
import { formatAmount, frequencyText } from "./format";
import type { Frequency } from "./timing";
import { perDay, quantityPeriod, readTiming } from "./timing";

export interface DoseResult {
  dailyIU: number | null;
  dailyMcg: number | null;
  bolusIU?: number;
  doseText: string;
  doseUnknown: boolean;
  /** Nutritional vitamin D whose amount was written in mcg or mg (so an implausible dose may be a unit error). */
  doseWrittenInMcg?: true;
}

/** With no timing at all, a dose this large (IU) is taken as a one-time bolus rather than "unknown". */
export const UNTIMED_BOLUS_MIN_IU = vitaminDJson.dose.untimedBolusMinIU;
const UNKNOWN: DoseResult = { dailyIU: null, dailyMcg: null, doseText: "dose unknown", doseUnknown: true };

type Entry = { type: "regimen"; amount: Amount; freq: Frequency } | { type: "single"; amount: Amount } | { type: "unknown" };

function fromQuantity(q: Quantity, strength: Strength | null): Amount | null {
  const value = q.value ?? NaN;
  for (const u of [classifyUnit(q.code ?? q.unit), classifyUnit(q.unit)]) {
    if (u?.kind === "amount") return { value: value * u.factor, unit: u.unit };
    if (u?.kind === "per" && strength && strength.per === u.per)
      return { value: value * strength.amount.value, unit: strength.amount.unit };
  }
  return null;
}

/** "[iU]/d", "IU/day", "ug/d", "{capsule}/wk", "mg/7.d": the amount unit and the period of a rate unit. */
function rateUnit(raw: string | undefined): { unit: string; period: { period: number; periodUnit: Frequency["periodUnit"] } } | null {
  if (raw === undefined || raw.length > 64) return null;
  const slash = raw.lastIndexOf("/");
  if (slash <= 0) return null;
  const m = /^\(?\s*(\d+(?:\.\d+)?)?[.\s]?\s*([^\d\s().][^\s()]*)\s*\)?$/.exec(raw.slice(slash + 1).trim());
  const period = m ? quantityPeriod({ value: m[1] ? Number(m[1]) : 1, unit: m[2] }) : null;
  return period ? { unit: raw.slice(0, slash).trim(), period } : null;
}

/** doseAndRate.rateRatio (numerator amount / denominator time) or rateQuantity (amount/time unit) → amount per period. */
function rateDose(dr: DosageDoseAndRate | undefined, strength: Strength | null): { amount: Amount; freq: Frequency } | null {
  const ratio = dr?.rateRatio;
  if (ratio?.numerator && typeof ratio.numerator.value === "number") {
    const amount = fromQuantity(ratio.numerator, strength);
    const period = quantityPeriod(ratio.denominator);
    return amount && period ? { amount, freq: { frequency: 1, ...period } } : null;
  }
  const q = dr?.rateQuantity;
  if (q && typeof q.value === "number") {
    for (const raw of [q.code, q.unit]) {
      const r = rateUnit(raw);
      const amount = r ? fromQuantity({ value: q.value, unit: r.unit }, strength) : null;
      if (r && amount) return { amount, freq: { frequency: 1, ...r.period } };
    }
  }
  return null;
}

const isCount = (q: Quantity): boolean => [classifyUnit(q.code ?? q.unit), classifyUnit(q.unit)].some((u) => u?.kind === "per");

/** Free text of one resource, each distinct piece scanned once (the notes are shared by all dosage entries). */
class TextScans {
  private readonly seen = new Map<string, TextScan>();
  constructor(readonly notes: string) {}
  /** dosage.text, patientInstruction, then the notes — the non-blank ones, scanned. */
  of(d: Dosage): TextScan[] {
    const out: TextScan[] = [];
    for (const t of [d.text, d.patientInstruction]) if (t !== undefined && t.trim() !== "") out.push(this.scan(t));
    if (this.notes !== "") out.push(this.scan(this.notes));
    return out;
  }
  private scan(text: string): TextScan {
    let s = this.seen.get(text);
    if (!s) this.seen.set(text, (s = scanDoseText(text)));
    return s;
  }
}

function entryDose(d: Dosage, texts: TextScans, strength: Strength | null, c: Compiled): Entry {
  const dr = d.doseAndRate?.[0];
  const q = dr?.doseQuantity ?? dr?.doseRange?.high ?? dr?.doseRange?.low;
  let amount: Amount | null | undefined = typeof q?.value === "number" ? fromQuantity(q, strength) : undefined;
  let timing = readTiming(d.timing, c);
  if (q === undefined && timing === null && (dr?.rateRatio || dr?.rateQuantity)) {
    const rate = rateDose(dr, strength);
    return rate && rate.amount.value > 0 ? { type: "regimen", ...rate } : { type: "unknown" };
  }
  // "1 capsule" of a product whose strength is unknown: the sig may say what the capsule holds.
  const countWithoutStrength = amount === null && typeof q?.value === "number" && isCount(q);
  const scans = amount === undefined || countWithoutStrength || timing === null ? texts.of(d) : [];
  if (scans.length > 0) {
    const td = combineDoseText(scans);
    if (td.ambiguous) return { type: "unknown" };
    if (amount === undefined && td.amount) amount = td.amount;
    else if (amount === undefined && td.count !== undefined) {
      amount = strength && strength.per === td.countPer ? { value: td.count * strength.amount.value, unit: strength.amount.unit } : null;
    } else if (countWithoutStrength && td.amount && statedCount(scans) === q.value) amount = td.amount;
    timing ??= td.timing ?? null;
  }
  if (!amount || !(amount.value > 0)) return { type: "unknown" };
  if (timing === "single") return { type: "single", amount };
  if (timing === null) {
    return toIU(amount) >= UNTIMED_BOLUS_MIN_IU ? { type: "single", amount } : { type: "unknown" };
  }
  return { type: "regimen", amount, freq: timing };
}

/** Amount in the product's unit (IU for nutritional, mcg otherwise); null when not convertible. */
function inProductUnit(a: Amount, cls: VitaminDClass): Amount | null {
  if (cls === "nutritional") return { value: toIU(a), unit: "IU" };
  return a.unit === "mcg" ? a : null;
}

interface GroupDose {
  daily: number;
  hasRegimen: boolean;
  bolus: number;
  parts: string[];
}

function groupDose(entries: Entry[], cls: VitaminDClass): GroupDose | null {
  const g: GroupDose = { daily: 0, hasRegimen: false, bolus: 0, parts: [] };
  for (const e of entries) {
    if (e.type === "unknown") return null;
    const a = inProductUnit(e.amount, cls);
    if (!a) return null;
    if (e.type === "single") {
      g.bolus += a.value;
      g.parts.push(`${formatAmount(a.value, a.unit)} single dose`);
    } else {
      g.hasRegimen = true;
      g.daily += a.value * perDay(e.freq);
      g.parts.push(`${formatAmount(a.value, a.unit)} ${frequencyText(e.freq)}`);
    }
  }
  return g;
}

export function productDose(
  dosages: readonly Dosage[],
  notes: string,
  strength: Strength | null,
  cls: VitaminDClass,
  c: Compiled,
): DoseResult {
  const texts = new TextScans(notes.trim() === "" ? "" : notes);
  const list: readonly Dosage[] = dosages.length > 0 ? dosages : texts.notes !== "" ? [{}] : [];
  if (list.length === 0) return UNKNOWN;
  // Linear in the number of entries: push into the group (copying it per entry was quadratic).
  const bySequence = new Map<number | undefined, Entry[]>();
  for (const d of list) {
    const entry = entryDose(d, texts, strength, c);
    const group = bySequence.get(d.sequence);
    if (group) group.push(entry);
    else bySequence.set(d.sequence, [entry]);
  }
  const groups: GroupDose[] = [];
  for (const entries of bySequence.values()) {
    const g = groupDose(entries, cls);
    if (!g) return UNKNOWN;
    groups.push(g);
  }
  const g = groups.reduce((best, x) => (x.daily > best.daily ? x : best));
  const unit = cls === "nutritional" ? "IU" : "mcg";
  const daily = g.hasRegimen ? g.daily : null;
  let doseText = g.parts.join(" + ");
  const onlyDaily = g.parts.length === 1 && / daily$/.test(doseText) && !/times|twice/.test(doseText);
  if (daily !== null && !onlyDaily) doseText += ` (${formatAmount(daily, unit)}/day)`;
  if (groups.length > 1) doseText += `; highest of ${groups.length} sequential steps`;
  const out: DoseResult = {
    dailyIU: unit === "IU" ? daily : null,
    dailyMcg: unit === "mcg" ? daily : null,
    doseText,
    doseUnknown: false,
  };
  if (g.bolus > 0 && unit === "IU") out.bolusIU = g.bolus;
  const inMcg = [...bySequence.values()].some((entries) => entries.some((e) => e.type !== "unknown" && e.amount.unit === "mcg"));
  if (unit === "IU" && inMcg) out.doseWrittenInMcg = true;
  return out;
}
