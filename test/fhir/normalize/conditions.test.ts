import type { ConditionKind } from "../../../src/fhir/facts";
import { normalizeFacts } from "../../../src/fhir/normalize";
import { clinicalResources, condition, type ConditionSpec } from "../../fixtures/fhir/builders";

const conditionsOf = (...specs: ConditionSpec[]) => normalizeFacts(clinicalResources({ conditions: specs.map(condition) })).conditions;

describe("conditions → modifier kinds (docs/clinical-logic.md §13)", () => {
  const cases: [string, ConditionSpec, ConditionKind][] = [
    ["cramp, SNOMED 55300003", { code: "55300003", display: "Cramp" }, "cramps"],
    ["cramp and spasm, ICD-10-CM R25.2", { system: "icd10cm", code: "R25.2", display: "Cramp and spasm" }, "cramps"],
    ["sleep-related leg cramps, G47.62", { system: "icd10cm", code: "G47.62", display: "Sleep related leg cramps" }, "cramps"],
    ["spasm of calf muscle, M62.831", { system: "icd10cm", code: "M62.831", display: "Muscle spasm of calf" }, "cramps"],
    ["hypomagnesemia, SNOMED 190855004", { code: "190855004", display: "Hypomagnesemia" }, "hypomagnesemia"],
    ["hypomagnesemia, E83.42", { system: "icd10cm", code: "E83.42", display: "Hypomagnesemia" }, "hypomagnesemia"],
    ["hypercalcemia, SNOMED 66931009", { code: "66931009", display: "Hypercalcemia" }, "hypercalcemia"],
    ["hypercalcemia, E83.52", { system: "icd10cm", code: "E83.52", display: "Hypercalcemia" }, "hypercalcemia"],
    ["CKD stage 4, SNOMED 431857002", { code: "431857002", display: "Chronic kidney disease stage 4" }, "ckd-stage-4-5"],
    ["CKD stage 5, SNOMED 433146000", { code: "433146000", display: "Chronic kidney disease stage 5" }, "ckd-stage-4-5"],
    ["ESRD, SNOMED 46177005", { code: "46177005", display: "End-stage renal disease" }, "ckd-stage-4-5"],
    ["CKD stage 4, N18.4", { system: "icd10cm", code: "N18.4", display: "Chronic kidney disease, stage 4 (severe)" }, "ckd-stage-4-5"],
    ["CKD stage 5, N18.5", { system: "icd10cm", code: "N18.5", display: "Chronic kidney disease, stage 5" }, "ckd-stage-4-5"],
    ["ESRD, N18.6", { system: "icd10cm", code: "N18.6", display: "End stage renal disease" }, "ckd-stage-4-5"],
    [
      "alcohol dependence, F10.20 (prefix F10.2)",
      { system: "icd10cm", code: "F10.20", display: "Alcohol dependence, uncomplicated" },
      "alcohol-use-disorder",
    ],
    ["alcohol abuse, F10.10", { system: "icd10cm", code: "F10.10", display: "Alcohol abuse, uncomplicated" }, "alcohol-use-disorder"],
    ["alcoholism, SNOMED 7200002", { code: "7200002", display: "Alcoholism" }, "alcohol-use-disorder"],
    ["celiac disease, K90.0", { system: "icd10cm", code: "K90.0", display: "Celiac disease" }, "malabsorption"],
    [
      "short bowel syndrome, K90.821",
      { system: "icd10cm", code: "K90.821", display: "Short bowel syndrome with colon in continuity" },
      "malabsorption",
    ],
    [
      "Crohn's disease of small intestine, K50.00",
      { system: "icd10cm", code: "K50.00", display: "Crohn's disease of small intestine without complications" },
      "malabsorption",
    ],
    ["Crohn's disease, SNOMED 34000006", { code: "34000006", display: "Crohn's disease" }, "malabsorption"],
    [
      "exocrine pancreatic insufficiency, K86.81",
      { system: "icd10cm", code: "K86.81", display: "Exocrine pancreatic insufficiency" },
      "malabsorption",
    ],
    ["bariatric surgery status, Z98.84", { system: "icd10cm", code: "Z98.84", display: "Bariatric surgery status" }, "bariatric-surgery"],
    ["sarcoidosis of lung, D86.0", { system: "icd10cm", code: "D86.0", display: "Sarcoidosis of lung" }, "granulomatous-disease"],
    ["pulmonary tuberculosis, A15.0", { system: "icd10cm", code: "A15.0", display: "Tuberculosis of lung" }, "granulomatous-disease"],
    ["sarcoidosis, SNOMED 31541009", { code: "31541009", display: "Sarcoidosis" }, "granulomatous-disease"],
    [
      "primary hyperparathyroidism, E21.0",
      { system: "icd10cm", code: "E21.0", display: "Primary hyperparathyroidism" },
      "primary-hyperparathyroidism",
    ],
    [
      "primary hyperparathyroidism, SNOMED 36348003",
      { code: "36348003", display: "Primary hyperparathyroidism" },
      "primary-hyperparathyroidism",
    ],
  ];
  test.each(cases)("%s", (_n, spec, kind) => {
    expect(conditionsOf({ ...spec, id: "c1", onset: "2026-05-20" })).toEqual([
      {
        id: "Condition/c1",
        kind,
        code: { system: expect.any(String), code: spec.code, display: spec.display },
        display: spec.display,
        date: "2026-05-20",
      },
    ]);
  });

  test.each([
    ["CKD stage 3, N18.30 (not stage 4–5)", { system: "icd10cm", code: "N18.30", display: "Chronic kidney disease, stage 3 unspecified" }],
    [
      "secondary hyperparathyroidism of renal origin, N25.81 (not primary)",
      { system: "icd10cm", code: "N25.81", display: "Secondary hyperparathyroidism of renal origin" },
    ],
    ["hyperparathyroidism, unspecified, E21.3", { system: "icd10cm", code: "E21.3", display: "Hyperparathyroidism, unspecified" }],
    ["CKD (any stage), SNOMED 709044004: only stages 4–5 count", { code: "709044004", display: "Chronic kidney disease" }],
    ["ICD-10-CM code 55300003 under the wrong system", { system: "icd10cm", code: "55300003", display: "?" }],
  ] as [string, ConditionSpec][])("%s → not a modifier", (_n, spec) => {
    expect(conditionsOf(spec)).toEqual([]);
  });

  test("ICD-10-CM codes sent without the dot (E8342) still match", () => {
    expect(conditionsOf({ system: "icd10cm", code: "E8342", display: "Hypomagnesemia" })[0]?.kind).toBe("hypomagnesemia");
  });
});

describe("status and dates", () => {
  test.each(["active", "recurrence", "relapse"])("clinicalStatus %s counts", (clinicalStatus) => {
    expect(conditionsOf({ code: "55300003", display: "Cramp", clinicalStatus })).toHaveLength(1);
  });
  test.each(["inactive", "remission", "resolved"])("clinicalStatus %s does not", (clinicalStatus) => {
    expect(conditionsOf({ code: "55300003", display: "Cramp", clinicalStatus })).toEqual([]);
  });
  test.each(["refuted", "entered-in-error"])("verificationStatus %s is dropped", (verificationStatus) => {
    expect(conditionsOf({ code: "66931009", display: "Hypercalcemia", verificationStatus })).toEqual([]);
  });
  test.each(["unconfirmed", "provisional", "differential", "confirmed"])("verificationStatus %s is kept", (verificationStatus) => {
    expect(conditionsOf({ code: "66931009", display: "Hypercalcemia", verificationStatus })).toHaveLength(1);
  });

  test("date = onsetDateTime, else onsetPeriod.start, else recordedDate", () => {
    const a = condition({ id: "a", code: "55300003", display: "Cramp", onset: "2026-05-01", recorded: "2026-05-03" });
    const b = {
      ...condition({ id: "b", code: "55300003", display: "Cramp", recorded: "2026-05-03" }),
      onsetPeriod: { start: "2026-04-20" },
    };
    const c = condition({ id: "c", code: "55300003", display: "Cramp", recorded: "2026-05-03" });
    const d = condition({ id: "d", code: "55300003", display: "Cramp" });
    const facts = normalizeFacts(clinicalResources({ conditions: [a, b, c, d] })).conditions;
    expect(facts.map((f) => f.date)).toEqual(["2026-05-01", "2026-04-20", "2026-05-03", undefined]);
  });

  test("one Condition coded in SNOMED and ICD-10-CM for the same kind gives one fact", () => {
    const c = condition({ id: "x", code: "190855004", display: "Hypomagnesemia" });
    c.code!.coding!.push({ system: "http://hl7.org/fhir/sid/icd-10-cm", code: "E83.42", display: "Hypomagnesemia" });
    expect(normalizeFacts(clinicalResources({ conditions: [c] })).conditions).toHaveLength(1);
  });
});
