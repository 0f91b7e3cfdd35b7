/**
 * The SMART app (launch/src/read-resources.ts) checks what it reads with the service's schemas
 * (src/fhir/resource-schemas.ts), like the service's fallback fetch: a malformed resource rejects
 * with the same 502 `fhir_server_error` naming resource and field, and the app's error view
 * (describeError → showError) shows it. Lives here because it tests the shared FHIR boundary.
 */
import type Client from "fhirclient/lib/Client";
import { describeError } from "../../launch/src/describe-error";
import { readClinicalResources } from "../../launch/src/read-resources";

const now = new Date("2026-03-01T12:00:00Z");

/** A fhirclient stand-in: `answer(url)` for each request (search results already flattened). */
const clientAnswering = (answer: (url: string) => unknown) => ({ request: (url: string) => Promise.resolve(answer(url)) }) as unknown as Client;
const okPatient = { resourceType: "Patient", id: "p1", name: [{ family: "Okafor" }] };

describe("the SMART app rejects malformed FHIR resources like the service does", () => {
  it.each([
    ["Observation valueQuantity.value a string", "Observation?", { resourceType: "Observation", id: "o1", valueQuantity: { value: "11" } }, "Observation/o1", "valueQuantity.value"],
    ["MedicationStatement dosage a string", "MedicationStatement?", { resourceType: "MedicationStatement", id: "s1", dosage: "daily" }, "MedicationStatement/s1", "dosage"],
    ["Condition code.coding an object", "Condition?", { resourceType: "Condition", id: "c1", code: { coding: { code: "x" } } }, "Condition/c1", "code.coding"],
  ])("%s → 502 naming the resource and field, shown by the error view", async (_what, searchPrefix, bad, label, field) => {
    const client = clientAnswering((url) => (url.startsWith("Patient/") ? okPatient : url.startsWith(searchPrefix) ? [bad] : []));
    const error = await readClinicalResources(client, "p1", now).then(
      () => undefined,
      (e: unknown) => e as Error & { status?: number; code?: string },
    );
    expect(error?.status).toBe(502);
    expect(error?.code).toBe("fhir_server_error");
    expect(error?.message).toContain(label);
    expect(error?.message).toContain(`${field}: `);
    const view = describeError(error);
    expect(view.title).toBe("FHIR server error");
    expect(view.detail).toContain(label);
  });

  it("a Patient read whose name is not an array", async () => {
    const client = clientAnswering((url) => (url.startsWith("Patient/") ? { ...okPatient, name: "Okafor" } : []));
    await expect(readClinicalResources(client, "p1", now)).rejects.toThrow(/Patient\/p1 .*: name: /);
  });

  it("well-formed data with unknown fields and types is read as before", async () => {
    const client = clientAnswering((url) =>
      url.startsWith("Patient/") ? { ...okPatient, extension: [{ url: "x" }] } : url.startsWith("Observation?") ? [{ resourceType: "Basic", id: "b1" }, null] : [],
    );
    const resources = await readClinicalResources(client, "p1", now);
    expect(resources.patient?.id).toBe("p1");
    expect(resources.observations).toEqual([]);
  });
});
