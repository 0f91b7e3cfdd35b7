/** Human-readable dose text: "50,000 IU once weekly (7,143 IU/day)", "0.25 mcg daily". */
import type { AmountUnit } from "./amounts";
import type { Frequency } from "./timing";

const IU_FMT = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const MCG_FMT = new Intl.NumberFormat("en-US", { maximumFractionDigits: 3 });
const NUM_FMT = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

export const formatAmount = (value: number, unit: AmountUnit): string => `${(unit === "IU" ? IU_FMT : MCG_FMT).format(value)} ${unit}`;

const UNIT_WORD: Record<Frequency["periodUnit"], string> = {
  s: "second",
  min: "minute",
  h: "hour",
  d: "day",
  wk: "week",
  mo: "month",
  a: "year",
};
const ADVERB: Partial<Record<Frequency["periodUnit"], string>> = { d: "daily", wk: "weekly", mo: "monthly", a: "yearly" };
const ONCE: Partial<Record<Frequency["periodUnit"], string>> = { d: "daily", wk: "once weekly", mo: "monthly", a: "yearly" };

export function frequencyText(f: Frequency): string {
  const n = NUM_FMT.format(f.frequency);
  const p = NUM_FMT.format(f.period);
  const word = UNIT_WORD[f.periodUnit];
  const adverb = ADVERB[f.periodUnit];
  if (f.period === 1 && adverb) {
    if (f.frequency === 1) return ONCE[f.periodUnit] ?? adverb;
    return f.frequency === 2 ? `twice ${adverb}` : `${n} times ${adverb}`;
  }
  if (f.frequency === 1) {
    if (f.period === 1) return `every ${word}`;
    return f.period === 2 && f.periodUnit === "d" ? "every other day" : `every ${p} ${word}s`;
  }
  return f.period === 1 ? `${n} times per ${word}` : `${n} times every ${p} ${word}s`;
}
