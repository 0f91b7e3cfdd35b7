/**
 * Conservative parsing of free-text dosage ("50,000 IU once weekly", "1 capsule (50 000 IU)
 * every 2 weeks", "2000 units daily", Epic's "every 7 (seven) days", "1x wöchentlich 1 Kapsel",
 * "50.000 UI semanal"). Anything contradictory or ambiguous (two different amounts or
 * frequencies, "biweekly", "2 tablets (1000 IU)" without "each"/"total", "7 (five)") gives
 * `ambiguous`, which the caller reports as "dose unknown". The words (units, dose forms,
 * frequency words in six languages, multipliers, number words) are data:
 * src/fhir/code-sets/dose-words.json.
 */
import type { Amount, Per } from "./amounts";
import {
  alternation,
  AMOUNT_UNIT_ALTERNATION,
  amountNumber,
  classifyUnit,
  COUNT_FORMS,
  joinSpaceGroupedNumbers,
  NUMBER,
  parseNumber,
  toIU,
} from "./amounts";
import { doseWords } from "../code-sets";
import vitaminDJson from "../code-sets/vitamin-d.json";
import type { Frequency } from "./timing";
import { memoizeText } from "../../text-memo";
import { perDay } from "./timing";

export interface TextDose {
  amount?: Amount;
  /** Number of tablets/capsules/mL… when no amount is written (multiplies the product strength). */
  count?: number;
  countPer?: Per;
  timing?: Frequency | "single";
  ambiguous?: true;
}

/** Lower-case, whitespace runs as one space: the key of every word table. */
const wordKey = (s: string): string => s.toLowerCase().replace(/\s+/g, " ");

/** English number words: "one" … "nineteen", "twenty" … "ninety" (dose-words.json). */
const NUMBER_WORDS = new Map<string, number>([
  ...Object.entries(doseWords.numberWords.units),
  ...Object.entries(doseWords.numberWords.tens),
]);
const MULTIPLIERS = new Map(Object.entries(doseWords.multipliers).map(([w, n]) => [wordKey(w), n] as const));
const ARTICLES = new Map([
  ["a", 1],
  ["an", 1],
]);
const UNIT_WORDS_1_9 = Object.entries(doseWords.numberWords.units)
  .filter(([, n]) => n < 10)
  .map(([w]) => w);
/** A number word: "seven", "fourteen", "twenty", "twenty-eight" / "twenty eight". */
const NUMBER_WORD = `(?:(?:${alternation(Object.keys(doseWords.numberWords.tens))})(?:[-\\s](?:${alternation(UNIT_WORDS_1_9)}))?|${alternation(Object.keys(doseWords.numberWords.units))})`;
/** Value of a number word or a tens-unit composite ("twenty-eight"); NaN for anything else. */
function numberWordValue(s: string): number {
  const key = wordKey(s);
  const hit = NUMBER_WORDS.get(key);
  if (hit !== undefined) return hit;
  const [tens, unit, ...rest] = key.split(/[-\s]/);
  const t = NUMBER_WORDS.get(tens ?? "");
  const u = NUMBER_WORDS.get(unit ?? "");
  return rest.length === 0 && t !== undefined && t >= 20 && u !== undefined && u < 10 ? t + u : NaN;
}
/** Digits, a number word, a multiplier ("twice", "zweimal") or "a"/"an". */
function wordValue(s: string): number {
  const n = numberWordValue(s);
  return Number.isNaN(n) ? (MULTIPLIERS.get(wordKey(s)) ?? ARTICLES.get(wordKey(s)) ?? NaN) : n;
}
const num = (s: string): number => (/^[\d.,]+$/.test(s) ? parseNumber(s) : wordValue(s));
const B = "(?:^|[^\\p{L}\\p{N}.,])";
const E = "(?![\\p{L}\\p{N}])";
const re = (s: string): RegExp => new RegExp(s, "giu");

const AMOUNT = re(`${B}(?:${NUMBER}\\s*(?:-|–|to)\\s*)?${NUMBER}\\s*(${AMOUNT_UNIT_ALTERNATION})${E}`);
/** "2 1000 IU tablets": a bare count before an amount (not a "50 000" thousands group) — ambiguous. */
const BARE_COUNT_BEFORE_AMOUNT = new RegExp(
  `${B}\\d+\\s+(?:\\d{4,}|\\d+\\.\\d+|\\d{1,3}(?:,\\d{3})+)\\s*(?:${AMOUNT_UNIT_ALTERNATION})${E}`,
  "iu",
);
const COUNT = re(`${B}(\\d+(?:\\.\\d+)?|one|two|three|four|a|an)\\s+(${alternation(COUNT_FORMS.keys())})${E}`);
/**
 * Epic writes a number followed by the same number in words: "every 7 (seven) days", "Take 1 (one)
 * capsule". The words are dropped when they repeat the number; a different number word ("7 (five)")
 * makes the text ambiguous; other words in parentheses are left alone. One word, or tens + unit.
 */
const NUMBER_IN_WORDS = re(`(^|[^\\p{L}\\p{N}.,])(\\d+)\\s*\\(\\s*(\\p{L}+(?:[-\\s]\\p{L}+)?)\\s*\\)`);
const UNIT_DAYS = (u: string): Frequency["periodUnit"] =>
  /^h/i.test(u) ? "h" : /^d/i.test(u) ? "d" : /^w/i.test(u) ? "wk" : /^mo|^m$/i.test(u) ? "mo" : "a";
const PERIOD_WORD = "(hours?|hrs?|h|days?|d|weeks?|wks?|w|months?|mos?|m|years?|yrs?|y)";

type Rule = [RegExp, (m: RegExpMatchArray) => Frequency | "single" | "ambiguous"];
const f = (frequency: number, period: number, periodUnit: Frequency["periodUnit"]): Frequency => ({ frequency, period, periodUnit });

/** Once-per-period words of dose-words.json ("daily", "täglich", "semanal", "par jour"…) → period unit. */
const FREQUENCY_WORDS = new Map<string, Frequency["periodUnit"]>();
for (const [unit, words] of Object.entries(doseWords.frequencyWords) as [Frequency["periodUnit"], string[]][])
  for (const w of words) FREQUENCY_WORDS.set(wordKey(w), unit);
const frequencyWords = (unit?: Frequency["periodUnit"]): string =>
  alternation([...FREQUENCY_WORDS].filter(([, u]) => unit === undefined || u === unit).map(([w]) => w));
const TIMES = alternation(doseWords.timesWords.all);

/** Ordered: explicit multipliers first; each match is blanked out before the next rule runs. */
const RULES: Rule[] = [
  [re(`${B}(bi-?weekly|bi-?monthly|semi-?monthly)${E}`), () => "ambiguous"],
  // "14-täglich" (every 14 days in German) must not read as daily.
  [re(`${B}\\d+-(?:${frequencyWords()})${E}`), () => "ambiguous"],
  [re(`${B}fortnightly${E}`), () => f(1, 2, "wk")],
  [re(`${B}every\\s+other\\s+(day|week|month)${E}`), (m) => f(1, 2, UNIT_DAYS(m[1]!))],
  [re(`${B}(?:every|q)\\s*(\\d+|${NUMBER_WORD})\\s*${PERIOD_WORD}${E}`), (m) => f(1, num(m[1]!), UNIT_DAYS(m[2]!))],
  [
    re(
      `${B}(once|twice|thrice|\\d+|${NUMBER_WORD})\\s*(?:x|times?)?\\s*(?:a|per|each|every|\\/|in\\s+a)\\s*(day|week|wk|month|year|d)${E}`,
    ),
    (m) => f(num(m[1]!), 1, UNIT_DAYS(m[2]!)),
  ],
  [
    // "twice daily", "3x weekly", "1x wöchentlich", "zweimal täglich", "2 veces al día", "dos veces por semana".
    re(`${B}(?:(${alternation(MULTIPLIERS.keys())})|(\\d+|${NUMBER_WORD})\\s*(?:${TIMES}))\\s*(${frequencyWords()})${E}`),
    (m) => f(m[1] !== undefined ? num(m[1]) : num(m[2]!), 1, FREQUENCY_WORDS.get(wordKey(m[3]!))!),
  ],
  [re(`${B}(b\\.?i\\.?d\\.?)${E}`), () => f(2, 1, "d")],
  [re(`${B}(t\\.?i\\.?d\\.?)${E}`), () => f(3, 1, "d")],
  [re(`${B}(q\\.?i\\.?d\\.?)${E}`), () => f(4, 1, "d")],
  [re(`${B}(q\\.?o\\.?d\\.?|on\\s+alternate\\s+days)${E}`), () => f(1, 2, "d")],
  [
    re(
      `${B}(${frequencyWords("d")}|every\\s+day|each\\s+day|a\\s+day|per\\s+day|\\/\\s*day|q\\.?d\\.?|nightly|at\\s+bedtime|every\\s+(?:morning|evening|night)|qhs|qam)${E}`,
    ),
    () => f(1, 1, "d"),
  ],
  [
    re(`${B}(${frequencyWords("wk")}|every\\s+week|each\\s+week|a\\s+week|per\\s+week|\\/\\s*(?:week|wk)|qw|q\\s*week|q1w)${E}`),
    () => f(1, 1, "wk"),
  ],
  [
    re(`${B}(${frequencyWords("mo")}|every\\s+month|each\\s+month|a\\s+month|per\\s+month|\\/\\s*month|qm|q\\s*month)${E}`),
    () => f(1, 1, "mo"),
  ],
  [re(`${B}(${frequencyWords("a")}|every\\s+year|once\\s+a\\s+year|per\\s+year)${E}`), () => f(1, 1, "a")],
  [re(`${B}(once|single\\s+dose|one\\s+time|one-time|one\\s+dose|1\\s+dose|x\\s?1|stat|single)${E}`), () => "single"],
  // A multiplier word no rule has read ("five veces al día", "3 mal"): how often is not known.
  [re(`${B}(?:${alternation(doseWords.timesWords.mustBeRead)})${E}`), () => "ambiguous"],
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
    const unit = classifyUnit(unitText);
    if (unit?.kind !== "amount") continue;
    // "50.000 IU" / "20.000 I.E." / "50.000 UI": a dot as thousands separator before an IU spelling (amounts.ts amountNumber).
    const a: Amount = { value: amountNumber(high!, unit.unit, unit.factor) * unit.factor, unit: unit.unit };
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

/**
 * Scans one piece of free text (whitespace is normalized here); longer than MAX_DOSE_TEXT_LENGTH → ambiguous.
 * Memoized per text (sigs repeat across patients): the scan returned is shared and frozen.
 */
export const scanDoseText: (text: string) => TextScan = memoizeText((text) => scanDoseTextUpTo(text, MAX_DOSE_TEXT_LENGTH), {
  maxEntries: 4096,
  maxKeyLength: 512,
});

/** scanDoseText with another length cap (tests lift it to show the scan itself is linear). */
export function scanDoseTextUpTo(text: string, maxLength: number): TextScan {
  if (text.length > maxLength) return { ...AMBIGUOUS_SCAN };
  let numberWordsDisagree = false;
  const t = joinSpaceGroupedNumbers(text.normalize("NFC").replace(/\s+/g, " ").trim()).replace(
    NUMBER_IN_WORDS,
    (all, before: string, digits: string, words: string) => {
      const value = numberWordValue(words);
      if (Number.isNaN(value)) return all;
      if (value !== Number(digits)) numberWordsDisagree = true;
      return `${before}${digits}`;
    },
  );
  const out: TextScan = {
    ambiguous: numberWordsDisagree,
    single: false,
    each: /\beach\b|\bper\s+(tab|cap|softgel|pill)/i.test(t),
    total: /\btotal\b/i.test(t),
  };
  scanAmounts(t, out);
  scanTiming(t, out);
  for (const m of t.matchAll(COUNT)) {
    const n = num(m[1]!);
    if (!out.count) out.count = { first: n, form: wordKey(m[2]!), uniform: true };
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
  const first = periodic.reduce<(typeof periodic)[number] | undefined>(
    (best, p) => (best === undefined || p.rule < best.rule ? p : best),
    undefined,
  );
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
    out.count = count;
    out.countPer = COUNT_FORMS.get(counts[0]!.form) ?? "count";
  }
  return out;
}

/**
 * The number of tablets/capsules… the pieces state, when they state one consistently ("Take 1
 * capsule (50,000 Units total)" → 1); undefined otherwise. The amount combineDoseText reads goes
 * with this count (it is already the total per administration).
 */
export function statedCount(scans: readonly TextScan[]): number | undefined {
  const counts = scans.flatMap((s) => (s.count ? [s.count] : []));
  const first = counts[0]?.first;
  return counts.every((c) => c.uniform && c.first === first) ? first : undefined;
}

export function parseDoseText(text: string): TextDose {
  return combineDoseText([scanDoseText(text)]);
}
