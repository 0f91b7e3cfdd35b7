import { createHash } from "node:crypto";
import { defaultClinicalConfig } from "../../src/config/clinical-config";
import { renderCards, uuidV5 } from "../../src/render";
import { sha1, toHex } from "../../src/render/uuid";
import { evaluateRules } from "../../src/rules";
import { facts, mg, NOW, product } from "../rules/facts-builder";

describe("deterministic uuids", () => {
  test.each(["", "abc", "a".repeat(55), "a".repeat(64), "Ca 10,9 mg/dL — Ümlaut 😀"])("SHA-1 of %j matches node:crypto", (s) => {
    expect(toHex(sha1(new TextEncoder().encode(s)))).toBe(createHash("sha1").update(s).digest("hex"));
  });

  test("UUIDv5 matches the RFC 9562 example (DNS namespace, www.example.com)", () => {
    expect(uuidV5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe("2ed6657d-e927-568b-95e1-2665a8aea6a2");
  });

  const ctx = { hook: "patient-view" as const, patientId: "p1", serviceLabel: "vitd-cds", draftOrders: [] };
  const regimen = product({ weeklyIU: 50_000, startAgo: 21, id: "MedicationStatement/ms1" });
  const uuidFor = (mgValue: number, patientId = "p1", mgId = "Observation/mg1") =>
    renderCards(evaluateRules(facts({ patientId, labs: [mg(mgValue, 1, { id: mgId })], vitaminD: [regimen] }), defaultClinicalConfig, NOW), ctx)[0]?.uuid;

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
