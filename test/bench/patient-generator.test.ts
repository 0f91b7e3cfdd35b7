import type { Observation } from "fhir/r4";
import { generatePatient, patientOfSize, realisticSpec } from "../../bench/fixtures/patient-generator";
import { labQueryGroups } from "../../src/fhir/lab-query-codes";

const NOW = new Date("2026-06-01T12:00:00Z");
const fetchedTokens = new Set<string>(Object.values(labQueryGroups).flat()); // "system|code"
const loinc = (o: Observation) => o.code.coding?.find((c) => c.system === "http://loinc.org")?.code ?? "";

describe("benchmark patient generator", () => {
  const p = generatePatient({ ...realisticSpec, now: NOW });

  it("builds the realistic patient: 60 observations, 10 medication statements, 3 conditions", () => {
    expect(p.observations).toHaveLength(60);
    expect(p.medicationStatements).toHaveLength(10);
    expect(p.conditions).toHaveLength(3);
    expect(p.resources).toHaveLength(73);
  });

  it("only uses LOINC codes the service's prefetch queries fetch", () => {
    expect(p.observations.filter((o) => !fetchedTokens.has(`http://loinc.org|${loinc(o)}`)).map(loinc)).toEqual([]);
  });

  it("covers 25(OH)D, Ca, Mg, albumin and creatinine, in mixed units", () => {
    const codes = new Set(p.observations.map(loinc));
    for (const code of ["62292-8", "17861-6", "19123-9", "1751-7", "2160-0"]) expect(codes.has(code)).toBe(true);
    const vitdUnits = new Set(p.observations.filter((o) => loinc(o) === "62292-8").map((o) => o.valueQuantity?.unit));
    expect(vitdUnits.size).toBeGreaterThan(1);
  });

  it("dates labs within the year before now", () => {
    const yearAgo = new Date(NOW.getTime() - 366 * 86_400_000).toISOString();
    for (const o of p.observations) {
      expect(o.effectiveDateTime! >= yearAgo && o.effectiveDateTime! <= NOW.toISOString()).toBe(true);
    }
  });

  it("includes vitamin D, a PPI and diuretics among the medication statements", () => {
    const names = p.medicationStatements.map((m) => m.medicationCodeableConcept?.text ?? "").join(" | ");
    expect(names).toMatch(/Vitamin D3 50,000 IU/);
    expect(names).toMatch(/omeprazole/);
    expect(names).toMatch(/furosemide/);
    expect(names).toMatch(/hydrochlorothiazide/);
  });

  it("is deterministic for a seed and differs across seeds", () => {
    const again = generatePatient({ ...realisticSpec, now: NOW });
    const other = generatePatient({ ...realisticSpec, now: NOW, seed: 7 });
    expect(again).toEqual(p);
    expect(other.observations.map((o) => o.valueQuantity?.value)).not.toEqual(p.observations.map((o) => o.valueQuantity?.value));
  });

  it("splits a patient of size n 6:1 into observations and medication statements", () => {
    const big = patientOfSize(1000, NOW);
    expect(big.observations.length + big.medicationStatements.length).toBe(1000);
    expect(big.medicationStatements).toHaveLength(143); // round(1000 / 7)
    expect(new Set(big.resources.map((r) => r.id)).size).toBe(big.resources.length);
  });
});
