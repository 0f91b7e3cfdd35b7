/**
 * Medications as real systems send them (Synthea R4, SMART sample patients, Epic / Oracle Health
 * sigs, German / Spanish / Italian / French product names): dates from dateAsserted and
 * timing.repeat.bounds[x], sigs with "(seven)" and "(50,000 Units total)", "I.E." / "UI" units with
 * a dot as thousands separator, multilingual frequency words, doseAndRate rates, the same resource
 * seen twice. Fixed dates only.
 */
import fc from "fast-check";
import type { Dosage, MedicationRequest, MedicationStatement } from "fhir/r4";
import type { VitaminDProduct } from "../../../src/fhir/facts";
import { normalizeFacts } from "../../../src/fhir/normalize";
import type { ClinicalResources } from "../../../src/fhir/normalize";
import { combineDoseText, parseDoseText, scanDoseText } from "../../../src/fhir/normalize/dose-text";
import { clinicalResources, dosage, medicationRequest, medicationStatement, type MedicationSpec } from "../../fixtures/fhir/builders";

const facts = (partial: Partial<ClinicalResources>) => normalizeFacts(clinicalResources(partial));
const only = (f: { vitaminD: VitaminDProduct[] }): VitaminDProduct => {
  expect(f.vitaminD).toHaveLength(1);
  return f.vitaminD[0]!;
};
const statementProduct = (s: MedicationStatement) => only(facts({ medicationStatements: [s] }));
const requestProduct = (r: MedicationRequest) => only(facts({ medicationRequests: [r] }));
const dose = (spec: MedicationSpec) => statementProduct(medicationStatement(spec));
const withRepeat = (d: Dosage, repeat: NonNullable<Dosage["timing"]>["repeat"]): Dosage => ({
  ...d,
  timing: { ...d.timing, repeat: { ...d.timing?.repeat, ...repeat } },
});
const WEEKLY_50K: Dosage = dosage({ dose: { value: 50_000, unit: "[iU]" }, timing: { frequency: 1, period: 1, periodUnit: "wk" } });

describe("dateAsserted is when the statement was recorded, not when therapy started (FHIR R4 MedicationStatement.dateAsserted)", () => {
  test("statement recorded 10 days ago, taken for 3 years: start unknown, 'taking since at least' the recorded date", () => {
    const p = statementProduct(
      medicationStatement({
        id: "s",
        name: "Vitamin D3",
        text: "50,000 IU weekly",
        dateAsserted: "2025-06-05",
        note: "Patient says she has taken this for 3 years",
      }),
    );
    expect(p.start).toBeUndefined();
    expect(p.takingSinceAtLeast).toBe("2025-06-05");
    expect(p.dailyIU).toBeCloseTo(50_000 / 7, 6);
  });

  test("statement with effectivePeriod.start and dateAsserted: the effective start is the start, no 'since at least'", () => {
    const p = statementProduct(
      medicationStatement({ name: "Vitamin D3", text: "2000 IU daily", start: "2022-06-01", dateAsserted: "2025-06-05" }),
    );
    expect(p.start).toBe("2022-06-01");
    expect(p).not.toHaveProperty("takingSinceAtLeast");
  });

  test("stopped statement with only dateAsserted: stopped by that date at the latest (end = dateAsserted), start still unknown", () => {
    const p = statementProduct(
      medicationStatement({ name: "Vitamin D3", status: "stopped", text: "2000 IU daily", dateAsserted: "2025-05-01" }),
    );
    expect(p).toMatchObject({ status: "stopped", end: "2025-05-01" });
    expect(p.start).toBeUndefined();
    expect(p).not.toHaveProperty("takingSinceAtLeast");
  });
});

describe("timing.repeat.boundsPeriod / boundsDuration give start and stop when the resource has no better one", () => {
  test("weekly 50,000 IU request whose start is only in boundsPeriod.start: that is the start", () => {
    const r = medicationRequest({
      id: "r",
      name: "Vitamin D3",
      dosages: [withRepeat(WEEKLY_50K, { boundsPeriod: { start: "2025-05-25" } })],
    });
    expect(requestProduct(r)).toMatchObject({ start: "2025-05-25", dailyIU: expect.closeTo(50_000 / 7, 6) });
  });

  test("request: an explicit boundsPeriod.start (administration start) beats validityPeriod.start and authoredOn", () => {
    const r = medicationRequest({
      name: "Vitamin D3",
      authoredOn: "2025-05-01",
      start: "2025-05-02",
      dosages: [withRepeat(WEEKLY_50K, { boundsPeriod: { start: "2025-05-10" } })],
    });
    expect(requestProduct(r).start).toBe("2025-05-10");
  });

  test("statement: effectivePeriod.start beats boundsPeriod.start; boundsPeriod.start is used when effective[x] is absent", () => {
    const bounded = withRepeat(WEEKLY_50K, { boundsPeriod: { start: "2025-04-01" } });
    expect(statementProduct(medicationStatement({ name: "Vitamin D3", start: "2025-03-01", dosages: [bounded] })).start).toBe("2025-03-01");
    const p = statementProduct(medicationStatement({ name: "Vitamin D3", dateAsserted: "2025-06-01", dosages: [bounded] }));
    expect(p.start).toBe("2025-04-01");
    expect(p).not.toHaveProperty("takingSinceAtLeast");
  });

  test("completed 8-week loading course (boundsDuration 8 wk) authored 2025-03-01: stopped on 2025-04-26", () => {
    const r = medicationRequest({
      name: "Vitamin D3",
      status: "completed",
      authoredOn: "2025-03-01",
      dosages: [withRepeat(WEEKLY_50K, { boundsDuration: { value: 8, unit: "weeks", system: "http://unitsofmeasure.org", code: "wk" } })],
    });
    expect(requestProduct(r)).toMatchObject({ start: "2025-03-01", end: "2025-04-26" });
  });

  test("stopped request with boundsPeriod start and end: start and end come from the bounds", () => {
    const r = medicationRequest({
      name: "Vitamin D3",
      status: "stopped",
      authoredOn: "2025-01-02",
      dosages: [withRepeat(WEEKLY_50K, { boundsPeriod: { start: "2025-01-05", end: "2025-03-02" } })],
    });
    expect(requestProduct(r)).toMatchObject({ start: "2025-01-05", end: "2025-03-02" });
  });

  test("loading then maintenance (sequence 1: 8 wk, sequence 2: 12 wk): the course ends after both steps", () => {
    const loading = { ...withRepeat(WEEKLY_50K, { boundsDuration: { value: 8, code: "wk" } }), sequence: 1 };
    const maintenance = {
      ...withRepeat(dosage({ dose: { value: 2000, unit: "[iU]" }, timing: "QD" }), { boundsDuration: { value: 84, code: "d" } }),
      sequence: 2,
    };
    const r = medicationRequest({ name: "Vitamin D3", status: "completed", authoredOn: "2025-01-01", dosages: [loading, maintenance] });
    expect(requestProduct(r)).toMatchObject({ start: "2025-01-01", end: "2025-05-21" });
  });

  test("stopped statement recorded before its planned end: stopped by the recorded date at the latest, never in the future", () => {
    const s = medicationStatement({
      name: "Vitamin D3",
      status: "stopped",
      dateAsserted: "2025-05-20",
      dosages: [withRepeat(WEEKLY_50K, { boundsPeriod: { start: "2025-04-01", end: "2025-09-30" } })],
    });
    expect(statementProduct(s)).toMatchObject({ start: "2025-04-01", end: "2025-05-20" });
  });

  test("an active request keeps no end even with a bounded course", () => {
    const r = medicationRequest({
      name: "Vitamin D3",
      authoredOn: "2025-05-01",
      dosages: [withRepeat(WEEKLY_50K, { boundsDuration: { value: 8, code: "wk" } })],
    });
    expect(requestProduct(r)).not.toHaveProperty("end");
  });
});

describe("sigs as EHRs write them (Epic, Oracle Health)", () => {
  const WEEK = 7;
  const cases: [string, MedicationSpec, number][] = [
    [
      "Epic: 'Take 1 capsule (50,000 Units total) by mouth every 7 (seven) days.' = 50,000 IU every 7 days",
      { name: "Vitamin D2", text: "Take 1 capsule (50,000 Units total) by mouth every 7 (seven) days." },
      50_000 / WEEK,
    ],
    [
      "Epic: 'every 14 (fourteen) days' with a 1.25 mg capsule = 50,000 IU every 14 days",
      { name: "cholecalciferol 1.25 MG Oral Capsule", text: "Take 1 capsule by mouth every 14 (fourteen) days" },
      50_000 / 14,
    ],
    [
      "Epic: 'every 28 (twenty-eight) days'",
      { name: "Vitamin D3", text: "Take 50,000 Units by mouth every 28 (twenty-eight) days" },
      50_000 / 28,
    ],
    [
      "Epic: 'Take 1 (one) capsule by mouth once a week' with a 1.25 mg capsule",
      { name: "cholecalciferol 1.25 MG Oral Capsule", text: "Take 1 (one) capsule by mouth once a week" },
      50_000 / WEEK,
    ],
    ["'every seven days' (number word above six)", { name: "Vitamin D3", text: "50,000 IU every seven days" }, 50_000 / WEEK],
    ["'q7d'", { name: "Vitamin D3", text: "50,000 IU q7d" }, 50_000 / WEEK],
    ["'q2wk'", { name: "Vitamin D3", text: "50,000 IU q2wk" }, 50_000 / 14],
    ["'Q1W'", { name: "Vitamin D3", text: "50,000 IU PO Q1W" }, 50_000 / WEEK],
    ["'q14d'", { name: "Vitamin D3", text: "50,000 IU q14d" }, 50_000 / 14],
    [
      "'Take 2 capsules (100,000 Units total)' of a 50,000 IU capsule: the total wins, no multiplication",
      { name: "Vitamin D3 50,000 IU capsule", text: "Take 2 capsules (100,000 Units total) by mouth every 7 (seven) days" },
      100_000 / WEEK,
    ],
    [
      "'Take 1 capsule (50,000 Units total)' of a 50,000 IU capsule: 50,000, not 1 × 50,000 × 2",
      { name: "Vitamin D3 50,000 IU capsule", text: "Take 1 capsule (50,000 Units total) by mouth weekly" },
      50_000 / WEEK,
    ],
  ];
  test.each(cases)("%s", (_n, spec, expected) => {
    const p = dose(spec);
    expect(p.doseUnknown).toBe(false);
    expect(p.dailyIU).toBeCloseTo(expected, 6);
  });

  test("Epic structured 1 capsule every 7 days of a product named without strength, sig '(50,000 Units total)': the sig's total is the dose", () => {
    const d: Dosage = {
      ...dosage({ dose: { value: 1, unit: "{capsule}" }, timing: { frequency: 1, period: 7, periodUnit: "d" } }),
      text: "Take 1 capsule (50,000 Units total) by mouth every 7 (seven) days.",
    };
    const p = dose({ name: "Vitamin D2 capsule", dosages: [d] });
    expect(p).toMatchObject({ doseUnknown: false, dailyIU: expect.closeTo(50_000 / 7, 6) });
  });

  test("structured 2 capsules but the sig says 1 capsule (50,000 Units total), no strength: contradictory → dose unknown", () => {
    const d: Dosage = {
      ...dosage({ dose: { value: 2, unit: "{capsule}" }, timing: "QW" }),
      text: "Take 1 capsule (50,000 Units total) weekly",
    };
    expect(dose({ name: "Vitamin D2 capsule", dosages: [d] }).doseUnknown).toBe(true);
  });

  test("'every 7 (five) days': the number and its word disagree → dose unknown", () => {
    expect(dose({ name: "Vitamin D3", text: "50,000 IU every 7 (five) days" }).doseUnknown).toBe(true);
  });

  test("the number in words is dropped only when it repeats the number: '1 (one) capsule' reads as 1 capsule", () => {
    expect(parseDoseText("Take 1 (one) capsule weekly")).toEqual({
      count: 1,
      countPer: "count",
      timing: { frequency: 1, period: 1, periodUnit: "wk" },
    });
  });
});

describe("German / Spanish / Italian / French / Portuguese labelling (I.E. = Internationale Einheiten, UI = unidades/unità/unités internacionales)", () => {
  const WEEK = 7;
  const cases: [string, MedicationSpec, number][] = [
    [
      "'Dekristol 20000 I.E.' with '1x wöchentlich 1 Kapsel' = 20,000 IU once weekly",
      { name: "Dekristol 20000 I.E.", text: "1x wöchentlich 1 Kapsel" },
      20_000 / WEEK,
    ],
    [
      "'Dekristol 20.000 I.E. Weichkapseln' (dot = thousands before I.E.) with '1 Kapsel pro Woche'",
      { name: "Dekristol 20.000 I.E. Weichkapseln", text: "1 Kapsel pro Woche" },
      20_000 / WEEK,
    ],
    [
      "'Vigantol 1.000 I.E. Tabletten' '1 Tablette täglich' = 1,000 IU/day",
      { name: "Vigantol 1.000 I.E. Tabletten", text: "1 Tablette täglich" },
      1000,
    ],
    ["text '20.000 I.E. wöchentlich'", { name: "Vitamin D3", text: "20.000 I.E. wöchentlich" }, 20_000 / WEEK],
    ["text '20.000 IE 1x wöchentlich'", { name: "Vitamin D3", text: "20.000 IE 1x wöchentlich" }, 20_000 / WEEK],
    ["text '50.000 UI semanal' (Spanish)", { name: "colecalciferol", text: "50.000 UI semanal" }, 50_000 / WEEK],
    [
      "'50.000 IU weekly': the dot before IU is a thousands separator (decision replacing 'ambiguous')",
      { name: "Vitamin D3", text: "50.000 IU weekly" },
      50_000 / WEEK,
    ],
    ["'50.000 Units weekly'", { name: "Vitamin D3", text: "50.000 Units weekly" }, 50_000 / WEEK],
    [
      "'Vitamina D3 1000 UI' '1 comprimido diario' (Spanish)",
      { name: "Vitamina D3 1000 UI comprimidos", text: "1 comprimido diario" },
      1000,
    ],
    [
      "'colecalciferol 25.000 UI' '25.000 UI semanalmente' (Spanish)",
      { name: "colecalciferol 25.000 UI", text: "25.000 UI semanalmente" },
      25_000 / WEEK,
    ],
    ["'Vitamina D 2000 UI' 'diariamente' (Portuguese/Spanish)", { name: "Vitamina D 2000 UI", text: "1 cápsula diariamente" }, 2000],
    [
      "'colecalciferolo 25.000 UI' '25.000 UI settimanale' (Italian)",
      { name: "colecalciferolo 25.000 UI", text: "25.000 UI settimanale" },
      25_000 / WEEK,
    ],
    ["'cholécalciférol 800 UI' '1 comprimé par jour' (French)", { name: "cholécalciférol 800 UI", text: "1 comprimé par jour" }, 800],
    [
      "'1.250 mg weekly': a dot before mg stays a decimal (1.25 mg = 50,000 IU)",
      { name: "ergocalciferol", text: "1.250 mg weekly" },
      50_000 / WEEK,
    ],
    [
      "'0.025 mg täglich': a dot before mg stays a decimal (25 mcg = 1,000 IU)",
      { name: "cholecalciferol", text: "0.025 mg täglich" },
      1000,
    ],
  ];
  test.each(cases)("%s", (_n, spec, expected) => {
    const p = dose(spec);
    expect(p.doseUnknown).toBe(false);
    expect(p.dailyIU).toBeCloseTo(expected, 6);
  });

  test.each([
    ["Vitamina D 1000 UI", "vitamin-d-unspecified"],
    ["Vitamina D3 1000 UI", "cholecalciferol"],
    ["colecalciferol 25.000 UI", "cholecalciferol"],
    ["Colecalciferolo 10.000 UI/ml gocce", "cholecalciferol"],
    ["Cholécalciférol 100 000 UI solution buvable", "cholecalciferol"],
    ["Vitamine D 1000 UI", "vitamin-d-unspecified"],
    ["Dekristol 20000 I.E.", "cholecalciferol"],
  ] as const)("'%s' is %s", (name, ingredient) => {
    expect(dose({ name, text: "1000 IU daily" }).ingredient).toBe(ingredient);
  });

  test("a name written with a decomposed accent (NFD) is still recognised: 'cholécalciférol'", () => {
    expect(dose({ name: "cholécalciférol 800 UI".normalize("NFD"), text: "800 UI par jour" }).ingredient).toBe("cholecalciferol");
  });

  test("German structured unit 'Kapsel' multiplies the strength: Dekristol 20000 I.E., 1 Kapsel weekly", () => {
    expect(dose({ name: "Dekristol 20000 I.E.", dose: { value: 1, unit: "Kapsel" }, timing: "QW" }).dailyIU).toBeCloseTo(20_000 / 7, 6);
  });

  test("'1 Kapsel alle 2 Wochen' (German 'every 2 weeks' is not in the table): dose unknown, never guessed", () => {
    expect(dose({ name: "Dekristol 20000 I.E.", text: "1 Kapsel alle 2 Wochen" }).doseUnknown).toBe(true);
  });
});

describe("doseAndRate rates: an amount per period when there is no doseQuantity and no timing", () => {
  test("rateRatio 50,000 IU / 7 d = 50,000 IU every 7 days", () => {
    const d: Dosage = {
      doseAndRate: [
        { rateRatio: { numerator: { value: 50_000, unit: "IU", code: "[iU]" }, denominator: { value: 7, unit: "d", code: "d" } } },
      ],
    };
    const p = dose({ name: "Vitamin D3", dosages: [d] });
    expect(p).toMatchObject({ doseUnknown: false, dailyIU: expect.closeTo(50_000 / 7, 6) });
    expect(p.doseText).toBe("50,000 IU every 7 days (7,143 IU/day)");
  });

  test("rateRatio 1 capsule / 1 wk of a 1.25 mg capsule = 50,000 IU weekly", () => {
    const d: Dosage = {
      doseAndRate: [{ rateRatio: { numerator: { value: 1, code: "{capsule}" }, denominator: { value: 1, code: "wk" } } }],
    };
    expect(dose({ name: "cholecalciferol 1.25 MG Oral Capsule", dosages: [d] }).dailyIU).toBeCloseTo(50_000 / 7, 6);
  });

  test("rateQuantity 2,000 [iU]/d = 2,000 IU daily", () => {
    const d: Dosage = { doseAndRate: [{ rateQuantity: { value: 2000, unit: "IU/day", code: "[iU]/d" } }] };
    expect(dose({ name: "Vitamin D3", dosages: [d] })).toMatchObject({ doseUnknown: false, dailyIU: 2000 });
  });

  test("rateQuantity 10 mcg/d of calcifediol = 10 mcg/day", () => {
    const d: Dosage = { doseAndRate: [{ rateQuantity: { value: 10, unit: "ug/d", code: "ug/d" } }] };
    expect(dose({ name: "calcifediol", dosages: [d] })).toMatchObject({ doseUnknown: false, dailyMcg: 10 });
  });

  test("a rate per mL (a concentration, not a period) is not a dose → dose unknown", () => {
    const d: Dosage = {
      doseAndRate: [{ rateRatio: { numerator: { value: 10_000, code: "[iU]" }, denominator: { value: 1, code: "mL" } } }],
    };
    expect(dose({ name: "Vitamin D3", dosages: [d] }).doseUnknown).toBe(true);
  });
});

describe("the same resource (type + id) seen twice counts once", () => {
  test("a MedicationStatement returned twice (two pages, prefetch and fallback) is one product", () => {
    const s = medicationStatement({ id: "dup", name: "Vitamin D3", text: "6000 IU daily", start: "2024-01-01" });
    const f = facts({ medicationStatements: [s, { ...s }] });
    expect(f.vitaminD.map((p) => p.id)).toEqual(["MedicationStatement/dup"]);
  });

  test("a MedicationStatement and a MedicationRequest that share an id are two resources", () => {
    const s = medicationStatement({ id: "x", name: "Vitamin D3", text: "2000 IU daily" });
    const r = medicationRequest({ id: "x", name: "Vitamin D3", text: "2000 IU daily" });
    expect(facts({ medicationStatements: [s], medicationRequests: [r] }).vitaminD.map((p) => p.id)).toEqual([
      "MedicationStatement/x",
      "MedicationRequest/x",
    ]);
  });

  test("a related medication returned twice is listed once", () => {
    const s = medicationStatement({ id: "ppi", name: "omeprazole 20 MG Delayed Release Oral Capsule", rxnorm: "7646" });
    expect(facts({ medicationStatements: [s, { ...s }] }).otherMedications).toHaveLength(1);
  });
});

describe("multipliers in other languages are read, never dropped (an unread one would undercount)", () => {
  test.each([
    ["'zweimal täglich' = twice daily", "1000 I.E. zweimal täglich", 2000],
    ["'2 mal täglich' = twice daily", "1000 I.E. 2 mal täglich", 2000],
    ["'dos veces al día' = twice daily", "1000 UI dos veces al día", 2000],
    ["'2 veces por semana' = twice weekly", "10.000 UI 2 veces por semana", 20_000 / 7],
    ["'three times weekly'", "1000 IU three times weekly", 3000 / 7],
    ["'five times a week'", "1000 IU five times a week", 5000 / 7],
  ])("%s", (_n, text, expected) => {
    expect(dose({ name: "Vitamin D3", text }).dailyIU).toBeCloseTo(expected, 6);
  });

  test.each([
    ["'cinco veces al día' (a number word not in the table): dose unknown, not once daily", "1000 UI cinco veces al día"],
    ["'14-täglich' (every 14 days in German) is not daily: dose unknown", "20.000 I.E. 14-täglich"],
  ])("%s", (_n, text) => {
    expect(dose({ name: "Vitamin D3", text }).doseUnknown).toBe(true);
  });
});

describe("scanning pieces separately = scanning them joined, over the real-world vocabulary", () => {
  const WORDS = [
    "20.000",
    "50.000",
    "1.000",
    "0.025",
    "1",
    "2",
    "7",
    "14",
    "I.E.",
    "I.E",
    "IE",
    "UI",
    "U.I.",
    "u.i",
    "IU",
    "Units",
    "mg",
    "mcg",
    "(seven)",
    "(fourteen)",
    "(five)",
    "(",
    ")",
    "seven",
    "every",
    "days",
    "q7d",
    "1x",
    "2 mal",
    "zweimal",
    "veces",
    "dos veces",
    "wöchentlich",
    "täglich",
    "semanal",
    "diario",
    "al",
    "día",
    "pro",
    "Woche",
    "Kapsel",
    "cápsula",
    "comprimé",
    "par jour",
    "total",
    "each",
    "capsule",
    "(50,000 Units total)",
    "14-täglich",
    ".",
    ",",
  ];
  const phrase = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 10 }).map((ws) => ws.join(" "));
  const pieces = fc.array(
    phrase.filter((p) => p.trim() !== ""),
    { minLength: 1, maxLength: 3 },
  );

  it("for 3,000 random combinations", () => {
    fc.assert(
      fc.property(pieces, (ps) => {
        expect(combineDoseText(ps.map(scanDoseText))).toEqual(combineDoseText([scanDoseText(ps.join(". "))]));
      }),
      { numRuns: 3_000, seed: 20261201 },
    );
  });

  it.each([[["20 i.e", "weekly"]], [["1000 u.i", "täglich"]]])(
    "a dotted unit whose last dot is the joining full stop reads the same: %j",
    (ps) => {
      expect(combineDoseText(ps.map(scanDoseText))).toEqual(combineDoseText([scanDoseText(ps.join(". "))]));
    },
  );
});
