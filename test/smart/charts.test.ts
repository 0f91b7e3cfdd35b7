/**
 * Chart data in both unit systems. Expected values are hand-calculated from the molecular weights
 * (25(OH)D3 400.64 g/mol: ng/mL × 1000/400.64 = nmol/L; Ca 40.078: mg/dL × 10/40.078 = mmol/L;
 * Mg 24.305: mg/dL × 10/24.305 = mmol/L; 1 mcg = 40 IU), rounded to 4 decimals, and the default thresholds.
 */
import { defaultClinicalConfig, mergeClinicalConfig } from "../../src/config/clinical-config";
import type { Facts, LabKind, LabResult, VitaminDProduct } from "../../src/fhir/facts";
import { allPoints } from "../../launch/src/chart-model";
import { placeThresholdLabels, type LabelBox } from "../../launch/src/chart-render";
import { doseChart } from "../../launch/src/dose-chart";
import { calciumChart, magnesiumChart, vitaminDChart } from "../../launch/src/lab-charts";
import { buildRegimen, sumIU } from "../../src/rules/regimen";

const lab = (id: string, kind: LabKind, date: string, value: number, unit: string, extra: Partial<LabResult> = {}): LabResult => ({
  id: `Observation/${id}`,
  kind,
  code: { system: "http://loinc.org", code: "x" },
  date,
  value,
  unit,
  original: { value: String(value), unit },
  ...extra,
});

const facts = (labs: LabResult[], vitaminD: VitaminDProduct[] = []): Facts => ({
  patient: { id: "p1" },
  labs,
  ignoredObservations: [],
  notUsed: [],
  truncated: [],
  vitaminD,
  otherMedications: [],
  conditions: [],
});

const product = (id: string, p: Partial<VitaminDProduct>): VitaminDProduct => ({
  id: `MedicationStatement/${id}`,
  source: "statement",
  ingredient: "cholecalciferol",
  productClass: "nutritional",
  name: "cholecalciferol 1.25 MG Oral Capsule",
  status: "active",
  dailyIU: null,
  dailyMcg: null,
  doseText: "50,000 IU once weekly",
  doseUnknown: false,
  ...p,
});

describe("25(OH)D chart", () => {
  const labs = [
    lab("v2", "vitd-total", "2025-03-01T00:00:00Z", 12, "ng/mL"),
    lab("v1", "vitd-total", "2025-01-01T00:00:00Z", 40, "ng/mL", { comparator: "<" }),
  ];

  it("plots results oldest first in ng/mL, keeping comparators", () => {
    const m = vitaminDChart(labs, defaultClinicalConfig, "conventional");
    expect(allPoints(m).map((p) => [p.date.slice(0, 10), p.value, p.unit, p.comparator])).toEqual([
      ["2025-01-01", 40, "ng/mL", "<"],
      ["2025-03-01", 12, "ng/mL", undefined],
    ]);
  });

  it("converts to nmol/L (× 1000/400.64), thresholds included: deficient < 20 ng/mL = 49.92 nmol/L", () => {
    const m = vitaminDChart(labs, defaultClinicalConfig, "si");
    expect(allPoints(m).map((p) => p.value)).toEqual([99.8403, 29.9521]);
    expect(m.thresholds.map((t) => t.value)).toEqual([29.9521, 49.9201, 249.6006, 374.401]);
    expect(m.thresholds[1]?.label).toBe("Deficient < 50 nmol/L");
    expect(m.bands[0]).toMatchObject({ from: 49.9201, to: 249.6006 });
  });

  it("uses the site's configured thresholds", () => {
    const site = mergeClinicalConfig({ vitaminD: { highAboveNgMl: 80 } });
    expect(vitaminDChart(labs, site, "conventional").thresholds.map((t) => t.value)).toEqual([12, 20, 80, 150]);
  });
});

describe("calcium chart", () => {
  const labs = [
    lab("ca2", "calcium-total", "2025-03-01T00:00:00Z", 10.8, "mg/dL"),
    lab("alb", "albumin", "2025-03-03T00:00:00Z", 3.0, "g/dL"),
    lab("ion", "calcium-ionized", "2025-03-01T00:00:00Z", 1.4, "mmol/L"),
    lab("ca1", "calcium-total", "2025-01-01T00:00:00Z", 9.6, "mg/dL"),
  ];

  it("shows total, computed corrected (Ca + 0.8 × (4.0 − albumin), albumin within 7 days) and ionized on a second axis", () => {
    const m = calciumChart(facts(labs), defaultClinicalConfig, "conventional");
    const bySeries = Object.fromEntries(m.series.map((s) => [s.label, s.points.map((p) => p.value)]));
    expect(bySeries).toEqual({
      "Calcium, total": [9.6, 10.8],
      "Calcium, ionized": [5.6109], // 1.4 mmol/L × 40.078/10
      "Calcium, corrected (computed)": [11.6], // 10.8 + 0.8 × (4.0 − 3.0); the January total has no albumin within 7 days
    });
    expect(m.series.find((s) => s.label === "Calcium, ionized")?.axis).toBe("y2");
    expect(m.axes.map((a) => a.unit)).toEqual(["mg/dL", "mg/dL"]);
  });

  it("in SI shows mmol/L everywhere: 10.8 mg/dL × 10/40.078 = 2.6947 mmol/L", () => {
    const m = calciumChart(facts(labs), defaultClinicalConfig, "si");
    const total = m.series.find((s) => s.label === "Calcium, total");
    expect(total?.points.map((p) => p.value)).toEqual([2.3953, 2.6947]);
    expect(m.series.find((s) => s.label === "Calcium, ionized")?.points[0]?.value).toBe(1.4);
    expect(m.bands[0]).toMatchObject({ from: 2.1209, to: 2.6199 });
  });
});

describe("magnesium chart", () => {
  it("converts mg/dL to mmol/L (× 10/24.305) and bands up to the lab's reference high when given", () => {
    const labs = [lab("mg", "magnesium", "2025-03-01T00:00:00Z", 1.4, "mg/dL", { referenceRange: { low: 1.7, high: 2.4 } })];
    const si = magnesiumChart(labs, defaultClinicalConfig, "si");
    expect(allPoints(si)[0]).toMatchObject({ value: 0.576, unit: "mmol/L" });
    expect(si.thresholds.map((t) => t.value)).toEqual([0.4937, 0.6994]);
    expect(si.bands[0]).toMatchObject({ from: 0.6994, to: 0.9875, label: "Reference range" });
  });
});

describe("dose chart", () => {
  const now = new Date("2025-06-01T00:00:00Z");

  it("sums concurrent products as a step line with start and stop marks", () => {
    const products = [
      product("weekly", { dailyIU: 50000 / 7, start: "2025-03-01", status: "active" }),
      product("daily", { dailyIU: 1000, start: "2025-01-01", end: "2025-04-01", status: "stopped", doseText: "1,000 IU daily" }),
    ];
    const m = doseChart(products, defaultClinicalConfig, "conventional", now);
    const step = m.series.find((s) => s.key === "dose")?.points.map((p) => [p.date.slice(0, 10), Math.round(p.value)]);
    expect(step).toEqual([
      ["2025-01-01", 1000],
      ["2025-03-01", 8143], // 1,000 + 7,142.9
      ["2025-04-01", 7143],
      ["2025-06-01", 7143], // held up to now
    ]);
    expect(m.series.find((s) => s.key === "start")?.points.map((p) => p.source)).toEqual([
      "MedicationStatement/weekly",
      "MedicationStatement/daily",
    ]);
    expect(m.series.find((s) => s.key === "stop")?.points.map((p) => [p.date.slice(0, 10), Math.round(p.value)])).toEqual([
      ["2025-04-01", 8143],
    ]);
    expect(m.thresholds.map((t) => t.value)).toEqual([4000, 10000]);
  });

  it("counts a patient's statement and an order of the same dose once, as the engine does (3,000 IU/day, not 6,000)", () => {
    const statement = product("self", { dailyIU: 3000, start: "2025-02-01", doseText: "3,000 IU daily" });
    const order = product("rx", {
      id: "MedicationRequest/rx",
      source: "request",
      dailyIU: 3000,
      start: "2025-02-10",
      doseText: "3,000 IU daily",
    });
    const other = product("d2", { ingredient: "ergocalciferol", dailyIU: 1000, start: "2025-04-01", doseText: "1,000 IU daily" });
    const products = [statement, order, other];
    const m = doseChart(products, defaultClinicalConfig, "conventional", now);
    const step = m.series.find((s) => s.key === "dose")?.points.map((p) => [p.date.slice(0, 10), Math.round(p.value)]);
    expect(step).toEqual([
      ["2025-02-01", 3000],
      ["2025-02-10", 3000], // the order is the same intake as the statement
      ["2025-04-01", 4000], // another ingredient adds up
      ["2025-06-01", 4000],
    ]);
    // Today's value is the engine's current regimen (src/rules/regimen.ts), which the cards use.
    const engine = sumIU(buildRegimen(products, defaultClinicalConfig, now.getTime()).current);
    expect(step?.at(-1)?.[1]).toBe(engine);
    expect(engine).toBe(4000);
  });

  it("in SI shows mcg/day (IU ÷ 40): 50,000 IU weekly = 178.6 mcg/day", () => {
    const m = doseChart([product("weekly", { dailyIU: 50000 / 7, start: "2025-03-01" })], defaultClinicalConfig, "si", now);
    expect(m.series.find((s) => s.key === "dose")?.points[0]?.value).toBeCloseTo(178.57, 2);
    expect(m.thresholds.map((t) => t.value)).toEqual([100, 250]);
  });

  it("marks products without an IU equivalent at the baseline and notes undated ones", () => {
    const products = [
      product("calcitriol", {
        ingredient: "calcitriol",
        productClass: "active",
        name: "calcitriol 0.25 MCG",
        dailyMcg: 0.25,
        doseText: "0.25 mcg daily",
        start: "2025-02-01",
      }),
      product("undated", { dailyIU: 2000, doseText: "2,000 IU daily" }),
    ];
    const m = doseChart(products, defaultClinicalConfig, "conventional", now);
    expect(m.series.map((s) => s.key)).toEqual(["other"]);
    expect(allPoints(m)[0]).toMatchObject({ value: 0, reported: "calcitriol 0.25 MCG: 0.25 mcg daily" });
    expect(m.notes).toEqual(["cholecalciferol 1.25 MG Oral Capsule: 2,000 IU daily — start date unknown, not plotted."]);
  });

  it("uses pediatric limits when the rules applied them", () => {
    const m = doseChart([], defaultClinicalConfig, "conventional", now, {
      highDoseAboveIuPerDay: 2500,
      toxicAtLeastIuPerDay: 5000,
      label: "1-3 years",
    });
    expect(m.thresholds.map((t) => t.value)).toEqual([2500, 5000]);
    expect(m.notes).toContain("Pediatric limits used (1-3 years).");
  });
});

describe("threshold labels", () => {
  const area = { left: 40, right: 400, top: 10, bottom: 250 };
  const overlap = (a: LabelBox, b: LabelBox) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

  it("never overlap, even for lines a few pixels apart (High dose 4,000 vs Toxic 10,000 IU/day on a 50,000 scale)", () => {
    const boxes = placeThresholdLabels(
      [
        { y: 200, width: 140 },
        { y: 196, width: 150 },
        { y: 193, width: 120 },
      ],
      area,
    );
    for (const [i, a] of boxes.entries()) for (const b of boxes.slice(i + 1)) expect(overlap(a, b)).toBe(false);
    expect(boxes[0]).toMatchObject({ x: 400 - 4 - 140 }); // the first sits at its usual place: right end, above its line
  });

  it("keeps a lone label just above its line at the right end", () => {
    const [box] = placeThresholdLabels([{ y: 100, width: 80 }], area);
    expect(box).toEqual({ x: 316, y: 100 - 3 - 14, width: 80, height: 14 });
  });
});
