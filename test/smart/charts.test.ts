/**
 * Chart data in both unit systems. Expected values are hand-calculated from the clinical spec's
 * factors (25(OH)D ng/mL × 2.496 = nmol/L; Ca mg/dL ÷ 4.008 = mmol/L; Mg mg/dL ÷ 2.431 = mmol/L;
 * 1 mcg = 40 IU) and its default thresholds.
 */
import { defaultClinicalConfig, mergeClinicalConfig } from "../../src/config/clinical-config";
import type { Facts, LabKind, LabResult, VitaminDProduct } from "../../src/fhir/facts";
import { allPoints } from "../../launch/src/chart-model";
import { doseChart } from "../../launch/src/dose-chart";
import { calciumChart, magnesiumChart, vitaminDChart } from "../../launch/src/lab-charts";

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
  const labs = [lab("v2", "vitd-total", "2025-03-01T00:00:00Z", 12, "ng/mL"), lab("v1", "vitd-total", "2025-01-01T00:00:00Z", 40, "ng/mL", { comparator: "<" })];

  it("plots results oldest first in ng/mL, keeping comparators", () => {
    const m = vitaminDChart(labs, defaultClinicalConfig, "conventional");
    expect(allPoints(m).map((p) => [p.date.slice(0, 10), p.value, p.unit, p.comparator])).toEqual([
      ["2025-01-01", 40, "ng/mL", "<"],
      ["2025-03-01", 12, "ng/mL", undefined],
    ]);
  });

  it("converts to nmol/L (× 2.496), thresholds included: deficient < 20 ng/mL = 49.92 nmol/L", () => {
    const m = vitaminDChart(labs, defaultClinicalConfig, "si");
    expect(allPoints(m).map((p) => p.value)).toEqual([99.84, 29.952]);
    expect(m.thresholds.map((t) => t.value)).toEqual([29.952, 49.92, 249.6, 374.4]);
    expect(m.thresholds[1]?.label).toBe("Deficient < 50 nmol/L");
    expect(m.bands[0]).toMatchObject({ from: 49.92, to: 249.6 });
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
      "Calcium, ionized": [5.6112], // 1.4 mmol/L × 4.008
      "Calcium, corrected (computed)": [11.6], // 10.8 + 0.8 × (4.0 − 3.0); the January total has no albumin within 7 days
    });
    expect(m.series.find((s) => s.label === "Calcium, ionized")?.axis).toBe("y2");
    expect(m.axes.map((a) => a.unit)).toEqual(["mg/dL", "mg/dL"]);
  });

  it("in SI shows mmol/L everywhere: 10.8 mg/dL ÷ 4.008 = 2.6946 mmol/L", () => {
    const m = calciumChart(facts(labs), defaultClinicalConfig, "si");
    const total = m.series.find((s) => s.label === "Calcium, total");
    expect(total?.points.map((p) => p.value)).toEqual([2.3952, 2.6946]);
    expect(m.series.find((s) => s.label === "Calcium, ionized")?.points[0]?.value).toBe(1.4);
    expect(m.bands[0]).toMatchObject({ from: 2.1208, to: 2.6198 });
  });
});

describe("magnesium chart", () => {
  it("converts mg/dL to mmol/L (÷ 2.431) and bands up to the lab's reference high when given", () => {
    const labs = [lab("mg", "magnesium", "2025-03-01T00:00:00Z", 1.4, "mg/dL", { referenceRange: { low: 1.7, high: 2.4 } })];
    const si = magnesiumChart(labs, defaultClinicalConfig, "si");
    expect(allPoints(si)[0]).toMatchObject({ value: 0.5759, unit: "mmol/L" });
    expect(si.thresholds.map((t) => t.value)).toEqual([0.4936, 0.6993]);
    expect(si.bands[0]).toMatchObject({ from: 0.6993, to: 0.9872, label: "Reference range" });
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
    expect(m.series.find((s) => s.key === "start")?.points.map((p) => p.source)).toEqual(["MedicationStatement/weekly", "MedicationStatement/daily"]);
    expect(m.series.find((s) => s.key === "stop")?.points.map((p) => [p.date.slice(0, 10), Math.round(p.value)])).toEqual([["2025-04-01", 8143]]);
    expect(m.thresholds.map((t) => t.value)).toEqual([4000, 10000]);
  });

  it("in SI shows mcg/day (IU ÷ 40): 50,000 IU weekly = 178.6 mcg/day", () => {
    const m = doseChart([product("weekly", { dailyIU: 50000 / 7, start: "2025-03-01" })], defaultClinicalConfig, "si", now);
    expect(m.series.find((s) => s.key === "dose")?.points[0]?.value).toBeCloseTo(178.57, 2);
    expect(m.thresholds.map((t) => t.value)).toEqual([100, 250]);
  });

  it("marks products without an IU equivalent at the baseline and notes undated ones", () => {
    const products = [
      product("calcitriol", { ingredient: "calcitriol", productClass: "active", name: "calcitriol 0.25 MCG", dailyMcg: 0.25, doseText: "0.25 mcg daily", start: "2025-02-01" }),
      product("undated", { dailyIU: 2000, doseText: "2,000 IU daily" }),
    ];
    const m = doseChart(products, defaultClinicalConfig, "conventional", now);
    expect(m.series.map((s) => s.key)).toEqual(["other"]);
    expect(allPoints(m)[0]).toMatchObject({ value: 0, reported: "calcitriol 0.25 MCG: 0.25 mcg daily" });
    expect(m.notes).toEqual(["cholecalciferol 1.25 MG Oral Capsule: 2,000 IU daily — start date unknown, not plotted."]);
  });

  it("uses pediatric limits when the rules applied them", () => {
    const m = doseChart([], defaultClinicalConfig, "conventional", now, { highDoseAboveIuPerDay: 2500, toxicAtLeastIuPerDay: 5000, label: "1-3 years" });
    expect(m.thresholds.map((t) => t.value)).toEqual([2500, 5000]);
    expect(m.notes).toContain("Pediatric limits used (1-3 years).");
  });
});
