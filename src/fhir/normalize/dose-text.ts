/**
 * Conservative parsing of free-text dosage ("50,000 IU once weekly", "1 capsule (50 000 IU)
 * every 2 weeks", "2000 units daily"). Anything contradictory or ambiguous (two different
 * amounts or frequencies, "biweekly", "2 tablets (1000 IU)" without "each"/"total",
 * "50.000 IU") gives `ambiguous`, which the caller reports as "dose unknown".
 */
import type { Amount, Per } from "./amounts";
import { classifyUnit, joinSpaceGroupedNumbers, NUMBER, parseNumber, toIU } from "./amounts";
import vitaminDJson from "../code-sets/vitamin-d.json";
import type { Frequency } from "./timing";
import { perDay } from "./timing";

export interface TextDose {
  amount?: Amount;
  /** Number of tablets/capsules/mL… when no amount is written (multiplies the product strength). */
  count?: number;
  countPer?: Per;
  timing?: Frequency | "single";
  ambiguous?: true;
}

const WORD_NUM: Record<string, number> = { a: 1, an: 1, one: 1, once: 1, two: 2, twice: 2, three: 3, thrice: 3, four: 4, five: 5, six: 6 };
const num = (s: string): number => WORD_NUM[s.toLowerCase()] ?? parseNumber(s);
const B = "(?:^|[^\\p{L}\\p{N}.,])";
const E = "(?![\\p{L}\\p{N}])";
const re = (s: string): RegExp => new RegExp(s, "giu");

const AMOUNT = re(`${B}(?:${NUMBER}\\s*(?:-|–|to)\\s*)?${NUMBER}\\s*(international\\s+units?|units?|unt|iu|u|micrograms?|mcg|ug|µg|μg|milligrams?|mg)${E}`);
/** "2 1000 IU tablets": a bare count before an amount (not a "50 000" thousands group) — ambiguous. */
const BARE_COUNT_BEFORE_AMOUNT = new RegExp(`${B}\\d+\\s+(?:\\d{4,}|\\d+\\.\\d+|\\d{1,3}(?:,\\d{3})+)\\s*(?:international\\s+units?|units?|unt|iu|u|mcg|ug|µg|μg|mg)${E}`, "iu");
const COUNT = re(`${B}(\\d+(?:\\.\\d+)?|one|two|three|four|a|an)\\s+(tabs?|tablets?|caps?|capsules?|softgels?|pills?|gummies|gummy|chews?|wafers?|drops?|ml|sachets?|ampoules?|ampules?)${E}`);
const UNIT_DAYS = (u: string): Frequency["periodUnit"] =>
  /^h/i.test(u) ? "h" : /^d/i.test(u) ? "d" : /^w/i.test(u) ? "wk" : /^mo|^m$/i.test(u) ? "mo" : "a";
const PERIOD_WORD = "(hours?|hrs?|h|days?|d|weeks?|wks?|w|months?|mos?|m|years?|yrs?|y)";

type Rule = [RegExp, (m: RegExpMatchArray) => Frequency | "single" | "ambiguous"];
const f = (frequency: number, period: number, periodUnit: Frequency["periodUnit"]): Frequency => ({ frequency, period, periodUnit });

/** Ordered: explicit multipliers first; each match is blanked out before the next rule runs. */
const RULES: Rule[] = [
  [re(`${B}(bi-?weekly|bi-?monthly|semi-?monthly)${E}`), () => "ambiguous"],
  [re(`${B}fortnightly${E}`), () => f(1, 2, "wk")],
  [re(`${B}every\\s+other\\s+(day|week|month)${E}`), (m) => f(1, 2, UNIT_DAYS(m[1]!))],
  [re(`${B}(?:every|q)\\s*(\\d+|two|three|four|five|six)\\s*${PERIOD_WORD}${E}`), (m) => f(1, num(m[1]!), UNIT_DAYS(m[2]!))],
  [
    re(`${B}(once|twice|thrice|\\d+|one|two|three|four)\\s*(?:x|times?)?\\s*(?:a|per|each|every|\\/|in\\s+a)\\s*(day|week|wk|month|year|d)${E}`),
    (m) => f(num(m[1]!), 1, UNIT_DAYS(m[2]!)),
  ],
  [
    re(`${B}(once|twice|thrice|(?:\\d+|one|two|three|four)\\s*(?:x|times?))\\s*(daily|weekly|monthly|yearly|annually)${E}`),
    (m) => f(num(m[1]!.replace(/\s*(x|times?)$/i, "")), 1, UNIT_DAYS(m[2]!.replace(/^annually$/i, "y"))),
  ],
  [re(`${B}(b\\.?i\\.?d\\.?)${E}`), () => f(2, 1, "d")],
  [re(`${B}(t\\.?i\\.?d\\.?)${E}`), () => f(3, 1, "d")],
  [re(`${B}(q\\.?i\\.?d\\.?)${E}`), () => f(4, 1, "d")],
  [re(`${B}(q\\.?o\\.?d\\.?|on\\s+alternate\\s+days)${E}`), () => f(1, 2, "d")],
  [re(`${B}(daily|every\\s+day|each\\s+day|a\\s+day|per\\s+day|\\/\\s*day|q\\.?d\\.?|nightly|at\\s+bedtime|every\\s+(?:morning|evening|night)|qhs|qam)${E}`), () => f(1, 1, "d")],
  [re(`${B}(weekly|every\\s+week|each\\s+week|a\\s+week|per\\s+week|\\/\\s*(?:week|wk)|qw|q\\s*week|q1w)${E}`), () => f(1, 1, "wk")],
  [re(`${B}(monthly|every\\s+month|each\\s+month|a\\s+month|per\\s+month|\\/\\s*month|qm|q\\s*month)${E}`), () => f(1, 1, "mo")],
  [re(`${B}(yearly|annually|every\\s+year|once\\s+a\\s+year|per\\s+year)${E}`), () => f(1, 1, "a")],
  [re(`${B}(once|single\\s+dose|one\\s+time|one-time|one\\s+dose|1\\s+dose|x\\s?1|stat|single)${E}`), () => "single"],
];

/**
 * What one piece of text says, summarized so that pieces combine in constant time: a dosage's
 * text, its patientInstruction and the resource's notes are scanned once each (the notes once
 * per resource, not once per dosage entry) and then combined. No match spans the ". " that joins
 * the pieces, so combining scans gives what scanning the joined text gives (tested).
 */
export interface TextScan {
  ambiguous: boolean;
  /** First amount, and the range of all amounts in IU-equivalents (for "two different amounts"). */
  amount?: { first: Amount; minIU: number; maxIU: number };
  /** First periodic frequency in RULES order (rule index, then position), and the range of all per-day rates. */
  periodic?: { rule: number; first: Frequency; minPerDay: number; maxPerDay: number };
  single: boolean;
  count?: { first: number; form: string; uniform: boolean };
  each: boolean;
  total: boolean;
}


function scanTiming(text: string, out: TextScan): void {
  let rest = text;
  RULES.forEach(([rule, build], index) => {
    for (const m of rest.matchAll(rule)) {
      const r = build(m);
      if (r === "ambiguous") out.ambiguous = true;
      else if (r === "single") out.single = true;
      else {
        const rate = perDay(r);
        if (!out.periodic) out.periodic = { rule: index, first: r, minPerDay: rate, maxPerDay: rate };
        else {
          out.periodic.minPerDay = Math.min(out.periodic.minPerDay, rate);
          out.periodic.maxPerDay = Math.max(out.periodic.maxPerDay, rate);
        }
      }
    }
    rest = rest.replace(rule, " § ");
  });
}

function scanAmounts(text: string, out: TextScan): void {
  if (BARE_COUNT_BEFORE_AMOUNT.test(text)) out.ambiguous = true;
  for (const m of text.matchAll(AMOUNT)) {
    const [, , high, unitText] = m;
    const unit = classifyUnit(unitText!.replace(/\s+/g, " ").replace(/^international units?$/i, "iu"));
    if (unit?.kind !== "amount") continue;
    // "50.000 IU" is a European thousands separator or a typo: never read it as 50 IU.
    if (unit.unit === "IU" && unit.factor === 1 && /^\d{1,3}\.\d{3}$/.test(high!)) out.ambiguous = true;
    const a: Amount = { value: parseNumber(high!) * unit.factor, unit: unit.unit };
    if (!out.amount) out.amount = { first: a, minIU: toIU(a), maxIU: toIU(a) };
    else {
      out.amount.minIU = Math.min(out.amount.minIU, toIU(a));
      out.amount.maxIU = Math.max(out.amount.maxIU, toIU(a));
    }
  }
}

/**
 * Longest piece of free text read as a dose (src/fhir/code-sets/vitamin-d.json `dose.maxTextLength`).
 * Real dose texts are a line; a longer piece is not read at all ("dose unknown"), so hostile text
 * costs nothing — and the scan below is linear anyway (test/fhir/normalize/dose-text-linear.test.ts).
 */
export const MAX_DOSE_TEXT_LENGTH: number = vitaminDJson.dose.maxTextLength;

const AMBIGUOUS_SCAN: TextScan = { ambiguous: true, single: false, each: false, total: false };

/** Scans one piece of free text (whitespace is normalized here); longer than MAX_DOSE_TEXT_LENGTH → ambiguous. */
export function scanDoseText(text: string): TextScan {
  return scanDoseTextUpTo(text, MAX_DOSE_TEXT_LENGTH);
}

/** scanDoseText with another length cap (tests lift it to show the scan itself is linear). */
export function scanDoseTextUpTo(text: string, maxLength: number): TextScan {
  if (text.length > maxLength) return { ...AMBIGUOUS_SCAN };
  const t = joinSpaceGroupedNumbers(text.replace(/\s+/g, " ").trim());
  const out: TextScan = { ambiguous: false, single: false, each: /\beach\b|\bper\s+(tab|cap|softgel|pill)/i.test(t), total: /\btotal\b/i.test(t) };
  scanAmounts(t, out);
  scanTiming(t, out);
  for (const m of t.matchAll(COUNT)) {
    const n = num(m[1]!);
    if (!out.count) out.count = { first: n, form: m[2]!.toLowerCase(), uniform: true };
    else if (n !== out.count.first) out.count.uniform = false;
  }
  return out;
}

/** `x` is within `tolerance` of `ref` for every x in [min, max] (NaN and ∞ − ∞ compare false, as a direct check would). */
const spreadWithin = (min: number, max: number, ref: number, tolerance: number): boolean =>
  !(Math.abs(max - ref) > tolerance) && !(Math.abs(min - ref) > tolerance);

/** The scans of several pieces, in order, read as one text (the pieces joined with ". "). */
export function combineDoseText(scans: readonly TextScan[]): TextDose {
  if (scans.some((s) => s.ambiguous)) return { ambiguous: true };
  const amounts = scans.flatMap((s) => (s.amount ? [s.amount] : []));
  const amount = amounts[0]?.first;
  if (amount && !amounts.every((a) => spreadWithin(a.minIU, a.maxIU, toIU(amount), 1e-6 * toIU(amount)))) return { ambiguous: true };
  let timing: TextDose["timing"];
  const periodic = scans.flatMap((s) => (s.periodic ? [s.periodic] : []));
  const first = periodic.reduce<(typeof periodic)[number] | undefined>((best, p) => (best === undefined || p.rule < best.rule ? p : best), undefined);
  if (first) {
    const rate = perDay(first.first);
    if (!periodic.every((p) => Math.abs(p.minPerDay - rate) < 1e-9 && Math.abs(p.maxPerDay - rate) < 1e-9)) return { ambiguous: true };
    timing = first.first;
  } else if (scans.some((s) => s.single)) timing = "single";
  const counts = scans.flatMap((s) => (s.count ? [s.count] : []));
  const count = counts[0]?.first;
  if (counts.some((c) => !c.uniform || c.first !== count)) return { ambiguous: true };
  const out: TextDose = {};
  if (timing) out.timing = timing;
  if (amount) {
    if (count !== undefined && count !== 1) {
      if (scans.some((s) => s.each)) out.amount = { ...amount, value: amount.value * count };
      else if (scans.some((s) => s.total)) out.amount = amount;
      else return { ambiguous: true };
    } else out.amount = amount;
  } else if (count !== undefined) {
    const form = counts[0]!.form;
    out.count = count;
    out.countPer = form === "ml" ? "mL" : form.startsWith("drop") ? "drop" : "count";
  }
  return out;
}

export function parseDoseText(text: string): TextDose {
  return combineDoseText([scanDoseText(text)]);
}
