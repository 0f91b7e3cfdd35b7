/**
 * Dose units and product strengths. An amount is IU or mcg (1 mg = 1000 mcg); a "per" unit
 * (tablet, capsule, mL, drop, actuation) multiplies a product strength.
 */
import type { Quantity, Ratio } from "fhir/r4";
import { doseWords } from "../code-sets";
import vitaminDJson from "../code-sets/vitamin-d.json";

/** Nutritional vitamin D: IU per mcg (docs/clinical-logic.md §13), from src/fhir/code-sets/vitamin-d.json. */
export const IU_PER_MCG = vitaminDJson.dose.iuPerMcg;

/** An amount of nutritional vitamin D in IU. */
export const toIU = (a: Amount): number => (a.unit === "IU" ? a.value : a.value * IU_PER_MCG);

export type AmountUnit = "IU" | "mcg";
export interface Amount {
  value: number;
  unit: AmountUnit;
}
export type Per = "count" | "mL" | "drop" | "actuation";
/** Product strength: `amount` per one `per` (one tablet, one mL…). */
export interface Strength {
  amount: Amount;
  per: Per;
}
export type UnitClass = { kind: "amount"; unit: AmountUnit; factor: number } | { kind: "per"; per: Per };

// Maps, not object literals: a unit spelled "constructor" or "__proto__" must not find Object's prototype.
// Spellings are data: src/fhir/code-sets/dose-words.json (English, German I.E./IE, Romance UI…).
const AMOUNT_UNITS = new Map<string, { unit: AmountUnit; factor: number }>();
for (const k of doseWords.amountUnits.IU) AMOUNT_UNITS.set(k, { unit: "IU", factor: 1 });
for (const k of doseWords.amountUnits.mcg) AMOUNT_UNITS.set(k, { unit: "mcg", factor: 1 });
for (const k of doseWords.amountUnits.mg) AMOUNT_UNITS.set(k, { unit: "mcg", factor: 1000 });

const PER_UNITS = new Map<string, Per>();
for (const k of ["ml", "milliliter", "milliliters", "millilitre", "millilitres"]) PER_UNITS.set(k, "mL");
for (const k of ["drop", "drops", "gtt", "drp"]) PER_UNITS.set(k, "drop");
for (const k of ["actuat", "actuation", "actuations", "puff", "puffs", "spray", "sprays"]) PER_UNITS.set(k, "actuation");
for (const k of [
  "1",
  "tbl",
  "tab",
  "tabs",
  "tablet",
  "tablets",
  "cap",
  "caps",
  "capsule",
  "capsules",
  "softgel",
  "softgels",
  "pill",
  "pills",
  "chew",
  "chewable",
  "wafer",
  "wafers",
  "gummy",
  "gummies",
  "lozenge",
  "lozenges",
  "each",
  "ea",
  "piece",
  "pieces",
  "ampule",
  "ampules",
  "ampoule",
  "ampoules",
  "vial",
  "vials",
  "sachet",
  "sachets",
])
  PER_UNITS.set(k, "count");
/** The dose forms a sig counts ("1 Kapsel", "2 comprimidos"), also accepted as structured dose units. */
export const COUNT_FORMS = new Map<string, Per>();
for (const per of ["count", "mL", "drop"] as const) for (const k of doseWords.countForms[per]) COUNT_FORMS.set(k, per);
for (const [k, per] of COUNT_FORMS) if (!PER_UNITS.has(k)) PER_UNITS.set(k, per);

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/**
 * Words as a regex alternation (source, no group): escaped, a space matching any whitespace run,
 * longest first so that "units" is tried before "u" and "i.u." before "iu".
 */
export function alternation(words: Iterable<string>): string {
  return [...new Set(words)]
    .sort((a, b) => b.length - a.length || a.localeCompare(b))
    .map((w) => w.trim().split(/\s+/).map(escapeRe).join("\\s+"))
    .join("|");
}
/** Every amount-unit spelling (IU, mcg, mg) as an alternation. */
export const AMOUNT_UNIT_ALTERNATION = alternation(AMOUNT_UNITS.keys());

/**
 * The number written before an amount unit. A dot before exactly three digits ("20.000", "50.000")
 * directly before an IU spelling (I.E., IE, UI, IU, Units…) is a thousands separator, as on German,
 * Spanish, Italian and French labels (nobody writes 50 IU to three decimals); before mcg/mg the dot
 * stays a decimal point ("1.250 mg" = 1.25 mg). A leading zero ("0.400 IU") stays a decimal.
 */
export function amountNumber(text: string, unit: AmountUnit, factor: number): number {
  if (unit === "IU" && factor === 1 && /^[1-9]\d{0,2}\.\d{3}$/.test(text)) return Number(text.replace(".", ""));
  return parseNumber(text);
}

/** Classifies a dose/strength unit ("[iU]", "mg", "{tbl}", "mL", "I.E.", "Kapsel"…); undefined/empty = count. null = unknown. */
export function classifyUnit(raw: string | undefined): UnitClass | null {
  const key = (raw ?? "")
    .normalize("NFC")
    .trim()
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/\(s\)$/, "");
  if (key === "") return { kind: "per", per: "count" };
  const bare = key.replace(/^\{(.*)\}$/, "$1");
  const amount = AMOUNT_UNITS.get(key) ?? AMOUNT_UNITS.get(bare);
  if (amount) return { kind: "amount", ...amount };
  const per = PER_UNITS.get(key) ?? PER_UNITS.get(bare);
  return per ? { kind: "per", per } : null;
}

/** A Quantity as an amount, or null if its unit is not an amount unit. */
export function quantityAmount(q: Quantity | undefined): Amount | null {
  if (typeof q?.value !== "number") return null;
  const u = classifyUnit(q.code ?? q.unit);
  const u2 = u?.kind === "amount" ? u : classifyUnit(q.unit);
  return u2?.kind === "amount" ? { value: q.value * u2.factor, unit: u2.unit } : null;
}

/** Medication.ingredient.strength (Ratio) → Strength. */
export function ratioStrength(r: Ratio | undefined): Strength | null {
  const amount = quantityAmount(r?.numerator);
  if (!amount) return null;
  const den = r?.denominator;
  const denValue = typeof den?.value === "number" && den.value > 0 ? den.value : 1;
  const per = classifyUnit(den?.code ?? den?.unit);
  if (per?.kind !== "per") return null;
  return { amount: { value: amount.value / denValue, unit: amount.unit }, per: per.per };
}

/**
 * A number in free text: "50,000", "1.25", ".5" (space-grouped thousands are joined first by
 * joinSpaceGroupedNumbers). Every alternative is unambiguous from its start, and a start needs a
 * separator other than "," or "." before it, so a global scan is linear in the text length.
 */
export const NUMBER = String.raw`(\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?|\.\d+)`;

/** A maximal run of digit groups separated by single spaces, not part of a word ("D3 400"): one greedy match, never retried inside. */
const SPACE_RUN = /(?<![\p{L}\p{N}.,])\d+(?: \d+)*/gu;
const SPACE_GROUPED = /^\d{1,3}(?: \d{3})+$/;

/**
 * "50 000 IU" → "50000 IU": a run of space-separated digit groups that is exactly a grouped
 * thousands number, and not followed by a digit, "." or "," (then it is a list, not a number), is
 * joined. Linear: each run is matched once by a greedy pattern that cannot fail.
 */
export function joinSpaceGroupedNumbers(text: string): string {
  if (!text.includes(" ")) return text;
  return text.replace(SPACE_RUN, (run: string, offset: number) => {
    if (!run.includes(" ")) return run;
    const next = text.charAt(offset + run.length);
    return SPACE_GROUPED.test(run) && !/[\d.,]/.test(next) ? run.replace(/ /g, "") : run;
  });
}
const AMOUNT_UNIT_RE = `(${AMOUNT_UNIT_ALTERNATION})`;
const STRENGTH_RE = new RegExp(
  String.raw`(?:^|[^\p{L}\p{N}.,])${NUMBER}\s*${AMOUNT_UNIT_RE}(?![\p{L}])(?:\s*/\s*(\d+(?:\.\d+)?)?\s*(ml|actuat|drop|gtt)\b)?`,
  "iu",
);

export const parseNumber = (s: string): number => Number(s.replace(/[, ]/g, ""));

/** First "<number> <unit>[/<denominator>]" in a product-name segment, e.g. "1.25 MG", "400 UNT", "0.2 MG/ML". */
export function parseStrengthText(text: string): Strength | null {
  const m = STRENGTH_RE.exec(joinSpaceGroupedNumbers(text));
  if (!m) return null;
  const [, num, unitText, denNum, denUnit] = m;
  const unit = classifyUnit(unitText!.replace(/\s+/g, " "));
  if (unit?.kind !== "amount") return null;
  const value = amountNumber(num!, unit.unit, unit.factor) * unit.factor;
  if (!denUnit) return { amount: { value, unit: unit.unit }, per: "count" };
  const per = classifyUnit(denUnit);
  if (per?.kind !== "per") return null;
  const den = denNum ? Number(denNum) : 1;
  return den > 0 ? { amount: { value: value / den, unit: unit.unit }, per: per.per } : null;
}
