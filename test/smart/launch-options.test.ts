import { authorizeOptions, LaunchError, launchKind, RESOURCE_SCOPES, scopeFor } from "../../launch/src/launch-options";

const config = { clientId: "vitd-cds", pkceMode: "required" as const };
const q = (s: string) => new URLSearchParams(s);

describe("SMART launch options", () => {
  it("an EHR launch (iss + launch) asks for the launch scope and passes the launch token", () => {
    const o = authorizeOptions(q("iss=https://ehr.example/fhir&launch=abc"), config);
    expect(o).toMatchObject({
      iss: "https://ehr.example/fhir",
      launch: "abc",
      clientId: "vitd-cds",
      redirectUri: "index.html",
      pkceMode: "required",
    });
    expect(o.scope.split(" ")).toEqual(["openid", "fhirUser", "launch", ...RESOURCE_SCOPES]);
  });

  it("a standalone launch (iss only) asks for launch/patient instead of launch", () => {
    const o = authorizeOptions(q("iss=https://ehr.example/fhir"), config);
    expect(o.launch).toBeUndefined();
    expect(o.scope.split(" ")).toContain("launch/patient");
    expect(o.scope.split(" ")).not.toContain("launch");
  });

  it("requests SMART v2 read+search scopes for exactly the resources the app reads", () => {
    expect(scopeFor("ehr")).toBe(
      "openid fhirUser launch patient/Patient.rs patient/Observation.rs patient/MedicationStatement.rs " +
        "patient/MedicationRequest.rs patient/Medication.rs patient/Condition.rs",
    );
  });

  it("an open-server launch needs fhirServiceUrl and patientId, and carries appContext as a fake token response", () => {
    const o = authorizeOptions(
      q("fhirServiceUrl=http://localhost:8080/fhir&patientId=p1&appContext=%7B%22pattern%22%3A%22repletion-cramp%22%7D"),
      config,
    );
    expect(o).toMatchObject({
      fhirServiceUrl: "http://localhost:8080/fhir",
      patientId: "p1",
      fakeTokenResponse: { appContext: '{"pattern":"repletion-cramp"}' },
    });
    expect(o.iss).toBeUndefined();
    expect(() => authorizeOptions(q("fhirServiceUrl=http://localhost:8080/fhir"), config)).toThrow(/patientId/);
  });

  it("a clientId in the URL overrides the configured one", () => {
    expect(authorizeOptions(q("iss=https://ehr.example/fhir&clientId=other"), config).clientId).toBe("other");
  });

  it.each([
    ["", /must be launched/],
    ["iss=javascript:alert(1)", /http\(s\)/],
    ["iss=not a url", /not a valid URL/],
  ])("rejects %j with a LaunchError", (search, message) => {
    expect(() => authorizeOptions(q(search), config)).toThrow(LaunchError);
    expect(() => authorizeOptions(q(search), config)).toThrow(message);
  });

  it("iss wins over fhirServiceUrl", () => {
    expect(launchKind(q("iss=https://a/fhir&fhirServiceUrl=https://b/fhir"))).toBe("standalone");
  });
});
