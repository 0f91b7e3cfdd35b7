/**
 * Dose text comes from FHIR servers and EHRs: its scanner must be linear in the text length and
 * cap what it reads. Cost is compared within one run (a 100 kB adversarial text against the same
 * kind of text at 1 kB, scanned 100 times): linear gives a ratio near 1, the old quadratic grammar
 * gave ≈ 100 (and blocked the event loop for minutes at 100 kB). No wall-clock thresholds.
 */
import { performance } from "node:perf_hooks";
import { MAX_DOSE_TEXT_LENGTH, parseDoseText, scanDoseTextUpTo } from "../../../src/fhir/normalize/dose-text";

/** Median of `runs` timings of `work` (ms). */
function cost(work: () => void, runs = 3): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    work();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[1] ?? times[0]!;
}

/** cost(one text of `big` chars) / cost(100 texts of `big/100` chars), the cap lifted. */
function ratio(make: (chars: number) => string): number {
  const small = make(1_000);
  const large = make(100_000);
  scanDoseTextUpTo(small, Infinity); // warm up the JIT on the same code path
  const tSmall = cost(() => {
    for (let i = 0; i < 100; i++) scanDoseTextUpTo(small, Infinity);
  });
  const tLarge = cost(() => scanDoseTextUpTo(large, Infinity));
  return tLarge / Math.max(tSmall, 1e-3);
}

const adversarial: Array<[string, (chars: number) => string]> = [
  ["space-grouped thousands ending in a comma (the red-team string)", (n) => `1${" 000".repeat(Math.floor(n / 4))},`],
  ["space-grouped thousands ending in a dot", (n) => `1${" 000".repeat(Math.floor(n / 4))}.5 IU`],
  ["comma-grouped thousands", (n) => `1${",000".repeat(Math.floor(n / 4))} 5 IU`],
  ["a long run of digits before a unit-like word", (n) => `${"9".repeat(n)} u`],
  ["alternating numbers and range words", (n) => "1 to ".repeat(Math.floor(n / 5))],
  ["every/q with numbers and no period word", (n) => "every 2 ".repeat(Math.floor(n / 8))],
  ["counts with no form", (n) => "2 2 2 ".repeat(Math.floor(n / 6))],
  // Patterns added for real-world sigs (number in words, multilingual words, multipliers, dotted units).
  ["a number and an unclosed parenthesis around one long word", (n) => `7 (${"a".repeat(n - 3)}`],
  [
    "a number and an unclosed parenthesis around two long hyphenated words",
    (n) => `7 (${"a".repeat(Math.floor(n / 2) - 3)}-${"a".repeat(Math.floor(n / 2))}`,
  ],
  ["a number and an unclosed parenthesis around many spaced words", (n) => `7 (${"seven ".repeat(Math.floor(n / 6))}`],
  ["numbers with their words in parentheses", (n) => "7 (seven) ".repeat(Math.floor(n / 10))],
  ["numbers with a different word in parentheses", (n) => "7 (five) ".repeat(Math.floor(n / 9))],
  ["multipliers with no frequency word", (n) => "2x dos veces ".repeat(Math.floor(n / 13))],
  ["beginnings of multi-word frequency phrases", (n) => "a la pro al ".repeat(Math.floor(n / 12))],
  ["every + tens number words with no period", (n) => "every twenty ".repeat(Math.floor(n / 13))],
  ["dotted IU abbreviations after numbers", (n) => "1.000 i.e 2 u.i ".repeat(Math.floor(n / 16))],
  ["count forms in several languages with no number", (n) => "Kapsel cápsula comprimé ".repeat(Math.floor(n / 24))],
];

describe("dose-text scanning is linear in the text length (100 kB costs ≈ 100 × 1 kB)", () => {
  it.each(adversarial)("%s", (_name, make) => {
    // Linear: ≈ 1. Quadratic: ≈ 100. 10 leaves room for a busy machine and GC.
    expect(ratio(make)).toBeLessThan(10);
  });

  it("the exact red-team string (60 kB) is scanned, with the cap lifted, and reads as no dose", () => {
    const text = `1${" 000".repeat(15_000)},`;
    const scan = scanDoseTextUpTo(text, Infinity);
    expect(scan.amount).toBeUndefined();
  });
});

describe("over-long dose text is not read", () => {
  it(`a piece longer than ${MAX_DOSE_TEXT_LENGTH} characters is ambiguous (dose unknown), whatever it says`, () => {
    const text = `50,000 IU weekly ${"x".repeat(MAX_DOSE_TEXT_LENGTH)}`;
    expect(parseDoseText(text)).toEqual({ ambiguous: true });
  });

  it("a piece at the limit is read", () => {
    const text = `50,000 IU weekly${" ".repeat(MAX_DOSE_TEXT_LENGTH - 16)}`;
    expect(text).toHaveLength(MAX_DOSE_TEXT_LENGTH);
    expect(parseDoseText(text)).toEqual({ amount: { value: 50_000, unit: "IU" }, timing: { frequency: 1, period: 1, periodUnit: "wk" } });
  });

  it("grouped thousands still read: 50 000 IU weekly, 1 000 IU daily; a group followed by a comma is not a number", () => {
    expect(parseDoseText("1 capsule (50 000 IU) every 2 weeks").amount).toEqual({ value: 50_000, unit: "IU" });
    expect(parseDoseText("1 000 IU daily").amount).toEqual({ value: 1_000, unit: "IU" });
    expect(parseDoseText("50,000 IU weekly").amount).toEqual({ value: 50_000, unit: "IU" });
  });
});
