/**
 * The no-guess repairs of shapes real systems send (src/fhir/repair-shapes.ts): each applies where it
 * should, the input is never changed, and a resource that needs nothing comes back as the same object
 * (its arrays too), so the usual case costs no copy.
 */
import { repairShapes } from "../../src/fhir/repair-shapes";

type Json = Record<string, unknown>;
const frozen = <T>(v: T): T => {
  if (typeof v === "object" && v !== null) {
    for (const x of Object.values(v)) frozen(x);
    Object.freeze(v);
  }
  return v;
};

const r4Observation = (): Json => ({
  resourceType: "Observation",
  status: "final",
  code: { coding: [{ system: "http://loinc.org", code: "19123-9" }] },
  valueQuantity: { value: 1.4, unit: "mg/dL", system: "http://unitsofmeasure.org", code: "mg/dL" },
  interpretation: [{ coding: [{ code: "L" }] }],
  referenceRange: [{ low: { value: 1.7, unit: "mg/dL" }, high: { value: 2.2, unit: "mg/dL" } }],
  component: [{ code: { text: "c" }, valueQuantity: { value: 2 }, referenceRange: [{ low: { value: 1 } }] }],
});

describe("repairShapes", () => {
  it("returns an R4-correct resource of every repaired type as the same object", () => {
    const resources: Json[] = [
      r4Observation(),
      {
        resourceType: "Condition",
        clinicalStatus: { coding: [{ code: "active" }] },
        verificationStatus: { coding: [{ code: "confirmed" }] },
      },
      { resourceType: "MedicationStatement", dosage: [{ doseAndRate: [{ doseQuantity: { value: 50000, unit: "[iU]" } }] }, "junk"] },
      { resourceType: "MedicationRequest", dosageInstruction: [{ doseAndRate: [{ doseQuantity: { value: 1 } }] }] },
      { resourceType: "Patient", id: "p" },
    ];
    for (const r of resources) expect(repairShapes(frozen(r))).toBe(r);
  });

  it("Observation value given as a decimal string (a lab interface) → the number, in a copy", () => {
    const obs: Json = frozen({ ...r4Observation(), valueQuantity: { value: "45", unit: "ng/mL" } });
    const out = repairShapes(obs) as { valueQuantity: unknown; referenceRange: unknown };
    expect(out.valueQuantity).toEqual({ value: 45, unit: "ng/mL" });
    expect(obs.valueQuantity).toEqual({ value: "45", unit: "ng/mL" });
    expect(out.referenceRange).toBe(obs.referenceRange);
  });

  it("a decimal string in the second reference range only → that range copied, the first kept", () => {
    const first = { low: { value: 30 } };
    const obs = frozen({ ...r4Observation(), referenceRange: [first, { high: { value: "100" } }] });
    const out = repairShapes(obs) as { referenceRange: Json[] };
    expect(out.referenceRange).toEqual([{ low: { value: 30 } }, { high: { value: 100 } }]);
    expect(out.referenceRange[0]).toBe(first);
  });

  it("a component value as a decimal string → repaired inside the component", () => {
    const obs = frozen({ ...r4Observation(), component: [{ code: { text: "Ca" }, valueQuantity: { value: "9.1" } }] });
    expect((repairShapes(obs) as { component: unknown }).component).toEqual([{ code: { text: "Ca" }, valueQuantity: { value: 9.1 } }]);
  });

  it("one interpretation CodeableConcept instead of a list → a list of one", () => {
    const interp = { coding: [{ code: "H" }] };
    const out = repairShapes(frozen({ ...r4Observation(), interpretation: interp })) as { interpretation: unknown[] };
    expect(out.interpretation).toEqual([interp]);
  });

  it("STU3 Condition status codes as strings → R4 CodeableConcepts", () => {
    const out = repairShapes(frozen({ resourceType: "Condition", clinicalStatus: "active", verificationStatus: "confirmed" }));
    expect(out.clinicalStatus).toEqual({
      coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-clinical", code: "active" }],
      text: "active",
    });
    expect(out.verificationStatus).toEqual({
      coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-ver-status", code: "confirmed" }],
      text: "confirmed",
    });
  });

  it("a dose as a decimal string in the second dosage → that dosage copied, the first kept", () => {
    const first = { doseAndRate: [{ doseQuantity: { value: 1000 } }] };
    const ms = frozen({ resourceType: "MedicationStatement", dosage: [first, { doseAndRate: [{ doseQuantity: { value: "50000" } }] }] });
    const out = repairShapes(ms) as { dosage: Json[] };
    expect(out.dosage).toEqual([first, { doseAndRate: [{ doseQuantity: { value: 50000 } }] }]);
    expect(out.dosage[0]).toBe(first);
  });

  it.each(["45 mg", "1,2", "", " 45", "0x10", "1e"])(
    "a value string %j is not a FHIR decimal: left as it is (it fails the check later)",
    (v) => {
      const obs = frozen({ ...r4Observation(), valueQuantity: { value: v } });
      expect(repairShapes(obs)).toBe(obs);
    },
  );
});
