/**
 * Real-world medication records through normalization and the rules (NOW = 2025-06-15T12:00Z):
 * dateAsserted is not a start, timing bounds give start and stop, an unknown dose meets no dose
 * threshold, the same resource seen twice and a statement + order of the same dose are one regimen.
 */
import type { Dosage, MedicationRequest, MedicationStatement, Observation } from "fhir/r4";
import { defaultClinicalConfig } from "../../src/config/clinical-config";
import type { Facts } from "../../src/fhir/facts";
import { normalizeFacts } from "../../src/fhir/normalize";
import { renderCards, type RenderContext } from "../../src/render";
import { evaluateRules, type Finding } from "../../src/rules";
import { clinicalResources, dosage, draftOrder, medicationRequest, medicationStatement, observation } from "../fixtures/fhir/builders";
import { facts as factsOf, NOW, product } from "./facts-builder";
import { outcome } from "./situation";

interface Records {
  statements?: MedicationStatement[];
  requests?: MedicationRequest[];
  drafts?: MedicationRequest[];
  labs?: Observation[];
}
const normalized = (r: Records): Facts =>
  normalizeFacts(
    clinicalResources({
      patientId: "pat-1",
      medicationStatements: r.statements ?? [],
      medicationRequests: r.requests ?? [],
      draftOrders: r.drafts ?? [],
      observations: r.labs ?? [],
    }),
  );
const run = (f: Facts) => {
  const findings = evaluateRules(f, defaultClinicalConfig, NOW);
  const cramp = findings.find((x) => x.pattern === "repletion-cramp");
  const tox = findings.find((x) => x.pattern === "vitamin-d-toxicity");
  return { findings, cramp, tox, outcome: { cramp: outcome(cramp), tox: outcome(tox) } };
};
const detailOf = (findings: Finding[], pattern: Finding["pattern"]): string => {
  const ctx: RenderContext = {
    hook: "patient-view",
    patientId: "pat-1",
    serviceLabel: "vitd-cds",
    draftOrders: [],
    smartLaunchUrl: "https://cds.example.org/smart/launch.html",
  };
  const card = renderCards(findings, ctx).find((c) => c.source.topic?.code === pattern);
  return card?.detail ?? "";
};

const mgLab = (value: number, date: string) => observation({ loinc: "19123-9", value, unit: "mg/dL", date });
const vitdLab = (value: number, date: string) => observation({ loinc: "62292-8", value, unit: "ng/mL", date });
const caLab = (value: number, date: string) => observation({ loinc: "17861-6", value, unit: "mg/dL", date });
const WEEKLY_50K: Dosage = dosage({ dose: { value: 50_000, unit: "[iU]" }, timing: { frequency: 1, period: 1, periodUnit: "wk" } });
const bounded = (d: Dosage, repeat: NonNullable<Dosage["timing"]>["repeat"]): Dosage => ({
  ...d,
  timing: { ...d.timing, repeat: { ...d.timing?.repeat, ...repeat } },
});

describe("dateAsserted is when the statement was recorded: 'taking since at least', never a recent start", () => {
  test("statement recorded 10 days ago, taken for 3 years: start unknown, no repletion warning", () => {
    const s = medicationStatement({
      id: "s1",
      name: "Vitamin D3",
      text: "50,000 IU weekly",
      dateAsserted: "2025-06-05",
      note: "Has taken this for 3 years",
    });
    const r = run(normalized({ statements: [s], labs: [vitdLab(15, "2025-06-01"), mgLab(1.5, "2025-06-10")] }));
    expect(r.outcome).toEqual({ cramp: null, tox: null });
  });

  test("the same statement with effectivePeriod.start 3 weeks ago is a recent start: warning repletion.mg-low", () => {
    const s = medicationStatement({
      id: "s1",
      name: "Vitamin D3",
      text: "50,000 IU weekly",
      start: "2025-05-25",
      dateAsserted: "2025-06-05",
    });
    const r = run(normalized({ statements: [s], labs: [vitdLab(15, "2025-06-01"), mgLab(1.5, "2025-06-10")] }));
    expect(r.outcome.cramp).toBe("warning:repletion.mg-low");
  });

  test("statement of D3 20,000 IU/day recorded 10 days ago, no start, no calcium: prolonged intake (an unknown start is long-standing); evidence says 'taking since at least 2025-06-05'", () => {
    const s = medicationStatement({ id: "s2", name: "Vitamin D3", text: "20,000 IU daily", dateAsserted: "2025-06-05" });
    const r = run(normalized({ statements: [s] }));
    expect(r.outcome).toEqual({ cramp: null, tox: "warning:toxicity.prolonged-high-dose-unmonitored" });
    expect(r.tox?.regimen.products[0]).toMatchObject({ takingSinceAtLeast: "2025-06-05" });
    expect(r.tox?.regimen.products[0]).not.toHaveProperty("start");
    expect(r.tox?.missing).toContainEqual({ code: "start-unknown", params: { product: "Vitamin D3" } });
    const detail = detailOf(r.findings, "vitamin-d-toxicity");
    expect(detail).toContain("taking since at least 2025-06-05");
    expect(detail).not.toMatch(/started \d+ days? ago/);
  });
});

describe("timing.repeat.boundsPeriod / boundsDuration are the product's start and stop", () => {
  const labs = () => [vitdLab(11, "2025-05-20"), mgLab(1.4, "2025-06-14")];

  test("weekly 50,000 IU request whose start is only in boundsPeriod.start (3 weeks ago), deficient, Mg 1.4: warning, as for the same order being signed", () => {
    const request = medicationRequest({
      id: "r1",
      name: "Vitamin D3",
      dosages: [bounded(WEEKLY_50K, { boundsPeriod: { start: "2025-05-25" } })],
    });
    const asRequest = run(normalized({ requests: [request], labs: labs() }));
    const asDraft = run(normalized({ drafts: [draftOrder({ id: "d1", name: "Vitamin D3", dosages: [WEEKLY_50K] })], labs: labs() }));
    expect(asDraft.outcome.cramp).toBe("warning:repletion.mg-low");
    expect(asRequest.outcome.cramp).toBe("warning:repletion.mg-low");
    expect(asRequest.cramp?.regimen.startDaysAgo).toBe(21);
  });

  test("8-week course of 50,000 IU weekly (boundsDuration) completed 4 weeks ago, 25(OH)D 130 and Ca 11.2 now: warning, stopped 4 weeks ago", () => {
    const request = medicationRequest({
      id: "r2",
      name: "Vitamin D3",
      status: "completed",
      authoredOn: "2025-03-22",
      dosages: [bounded(WEEKLY_50K, { boundsDuration: { value: 8, unit: "wk", system: "http://unitsofmeasure.org", code: "wk" } })],
    });
    const r = run(normalized({ requests: [request], labs: [vitdLab(130, "2025-06-12"), caLab(11.2, "2025-06-12")] }));
    expect(r.outcome.tox).toBe("warning:toxicity.ca-high-with-high-intake");
    expect(r.tox?.flags.stoppedDaysAgo).toBe(29);
  });
});

describe("a product with an unknown dose meets no dose threshold, but lab-based rows still fire from it", () => {
  const asDirected = (start: string) => medicationStatement({ id: "u1", name: "Vitamin D3", text: "Take as directed", start });

  test("D3 'as directed' started 3 weeks ago, Mg 1.4: the lab row fires (warning repletion.mg-low), card says dose unknown", () => {
    const r = run(normalized({ statements: [asDirected("2025-05-25")], labs: [mgLab(1.4, "2025-06-14")] }));
    expect(r.outcome.cramp).toBe("warning:repletion.mg-low");
    expect(r.cramp?.flags.doseUnknown).toBe(true);
  });

  test("D3 'as directed' started 3 weeks ago, deficient, no Mg: no card (the dose-only rows need a known high dose)", () => {
    const r = run(normalized({ statements: [asDirected("2025-05-25")], labs: [vitdLab(11, "2025-05-20")] }));
    expect(r.outcome).toEqual({ cramp: null, tox: null });
  });

  test("D3 'as directed' for a year, no calcium: no prolonged-intake card", () => {
    expect(run(normalized({ statements: [asDirected("2024-06-01")] })).outcome).toEqual({ cramp: null, tox: null });
  });

  test("D3 'as directed' for a year, Ca 11.2: warning toxicity.ca-high-with-vitamin-d (the lab-based row)", () => {
    const r = run(normalized({ statements: [asDirected("2024-06-01")], labs: [caLab(11.2, "2025-06-12")] }));
    expect(r.outcome.tox).toBe("warning:toxicity.ca-high-with-vitamin-d");
    expect(r.tox?.flags.doseUnknown).toBe(true);
  });

  test("D3 'as directed' + D2 2,000 IU/day, Ca 11.2: the summed daily dose is 2,000 IU (the unknown dose adds nothing)", () => {
    const d2 = medicationStatement({ id: "k1", name: "ergocalciferol", text: "2000 IU daily", start: "2024-06-01" });
    const r = run(normalized({ statements: [asDirected("2024-06-01"), d2], labs: [caLab(11.2, "2025-06-12")] }));
    expect(r.tox?.regimen.dailyIU).toBe(2000);
  });
});

describe("one regimen: the same resource seen twice, a statement and an order of the same dose", () => {
  test("the same statement seen twice (same type + id) counts once: D3 6,000 IU/day for a year is not 12,000 → no prolonged-intake card", () => {
    const p = product({ id: "MedicationStatement/dup", dailyIU: 6000, startAgo: 365 });
    expect(run(factsOf({ vitaminD: [p, { ...p }] })).outcome).toEqual({ cramp: null, tox: null });
  });

  test("the same MedicationStatement returned twice by the server counts once → no prolonged-intake card", () => {
    const s = medicationStatement({ id: "dup", name: "Vitamin D3", text: "6000 IU daily", start: "2024-06-01" });
    expect(run(normalized({ statements: [s, { ...s }] })).outcome).toEqual({ cramp: null, tox: null });
  });

  test("two different statements of D3 6,000 IU/day still both count (12,000 IU/day for a year → prolonged intake)", () => {
    const a = product({ id: "MedicationStatement/a", dailyIU: 6000, startAgo: 365 });
    const b = product({ id: "MedicationStatement/b", dailyIU: 6000, startAgo: 365 });
    expect(run(factsOf({ vitaminD: [a, b] })).outcome.tox).toBe("warning:toxicity.prolonged-high-dose-unmonitored");
  });

  test("a statement and an order for the same D3 50,000 IU weekly over the same period are one regimen (7,143 IU/day, not 14,286)", () => {
    const s = medicationStatement({ id: "s9", name: "Vitamin D3", dosages: [WEEKLY_50K], start: "2024-09-01" });
    const o = medicationRequest({ id: "r9", name: "Vitamin D3", dosages: [WEEKLY_50K], authoredOn: "2024-09-01" });
    const quiet = run(normalized({ statements: [s], requests: [o] }));
    expect(quiet.outcome).toEqual({ cramp: null, tox: null });
    const withCa = run(normalized({ statements: [s], requests: [o], labs: [caLab(11.2, "2025-06-12")] }));
    expect(withCa.outcome.tox).toBe("warning:toxicity.ca-high-with-vitamin-d");
    expect(withCa.tox?.regimen.dailyIU).toBeCloseTo(50_000 / 7, 6);
  });
});
