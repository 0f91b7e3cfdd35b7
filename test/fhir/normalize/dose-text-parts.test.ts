/**
 * dose.ts scans dosage.text, patientInstruction and the notes separately (each once per resource)
 * and combines the scans. Property: combining the scans of pieces reads exactly like scanning the
 * pieces joined with ". " — over random sig phrases (amounts, counts, units, frequencies,
 * "each"/"total", ambiguous words, dotted abbreviations that can swallow the joining dot).
 */
import fc from "fast-check";
import { combineDoseText, parseDoseText, scanDoseText } from "../../../src/fhir/normalize/dose-text";

const WORDS = [
  "50,000",
  "50 000",
  "50000",
  "1000",
  "1,000",
  "2000",
  "1.25",
  ".5",
  "50.000",
  "1,25",
  "0",
  "1",
  "2",
  "10",
  "IU",
  "iu",
  "units",
  "U",
  "international units",
  "mcg",
  "µg",
  "mg",
  "milligrams",
  "tablet",
  "tablets",
  "capsule",
  "caps",
  "drops",
  "ml",
  "each",
  "total",
  "per tab",
  "once",
  "twice",
  "daily",
  "weekly",
  "monthly",
  "yearly",
  "every",
  "other",
  "day",
  "week",
  "weeks",
  "month",
  "q",
  "qd",
  "q.d.",
  "bid",
  "b.i.d.",
  "tid",
  "qid",
  "qod",
  "biweekly",
  "fortnightly",
  "x",
  "times",
  "a",
  "per",
  "/",
  "-",
  "to",
  "–",
  "stat",
  "single dose",
  "one time",
  "x1",
  "(",
  ")",
  ".",
  ",",
  "at bedtime",
  "every 2 weeks",
  "2 times a day",
  "3x weekly",
  "every 0 days",
  "one",
  "two",
  "\n",
  "  ",
];
const phrase = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 10 }).map((ws) => ws.join(" "));
const pieces = fc.array(
  phrase.filter((p) => p.trim() !== ""),
  { minLength: 1, maxLength: 3 },
);

describe("scanning pieces separately = scanning them joined", () => {
  it("for 5,000 random combinations of sig phrases", () => {
    fc.assert(
      fc.property(pieces, (ps) => {
        expect(combineDoseText(ps.map(scanDoseText))).toEqual(parseDoseText(ps.join(". ")));
      }),
      { numRuns: 5_000, seed: 20260601 },
    );
  });

  it.each([
    [["50,000 IU", "once weekly"], { amount: { value: 50_000, unit: "IU" }, timing: { frequency: 1, period: 1, periodUnit: "wk" } }],
    [["1000 IU daily", "2000 IU daily"], { ambiguous: true }],
    [
      ["2 tablets", "1000 IU each", "daily"],
      { amount: { value: 2_000, unit: "IU" }, timing: { frequency: 1, period: 1, periodUnit: "d" } },
    ],
    [["1 capsule bid", "twice daily"], { count: 1, countPer: "count", timing: { frequency: 2, period: 1, periodUnit: "d" } }],
    [["fortnightly", "every 2 weeks"], { timing: { frequency: 1, period: 2, periodUnit: "wk" } }],
    [["weekly", "daily"], { ambiguous: true }],
  ] as const)("%j", (ps, expected) => {
    expect(combineDoseText(ps.map(scanDoseText))).toEqual(expected);
  });
});
