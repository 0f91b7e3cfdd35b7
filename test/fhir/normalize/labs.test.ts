import type { Observation } from "fhir/r4";
import type { LabKind } from "../../../src/fhir/facts";
import { normalizeFacts } from "../../../src/fhir/normalize";
import { clinicalResources, observation, type ObservationSpec } from "../../fixtures/fhir/builders";

const labsOf = (...observations: Observation[]) => normalizeFacts(clinicalResources({ observations }));
const one = (spec: ObservationSpec) => {
  const facts = labsOf(observation(spec));
  expect(facts.ignoredObservations).toEqual([]);
  expect(facts.labs).toHaveLength(1);
  return facts.labs[0]!;
};

describe("every LOINC row of docs/clinical-logic.md §13 maps to its kind and canonical unit", () => {
  const rows: [string, LabKind, number, string, string][] = [
    ["62292-8", "vitd-total", 24, "ng/mL", "ng/mL"],
    ["68438-1", "vitd-total", 60, "nmol/L", "ng/mL"],
    ["1989-3", "vitd-d3", 24, "ng/mL", "ng/mL"],
    ["14635-7", "vitd-d3", 60, "nmol/L", "ng/mL"],
    ["49054-0", "vitd-d2-or-unspecified", 4, "ng/mL", "ng/mL"],
    ["35365-6", "vitd-metabolites", 22, "ng/mL", "ng/mL"],
    ["17861-6", "calcium-total", 9.4, "mg/dL", "mg/dL"],
    ["2000-8", "calcium-total", 2.35, "mmol/L", "mg/dL"],
    ["1994-3", "calcium-ionized", 1.2, "mmol/L", "mmol/L"],
    ["1995-0", "calcium-ionized", 1.2, "mmol/L", "mmol/L"],
    ["12180-6", "calcium-ionized", 1.2, "mmol/L", "mmol/L"],
    ["17864-0", "calcium-ionized", 4.8, "mg/dL", "mmol/L"],
    ["29265-6", "calcium-corrected", 2.4, "mmol/L", "mg/dL"],
    ["46099-8", "calcium-corrected", 9.6, "mg/dL", "mg/dL"],
    ["19123-9", "magnesium", 2.0, "mg/dL", "mg/dL"],
    ["2601-3", "magnesium", 0.8, "mmol/L", "mg/dL"],
    ["1751-7", "albumin", 4.0, "g/dL", "g/dL"],
    ["61151-7", "albumin", 4.0, "g/dL", "g/dL"],
    ["61152-5", "albumin", 4.0, "g/dL", "g/dL"],
    ["2160-0", "creatinine", 1.0, "mg/dL", "mg/dL"],
    ["98979-8", "egfr", 72, "mL/min/{1.73_m2}", "mL/min/1.73m2"],
    ["62238-1", "egfr", 72, "mL/min/{1.73_m2}", "mL/min/1.73m2"],
    ["33914-3", "egfr", 72, "mL/min/{1.73_m2}", "mL/min/1.73m2"],
    ["2731-8", "pth", 45, "pg/mL", "pg/mL"],
    ["2777-1", "phosphate", 3.5, "mg/dL", "mg/dL"],
    ["2823-3", "potassium", 4.1, "mmol/L", "mmol/L"],
  ];
  test.each(rows)("LOINC %s → %s", (loinc, kind, value, unit, canonical) => {
    const lab = one({ loinc, value, unit });
    expect(lab.kind).toBe(kind);
    expect(lab.unit).toBe(canonical);
    expect(lab.code).toEqual(expect.objectContaining({ system: "http://loinc.org", code: loinc }));
    expect(lab.original).toEqual({ value: String(value), unit });
  });

  test("1990-1 and 2236-8 (vitamin D3/D2 themselves, not 25(OH)D) are not used", () => {
    const facts = labsOf(
      observation({ loinc: "1990-1", value: 30, unit: "ng/mL" }),
      observation({ loinc: "2236-8", value: 30, unit: "ng/mL" }),
    );
    expect(facts.labs).toEqual([]);
    expect(facts.ignoredObservations).toEqual([]);
  });

  test("a LOINC code under another system is not a LOINC code", () => {
    const obs = observation({ loinc: "62292-8", value: 30, unit: "ng/mL" });
    obs.code.coding![0]!.system = "http://hospital.example.org/lab-codes";
    expect(labsOf(obs).labs).toEqual([]);
  });

  test("the LOINC coding is found among local codings", () => {
    const obs = observation({ loinc: "19123-9", value: 1.9, unit: "mg/dL" });
    obs.code.coding!.unshift({ system: "http://hospital.example.org/lab-codes", code: "MG", display: "Magnesium" });
    expect(labsOf(obs).labs[0]?.kind).toBe("magnesium");
  });
});

describe("unit conversions use the spec's factors (expected values computed from docs/clinical-logic.md §13)", () => {
  const cases: [string, ObservationSpec, number, number][] = [
    ["25(OH)D 30 nmol/L from a Canadian lab → 12.0 ng/mL", { loinc: "68438-1", value: 30, unit: "nmol/L" }, 30 / 2.496, 2],
    ["25(OH)D 75 nmol/L → 30.0 ng/mL", { loinc: "68438-1", value: 75, unit: "nmol/L" }, 75 / 2.496, 2],
    ["25(OH)D 400 nmol/L (toxic range) → 160.3 ng/mL", { loinc: "68438-1", value: 400, unit: "nmol/L" }, 400 / 2.496, 2],
    ["25(OH)D3 45 nmol/L → 18.0 ng/mL", { loinc: "14635-7", value: 45, unit: "nmol/L" }, 45 / 2.496, 2],
    ["25(OH)D 30 µg/L (same as ng/mL)", { loinc: "62292-8", value: 30, unit: "µg/L", ucum: null }, 30, 2],
    ["25(OH)D written 'ng/ml'", { loinc: "62292-8", value: 30, unit: "ng/ml", ucum: null }, 30, 2],
    ["calcium 2.6 mmol/L → 10.42 mg/dL", { loinc: "2000-8", value: 2.6, unit: "mmol/L" }, 2.6 * 4.008, 2],
    ["calcium 5.2 mEq/L → 10.42 mg/dL", { loinc: "2000-8", value: 5.2, unit: "mEq/L", ucum: null }, 5.2 * 2.004, 2],
    ["calcium 5.2 'meq/l' → 10.42 mg/dL", { loinc: "2000-8", value: 5.2, unit: "meq/l", ucum: null }, 5.2 * 2.004, 2],
    [
      "calcium 2.62 mmol/L (the spec's 10.5 mg/dL threshold) → 10.50, not above 10.5",
      { loinc: "2000-8", value: 2.62, unit: "mmol/L" },
      10.5,
      2,
    ],
    ["calcium 9.8 'mg/dl' stays 9.8 mg/dL", { loinc: "17861-6", value: 9.8, unit: "mg/dl", ucum: null }, 9.8, 2],
    ["corrected calcium 2.70 mmol/L → 10.82 mg/dL", { loinc: "29265-6", value: 2.7, unit: "mmol/L" }, 2.7 * 4.008, 2],
    ["ionized calcium 4.6 mg/dL → 1.148 mmol/L", { loinc: "17864-0", value: 4.6, unit: "mg/dL" }, 4.6 / 4.008, 3],
    ["ionized calcium 4.48 mg/dL → 1.118 mmol/L (below 1.12)", { loinc: "17864-0", value: 4.48, unit: "mg/dL" }, 4.48 / 4.008, 3],
    ["ionized calcium 2.5 mEq/L → 1.25 mmol/L", { loinc: "1995-0", value: 2.5, unit: "mEq/L", ucum: null }, 1.25, 3],
    ["magnesium 0.55 mmol/L → 1.34 mg/dL", { loinc: "2601-3", value: 0.55, unit: "mmol/L" }, 0.55 * 2.431, 2],
    ["magnesium 0.70 mmol/L (the spec's 1.7 threshold) → 1.70 mg/dL", { loinc: "2601-3", value: 0.7, unit: "mmol/L" }, 1.7, 2],
    ["magnesium 1.2 mEq/L → 1.46 mg/dL", { loinc: "2601-3", value: 1.2, unit: "mEq/L", ucum: null }, 1.2 * 1.215, 2],
    ["magnesium 18 mg/L → 1.8 mg/dL", { loinc: "19123-9", value: 18, unit: "mg/L" }, 1.8, 2],
    ["albumin 32 g/L → 3.2 g/dL", { loinc: "1751-7", value: 32, unit: "g/L" }, 32 / 10, 2],
    ["albumin 32 'g/l' → 3.2 g/dL", { loinc: "1751-7", value: 32, unit: "g/l", ucum: null }, 32 / 10, 2],
    ["creatinine 150 µmol/L → 1.70 mg/dL (÷ 88.4)", { loinc: "2160-0", value: 150, unit: "umol/L" }, 150 / 88.4, 2],
  ];
  test.each(cases)("%s", (_name, spec, expected, digits) => {
    const lab = one(spec);
    expect(lab.value).toBeCloseTo(expected, digits);
    expect(lab.original).toEqual({ value: String(spec.value), unit: spec.unit });
  });

  test.each(["mL/min/{1.73_m2}", "mL/min/1.73m2", "mL/min/1.73 m2", "ml/min/1.73m²", "mL/min/1.73m^2"])(
    "eGFR unit '%s' is accepted as-is",
    (unit) => {
      const lab = one({ loinc: "98979-8", value: 24, unit, ucum: null });
      expect(lab).toEqual(expect.objectContaining({ value: 24, unit: "mL/min/1.73m2" }));
    },
  );

  test("evidence-only kinds keep the reported unit and value (PTH 9.3 pmol/L)", () => {
    expect(one({ loinc: "2731-8", value: 9.3, unit: "pmol/L" })).toEqual(expect.objectContaining({ value: 9.3, unit: "pmol/L" }));
  });
});

describe("unknown or missing units are reported, never guessed", () => {
  const cases: [string, string, ObservationSpec][] = [
    ["25(OH)D in IU/mL", "unknown unit 'IU/mL'", { loinc: "62292-8", value: 32, unit: "IU/mL", ucum: null }],
    ["magnesium in %", "unknown unit '%'", { loinc: "19123-9", value: 2, unit: "%" }],
    ["calcium in mg (not a concentration)", "unknown unit 'mg'", { loinc: "17861-6", value: 9, unit: "mg" }],
    ["eGFR in mL/min (not per 1.73 m2)", "unknown unit 'mL/min'", { loinc: "98979-8", value: 40, unit: "mL/min" }],
    ["magnesium without a unit", "no unit", { loinc: "19123-9", value: 1.9 }],
    ["25(OH)D 'see comment'", "non-numeric value 'see comment'", { loinc: "62292-8", valueString: "see comment" }],
    ["calcium with no value at all", "no numeric value", { loinc: "17861-6" }],
  ];
  test.each(cases)("%s → ignored: %s", (_name, reason, spec) => {
    const facts = labsOf(observation({ ...spec, id: "x" }));
    expect(facts.labs).toEqual([]);
    expect(facts.ignoredObservations).toEqual([
      expect.objectContaining({ id: "Observation/x", kind: expect.any(String), reason, date: "2026-05-01T08:00:00Z" }),
    ]);
  });

  test("a dataAbsentReason is named", () => {
    const obs = observation({ loinc: "19123-9", id: "m" });
    obs.dataAbsentReason = { coding: [{ system: "http://terminology.hl7.org/CodeSystem/data-absent-reason", code: "error" }] };
    expect(labsOf(obs).ignoredObservations[0]?.reason).toBe("no value (error)");
  });

  test("a result with no effective time and no issued time is ignored", () => {
    expect(labsOf(observation({ loinc: "19123-9", value: 1.9, unit: "mg/dL", date: null })).ignoredObservations[0]?.reason).toBe(
      "no effective date",
    );
  });
});

describe("comparators are kept", () => {
  test.each<[string, Omit<ObservationSpec, "loinc">, number, string | undefined, string]>([
    [
      "valueString '<5' with the unit in the reference range",
      { valueString: "<5", referenceRange: { low: 30, high: 100 }, unit: "ng/mL" },
      5,
      "<",
      "<5",
    ],
    ["valueString '> 150 ng/mL'", { valueString: "> 150 ng/mL" }, 150, ">", ">150"],
    ["valueString '12.3 ng/mL'", { valueString: "12.3 ng/mL" }, 12.3, undefined, "12.3"],
    ["valueString '≤ 4'", { valueString: "≤ 4", referenceRange: { low: 30 }, unit: "ng/mL" }, 4, "<=", "<=4"],
    ["valueQuantity with comparator '<'", { value: 5, comparator: "<" as const, unit: "ng/mL" }, 5, "<", "<5"],
  ])("25(OH)D %s", (_n, spec, value, comparator, shown) => {
    const lab = labsOf(observation({ loinc: "62292-8", ...spec })).labs[0]!;
    expect(lab.value).toBe(value);
    expect(lab.comparator).toBe(comparator);
    expect(lab.original.value).toBe(shown);
  });

  test("'<12 nmol/L' becomes '< 4.81 ng/mL' (the comparator survives conversion)", () => {
    const lab = labsOf(observation({ loinc: "68438-1", valueString: "<12 nmol/L" })).labs[0]!;
    expect(lab.comparator).toBe("<");
    expect(lab.value).toBeCloseTo(12 / 2.496, 2);
  });
});

describe("status filtering: only final, amended and corrected results count", () => {
  test.each(["final", "amended", "corrected"] as const)("%s is used", (status) => {
    expect(labsOf(observation({ loinc: "19123-9", value: 1.5, unit: "mg/dL", status })).labs).toHaveLength(1);
  });
  test.each(["preliminary", "registered", "cancelled", "entered-in-error"] as const)("%s is dropped silently", (status) => {
    const facts = labsOf(observation({ loinc: "19123-9", value: 1.5, unit: "mg/dL", status }));
    expect(facts.labs).toEqual([]);
    expect(facts.ignoredObservations).toEqual([]);
  });
  test("unknown (a SMART sample patient's every lab) is not used, and listed with its reason", () => {
    const facts = labsOf(observation({ id: "mg-u", loinc: "19123-9", value: 1.5, unit: "mg/dL", status: "unknown", date: "2026-01-03" }));
    expect(facts.labs).toEqual([]);
    expect(facts.ignoredObservations.map((o) => [o.id, o.reason])).toEqual([
      ["Observation/mg-u", "status 'unknown' (not known to be final)"],
    ]);
  });
});

describe("time, order, reference range and flags", () => {
  test("time is effectiveDateTime, else effectivePeriod.start, else issued", () => {
    const a = observation({ loinc: "19123-9", value: 2, unit: "mg/dL", date: null, issued: "2026-01-03T10:00:00Z" });
    const b = observation({ loinc: "19123-9", value: 2, unit: "mg/dL", date: null, issued: "2026-01-09T10:00:00Z" });
    b.effectivePeriod = { start: "2026-01-02T07:00:00Z", end: "2026-01-02T08:00:00Z" };
    const dates = labsOf(a, b).labs.map((l) => l.date);
    expect(dates).toEqual(["2026-01-03T10:00:00Z", "2026-01-02T07:00:00Z"]);
  });

  test("labs are sorted newest first, time zones respected", () => {
    const facts = labsOf(
      observation({ id: "old", loinc: "19123-9", value: 2, unit: "mg/dL", date: "2025-12-01" }),
      observation({ id: "new", loinc: "19123-9", value: 2, unit: "mg/dL", date: "2026-03-01T08:00:00-05:00" }),
      observation({ id: "mid", loinc: "19123-9", value: 2, unit: "mg/dL", date: "2026-03-01T12:00:00Z" }),
    );
    expect(facts.labs.map((l) => l.id)).toEqual(["Observation/new", "Observation/mid", "Observation/old"]);
  });

  test("the reference range is converted to the canonical unit and the flag kept (Mg 0.55 mmol/L, range 0.70–1.05, L)", () => {
    const lab = one({ loinc: "2601-3", value: 0.55, unit: "mmol/L", referenceRange: { low: 0.7, high: 1.05 }, interpretation: "L" });
    expect(lab.referenceRange?.low).toBeCloseTo(0.7 * 2.431, 2);
    expect(lab.referenceRange?.high).toBeCloseTo(1.05 * 2.431, 2);
    expect(lab.interpretation).toBe("L");
  });

  test("a text-only reference range is kept as text", () => {
    expect(one({ loinc: "62292-8", value: 25, unit: "ng/mL", referenceRange: { text: "30-100 sufficient" } }).referenceRange).toEqual({
      text: "30-100 sufficient",
    });
  });
});
