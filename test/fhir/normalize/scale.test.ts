/**
 * Hostile sizes: the normalizers stay linear in their input. Expected values are hand-calculated
 * (n entries × dose). Where the old code was quadratic, the test either counts operations (array
 * iterator steps, text scans) or uses a size at which the quadratic version ran for minutes to
 * hours (noted per case) — no timing assertions.
 */
import type { Dosage, MedicationStatement } from "fhir/r4";
import { normalizeFacts } from "../../../src/fhir/normalize";
import type * as doseTextModule from "../../../src/fhir/normalize/dose-text";
import { scanDoseText } from "../../../src/fhir/normalize/dose-text";
import { clinicalResources, medicationStatement, observation } from "../../fixtures/fhir/builders";

// The real scanner, wrapped so the tests can count its calls (module exports are read-only: no spyOn).
jest.mock("../../../src/fhir/normalize/dose-text", () => {
  const actual = jest.requireActual<typeof doseTextModule>("../../../src/fhir/normalize/dose-text");
  return { ...actual, scanDoseText: jest.fn(actual.scanDoseText) };
});
const scan = scanDoseText as jest.MockedFunction<typeof scanDoseText>;

const productsOf = (...medicationStatements: MedicationStatement[]) => normalizeFacts(clinicalResources({ medicationStatements })).vitaminD;
const d3 = (dosages: Dosage[], extra: Partial<MedicationStatement> = {}): MedicationStatement => ({
  ...medicationStatement({ name: "cholecalciferol", rxnorm: "2418", dosages, start: "2026-05-01" }),
  ...extra,
});
const daily = (iu: number, sequence?: number): Dosage => ({
  ...(sequence !== undefined ? { sequence } : {}),
  timing: { repeat: { frequency: 1, period: 1, periodUnit: "d" } },
  doseAndRate: [{ doseQuantity: { value: iu, unit: "IU" } }],
});

/** Counts every step of every array iterator (for…of, spread) taken while `run` runs. */
function countArrayIteratorSteps<T>(run: () => T): { result: T; steps: number } {
  const proto = Array.prototype as unknown as { [Symbol.iterator]: (this: unknown[]) => Iterator<unknown> };
  const original = proto[Symbol.iterator];
  let steps = 0;
  proto[Symbol.iterator] = function (this: unknown[]) {
    const it = original.call(this);
    const counted = { next: () => (steps++, it.next()), [Symbol.iterator]: () => counted };
    return counted;
  };
  try {
    return { result: run(), steps };
  } finally {
    proto[Symbol.iterator] = original;
  }
}

describe("many dosage entries", () => {
  it("50,000 concurrent entries of 10 IU daily sum to 500,000 IU/day", () => {
    const [p] = productsOf(d3(Array.from({ length: 50_000 }, () => daily(10))));
    expect(p?.doseUnknown).toBe(false);
    expect(p?.dailyIU).toBeCloseTo(50_000 * 10, 6);
  });

  it("50,000 sequential steps of 1…50,000 IU daily: the highest step, 50,000 IU/day", () => {
    const [p] = productsOf(d3(Array.from({ length: 50_000 }, (_, i) => daily(i + 1, i + 1))));
    expect(p?.dailyIU).toBeCloseTo(50_000, 6);
    expect(p?.doseText).toContain("highest of 50000 sequential steps");
  });

  it("grouping entries by sequence is linear: at most 50 array-iterator steps per entry (copying the group per entry took n²/2)", () => {
    const n = 2_000;
    const statement = d3(Array.from({ length: n }, () => daily(10)));
    const { result, steps } = countArrayIteratorSteps(() => productsOf(statement));
    expect(result[0]?.dailyIU).toBeCloseTo(n * 10, 6);
    expect(steps).toBeLessThan(50 * n); // the copying version: ≈ n²/2 = 2,000,000
  });
});

describe("free text shared by many dosage entries is scanned once", () => {
  beforeEach(() => scan.mockClear());
  const note = "take 1000 IU daily. ".repeat(150); // 3 kB (a longer piece is not read: MAX_DOSE_TEXT_LENGTH)

  it("20,000 empty entries and a 3 kB note: the note is scanned once, each entry is 1,000 IU daily", () => {
    const [p] = productsOf(
      d3(
        Array.from({ length: 20_000 }, () => ({})),
        { note: [{ text: note }] },
      ),
    );
    expect(scan).toHaveBeenCalledTimes(1); // was: the 100 kB note re-parsed for each entry (2,000 entries took 31 s)
    expect(p?.dailyIU).toBeCloseTo(20_000 * 1_000, 3);
  });

  it("entries with their own texts: each distinct text once, plus the note once", () => {
    const texts = ["1000 IU", "1,000 units", "1000 IU by mouth"];
    const [p] = productsOf(
      d3(
        Array.from({ length: 3_000 }, (_, i) => ({ text: texts[i % 3]! })),
        { note: [{ text: note }] },
      ),
    );
    expect(scan).toHaveBeenCalledTimes(texts.length + 1);
    expect(p?.dailyIU).toBeCloseTo(3_000 * 1_000, 3);
  });
});

describe("long whitespace runs and long units", () => {
  const spaces = " ".repeat(1_000_000);

  it("a product name with a million spaces is still read (the segment split took 14 s at 40,000 spaces, quadratic)", () => {
    const ms = medicationStatement({ name: `Vitamin D3${spaces}1000 IU tablet`, dose: { value: 1, unit: "{tbl}" }, timing: "QD" });
    const [p] = productsOf(ms);
    expect(p?.ingredient).toBe("cholecalciferol");
    expect(p?.dailyIU).toBe(1_000);
  });

  it("a lab unit with a million blanks around '/' reads as ng/mL (the blank-stripping regex was quadratic)", () => {
    const obs = observation({ loinc: "62292-8", value: 30, unit: `ng${spaces}/${spaces}mL`, ucum: null });
    const facts = normalizeFacts(clinicalResources({ observations: [obs] }));
    expect(facts.labs.map((l) => [l.value, l.unit])).toEqual([[30, "ng/mL"]]);
  });

  it("a 10,000-character unit is not given to UCUM: the result is ignored as an unknown unit", () => {
    const obs = observation({ loinc: "62292-8", value: 30, unit: "/g".repeat(5_000), ucum: null });
    const facts = normalizeFacts(clinicalResources({ observations: [obs] }));
    expect(facts.labs).toEqual([]);
    expect(facts.ignoredObservations[0]?.reason).toMatch(/^unknown unit '\/g\/g/);
  });
});

describe("values that name Object.prototype members are just unknown values", () => {
  it("MedicationStatement.status 'constructor' is not a status: the statement is dropped", () => {
    expect(productsOf(d3([daily(1000)], { status: "constructor" as MedicationStatement["status"] }))).toEqual([]);
  });

  it("Timing.repeat.periodUnit 'toString' is not a period unit: the dose is unknown, not NaN", () => {
    const [p] = productsOf(
      d3([
        {
          timing: { repeat: { frequency: 1, period: 1, periodUnit: "toString" as "d" } },
          doseAndRate: [{ doseQuantity: { value: 1000, unit: "IU" } }],
        },
      ]),
    );
    expect(p?.doseUnknown).toBe(true);
    expect(p?.dailyIU).toBeNull();
  });

  it.each(["constructor", "__proto__", "hasOwnProperty"])("dose unit '%s' is not a unit: the dose is unknown", (unit) => {
    const [p] = productsOf(d3([{ ...daily(1000), doseAndRate: [{ doseQuantity: { value: 1000, unit } }] }]));
    expect(p?.doseUnknown).toBe(true);
  });
});
