/**
 * The SMART app (launch/src/read-resources.ts) reads what it fetches with the service's reader
 * (src/fhir/read-resources.ts), like the service's fallback fetch: a malformed resource is left out
 * and listed in `notUsed` (the findings then list it under "Missing or not used"), the rest is read.
 * Lives here because it tests the shared FHIR boundary.
 */
import type Client from "fhirclient/lib/Client";
import { readClinicalResources } from "../../launch/src/read-resources";

const now = new Date("2026-03-01T12:00:00Z");

/** A fhirclient stand-in: `answer(url)` for each request (search results already flattened). */
const clientAnswering = (answer: (url: string) => unknown) =>
  ({ request: (url: string) => Promise.resolve(answer(url)) }) as unknown as Client;
const okPatient = { resourceType: "Patient", id: "p1", name: [{ family: "Okafor" }] };
const goodObservation = {
  resourceType: "Observation",
  id: "o2",
  status: "final",
  code: { coding: [{ system: "http://loinc.org", code: "19123-9" }] },
  valueQuantity: { value: 1.4, unit: "mg/dL" },
};

describe("the SMART app leaves malformed FHIR resources out and lists them, like the service does", () => {
  it.each([
    [
      "Observation valueQuantity.value not a decimal",
      "Observation?",
      { resourceType: "Observation", id: "o1", valueQuantity: { value: "11 ng" } },
      "Observation/o1",
      "valueQuantity.value",
    ],
    [
      "MedicationStatement dosage a string",
      "MedicationStatement?",
      { resourceType: "MedicationStatement", id: "s1", dosage: "daily" },
      "MedicationStatement/s1",
      "dosage",
    ],
    [
      "Condition code.coding an object",
      "Condition?",
      { resourceType: "Condition", id: "c1", code: { coding: { code: "x" } } },
      "Condition/c1",
      "code.coding",
    ],
  ])("%s → listed as not used, the good results still read", async (_what, searchPrefix, bad, ref, field) => {
    const client = clientAnswering((url) =>
      url.startsWith("Patient/")
        ? okPatient
        : url.startsWith(searchPrefix)
          ? [bad, ...(searchPrefix === "Observation?" ? [goodObservation] : [])]
          : [],
    );
    const resources = await readClinicalResources(client, "p1", now);
    expect(resources.patient?.id).toBe("p1");
    expect(resources.notUsed?.map((n) => n.ref)).toContain(ref);
    expect(resources.notUsed?.find((n) => n.ref === ref)?.detail).toMatch(new RegExp(`^${field.replace(/\./g, "\\.")}: `));
    if (searchPrefix === "Observation?") expect(resources.observations.some((o) => o.id === "o2")).toBe(true);
  });

  it("a Patient read whose name is not an array: the Patient is listed, the rest still read", async () => {
    const client = clientAnswering((url) =>
      url.startsWith("Patient/") ? { ...okPatient, name: "Okafor" } : url.startsWith("Observation?") ? [goodObservation] : [],
    );
    const resources = await readClinicalResources(client, "p1", now);
    expect(resources.patient).toBeUndefined();
    expect(resources.notUsed).toEqual([
      { ref: "Patient/p1", resourceType: "Patient", reason: "malformed", detail: "name: expected array, received string" },
    ]);
    expect(resources.observations.map((o) => o.id)).toContain("o2");
  });

  it("well-formed data with unknown fields and types is read as before", async () => {
    const client = clientAnswering((url) =>
      url.startsWith("Patient/")
        ? { ...okPatient, extension: [{ url: "x" }] }
        : url.startsWith("Observation?")
          ? [{ resourceType: "Basic", id: "b1" }]
          : [],
    );
    const resources = await readClinicalResources(client, "p1", now);
    expect(resources.patient?.id).toBe("p1");
    expect(resources.observations).toEqual([]);
    expect(resources.notUsed).toEqual([]);
  });
});
