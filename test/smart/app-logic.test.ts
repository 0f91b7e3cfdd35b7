/** Pure parts of the app: appContext, error messages, and how the app reads FHIR data (same queries as the service). */
import type Client from "fhirclient/lib/Client";
import { prefetchQueries } from "../../src/fhir/queries";
import { highlightedPattern } from "../../launch/src/app-context";
import { describeError, describeOAuthError } from "../../launch/src/describe-error";
import { LaunchError } from "../../launch/src/launch-options";
import { readClinicalResources } from "../../launch/src/read-resources";
import { fallbackQueryUrl } from "../../src/fhir/queries";
import { unresolvedMedicationRefs } from "../../src/fhir/group-resources";

describe("appContext", () => {
  it.each([
    [{ appContext: '{"pattern":"vitamin-d-toxicity"}' }, "vitamin-d-toxicity"],
    [{ appContext: { pattern: "repletion-cramp" } }, "repletion-cramp"],
    [{ appContext: "repletion-cramp" }, "repletion-cramp"],
    [{ appContext: '{"pattern":"<script>"}' }, undefined],
    [{ appContext: "{not json" }, undefined],
    [{}, undefined],
    [undefined, undefined],
  ])("%j → %s", (tokenResponse, expected) => {
    expect(highlightedPattern(tokenResponse as Record<string, unknown> | undefined)).toBe(expected);
  });
});

describe("error messages", () => {
  it("explains a denied consent from the redirect", () => {
    const v = describeOAuthError("access_denied", "The user declined");
    expect(v.title).toBe("Access was not granted");
    expect(v.message).toMatch(/denied/);
    expect(v.detail).toBe("access_denied: The user declined");
  });

  it.each([
    [401, "Session expired"],
    [403, "Access refused"],
    [404, "Patient not found"],
    [502, "FHIR server error"],
  ])("HTTP %i → %s", (status, title) => {
    expect(describeError(Object.assign(new Error(`${status} x`), { status })).title).toBe(title);
  });

  it("names the unreachable FHIR server", () => {
    const v = describeError(new TypeError("Failed to fetch"), "http://fhir.test/fhir");
    expect(v.title).toBe("FHIR server unreachable");
    expect(v.message).toContain("http://fhir.test/fhir");
  });

  it("reads fhirclient's discovery failure as an unreachable server", () => {
    const e = new Error('Failed to fetch the conformance statement from "http://fhir.test/fhir/metadata". TypeError: Failed to fetch');
    expect(describeError(e, "http://fhir.test/fhir").title).toBe("FHIR server unreachable");
  });

  it("passes launch mistakes through as they are", () => {
    expect(describeError(new LaunchError("No patient is in context"))).toEqual({
      title: "The app was not launched correctly",
      message: "No patient is in context",
    });
  });
});

describe("reading the record", () => {
  const now = new Date("2026-03-01T12:00:00Z");

  it("runs the service's prefetch queries with the fallback's date floor", () => {
    const vitaminD = prefetchQueries.find((q) => q.key === "vitaminD")!;
    expect(fallbackQueryUrl(vitaminD, { patientId: "p 1", userId: "" }, now)).toBe(
      // Every query value percent-encoded (a proxy that collapses "//" cannot break the tokens); commas kept.
      "Observation?patient=p%201&code=http%3A%2F%2Floinc.org%7C62292-8,http%3A%2F%2Floinc.org%7C68438-1,http%3A%2F%2Floinc.org%7C1989-3," +
        "http%3A%2F%2Floinc.org%7C14635-7,http%3A%2F%2Floinc.org%7C49054-0,http%3A%2F%2Floinc.org%7C35365-6&_sort=-date&_count=20&date=ge2025-01-25",
    );
    expect(
      fallbackQueryUrl(
        prefetchQueries.find((q) => q.key === "patient")!,
        { patientId: "p1", userId: "" },
        now,
      ),
    ).toBe("Patient/p1");
  });

  it("lists referenced Medications not already present", () => {
    const refs = unresolvedMedicationRefs([
      { resourceType: "MedicationStatement", status: "active", subject: {}, medicationReference: { reference: "Medication/m1" } },
      {
        resourceType: "MedicationRequest",
        status: "active",
        intent: "order",
        subject: {},
        medicationReference: { reference: "Medication/m2" },
      },
      {
        resourceType: "MedicationStatement",
        status: "active",
        subject: {},
        medicationReference: { reference: "https://elsewhere/Medication/x" },
      },
      { resourceType: "Medication", id: "m2" },
    ]);
    expect(refs).toEqual(["Medication/m1"]);
  });

  it("reads every query with paging (pageLimit 0, flat), resolves medications and groups the result", async () => {
    const calls: { url: string; options: unknown }[] = [];
    const client = {
      request: (url: string, options?: unknown) => {
        calls.push({ url, options });
        if (url.startsWith("Patient/")) return Promise.resolve({ resourceType: "Patient", id: "p1" });
        if (url.startsWith("MedicationStatement?"))
          return Promise.resolve([
            {
              resourceType: "MedicationStatement",
              id: "s1",
              status: "active",
              subject: {},
              medicationReference: { reference: "Medication/m1" },
            },
          ]);
        if (url === "Medication/m1") return Promise.resolve({ resourceType: "Medication", id: "m1" });
        if (url.startsWith("Observation?") && url.includes("62292-8"))
          return Promise.resolve([
            { resourceType: "Observation", id: "o1", status: "final", code: {} },
            { resourceType: "OperationOutcome", issue: [] },
          ]);
        return Promise.resolve([]);
      },
    } as unknown as Client;
    const resources = await readClinicalResources(client, "p1", now);
    const searches = calls.filter((c) => c.url.includes("?"));
    expect(searches).toHaveLength(prefetchQueries.filter((q) => q.template.includes("?")).length);
    for (const s of searches) expect(s.options).toEqual({ pageLimit: 0, flat: true });
    expect(resources).toMatchObject({ patientId: "p1", patient: { id: "p1" }, draftOrders: [] });
    expect(resources.observations.map((o) => o.id)).toEqual(["o1"]);
    expect(resources.medications.map((m) => m.id)).toEqual(["m1"]);
    expect(resources.medicationStatements.map((m) => m.id)).toEqual(["s1"]);
  });
});
