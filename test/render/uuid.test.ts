import { defaultClinicalConfig } from "../../src/config/clinical-config";
import { renderCards, uuidV5 } from "../../src/render";
import { VITD_NAMESPACE } from "../../src/render/uuid";
import { evaluateRules } from "../../src/rules";
import { facts, mg, NOW, product } from "../rules/facts-builder";

/** uuids the previous (hand-written SHA-1) implementation produced in the project namespace. */
const PREVIOUS: Record<string, string> = {
  "": "69c5be2f-c2ea-54a2-8325-983a1de13d27",
  "Ca 10,9 mg/dL — Ümlaut 😀": "30821590-8f15-5098-abd1-7ce4a485d0fd",
};

describe("deterministic uuids", () => {
  test("the project namespace gives the uuids cards have always had (feedback on older cards still matches)", () => {
    // Values computed by the SHA-1 implementation this replaced.
    expect(uuidV5("", VITD_NAMESPACE)).toBe(PREVIOUS[""]);
    expect(uuidV5("Ca 10,9 mg/dL — Ümlaut 😀")).toBe(PREVIOUS["Ca 10,9 mg/dL — Ümlaut 😀"]);
  });

  test("UUIDv5 matches the RFC 9562 example (DNS namespace, www.example.com)", () => {
    expect(uuidV5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe("2ed6657d-e927-568b-95e1-2665a8aea6a2");
  });

  const ctx = { hook: "patient-view" as const, patientId: "p1", serviceLabel: "vitd-cds", draftOrders: [] };
  const regimen = product({ weeklyIU: 50_000, startAgo: 21, id: "MedicationStatement/ms1" });
  const uuidFor = (mgValue: number, patientId = "p1", mgId = "Observation/mg1") =>
    renderCards(
      evaluateRules(facts({ patientId, labs: [mg(mgValue, 1, { id: mgId })], vitaminD: [regimen] }), defaultClinicalConfig, NOW),
      ctx,
    )[0]?.uuid;

  test("same patient + pattern + evidence → same uuid", () => {
    expect(uuidFor(1.4)).toBeDefined();
    expect(uuidFor(1.4)).toBe(uuidFor(1.4));
  });

  test("changed evidence → new uuid", () => {
    expect(uuidFor(1.5)).not.toBe(uuidFor(1.4));
    expect(uuidFor(1.4, "p1", "Observation/mg2")).not.toBe(uuidFor(1.4));
  });

  test("another patient → another uuid", () => {
    expect(uuidFor(1.4, "p2")).not.toBe(uuidFor(1.4));
  });
});
