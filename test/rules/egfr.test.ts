/**
 * CKD-EPI 2021 creatinine equation (race-free; Inker et al., NEJM 2021;385:1737–49):
 *   eGFR = 142 × min(Scr/κ, 1)^α × max(Scr/κ, 1)^−1.200 × 0.9938^age × 1.012 [if female]
 *   κ = 0.7 (F) / 0.9 (M), α = −0.241 (F) / −0.302 (M), Scr in mg/dL, eGFR in mL/min/1.73 m².
 * Every expected value below was worked out by hand (calculator), factor by factor, not with the code under test.
 */
import { defaultClinicalConfig, mergeClinicalConfig } from "../../src/config/clinical-config";
import { ckdEpi2021, computeEgfr } from "../../src/rules/egfr";
import { datedLabs } from "../../src/rules/labs";
import { bornYearsAgo, creat, facts, NOW } from "./facts-builder";

describe("CKD-EPI 2021 equation", () => {
  test.each([
    // woman 50 y, Scr 1.0: Scr/κ = 1/0.7 = 1.4286 > 1 → 142 × 1.4286^−1.2 (0.65180) × 0.9938^50 (0.73274) × 1.012 = 68.6
    // (the usual worked example: ≈ 68–69 mL/min/1.73 m², reported as 69)
    ["woman 50 y, Scr 1.0 mg/dL", 1.0, 50, "female", 68.63],
    // man 50 y, Scr 1.0: 1/0.9 = 1.1111 → 142 × 1.1111^−1.2 (0.88123) × 0.73274 = 91.7
    ["man 50 y, Scr 1.0 mg/dL", 1.0, 50, "male", 91.69],
    // man 40 y, Scr 0.8: 0.8/0.9 = 0.8889 < 1 → 142 × 0.8889^−0.302 (1.03621) × 0.9938^40 (0.77976) = 114.7
    ["man 40 y, Scr 0.8 mg/dL (below κ: the α branch)", 0.8, 40, "male", 114.74],
    // woman 30 y, Scr 0.6: 0.6/0.7 = 0.8571 < 1 → 142 × 0.8571^−0.241 (1.03785) × 0.9938^30 (0.82979) × 1.012 = 123.8
    ["woman 30 y, Scr 0.6 mg/dL (below κ: the α branch)", 0.6, 30, "female", 123.76],
    // woman 70 y, Scr 2.8: 2.8/0.7 = 4.0 → 142 × 4.0^−1.2 (0.18946) × 0.9938^70 (0.64704) × 1.012 = 17.6
    ["woman 70 y, Scr 2.8 mg/dL", 2.8, 70, "female", 17.62],
    // man 70 y, Scr 2.8: 2.8/0.9 = 3.1111 → 142 × 3.1111^−1.2 (0.25615) × 0.64704 = 23.5
    ["man 70 y, Scr 2.8 mg/dL", 2.8, 70, "male", 23.54],
  ] as const)("%s → %d", (_name, scr, age, sex, expected) => {
    expect(ckdEpi2021(scr, age, sex)).toBeCloseTo(expected, 1);
  });

  test("at Scr = κ both power terms are 1 (woman 60 y, Scr 0.7: 142 × 0.9938^60 (0.68856) × 1.012 = 98.9)", () => {
    expect(ckdEpi2021(0.7, 60, "female")).toBeCloseTo(98.94, 1);
  });
});

describe("eGFR computed from the latest current creatinine", () => {
  const cfg = defaultClinicalConfig;
  const run = (f: ReturnType<typeof facts>, config = cfg) => computeEgfr(f, datedLabs(f, ["creatinine"]), config, NOW.getTime());

  test("uses the newest creatinine within the lab-current window and the age at the draw, rounded to a whole number", () => {
    const f = facts({ labs: [creat(2.8, 3), creat(1.0, 40)], birthDate: bornYearsAgo(70, 1), gender: "female" });
    expect(run(f)).toMatchObject({ status: "computed", value: 18, ageYears: 70, sex: "female", creatinine: { lab: { value: 2.8 } } });
  });

  test("no current creatinine: nothing", () => {
    expect(run(facts({ labs: [creat(2.8, 120)], birthDate: bornYearsAgo(70, 1), gender: "female" }))).toBeUndefined();
  });

  test.each([
    ["sex not recorded", { birthDate: bornYearsAgo(70, 1) }],
    ["sex unknown", { birthDate: bornYearsAgo(70, 1), gender: "unknown" as const }],
    ["birth date missing", { birthDate: null, gender: "male" as const }],
    ["17 years old", { birthDate: bornYearsAgo(17, 6), gender: "male" as const }],
  ])("not computed when %s", (_name, patient) => {
    expect(run(facts({ labs: [creat(2.8, 3)], ...patient }))).toMatchObject({ status: "not-computed" });
  });

  test("18 years old at the draw is an adult", () => {
    expect(run(facts({ labs: [creat(1.0, 3)], birthDate: bornYearsAgo(18, 1), gender: "male" }))).toMatchObject({ status: "computed" });
  });

  test("switched off by renal.computeEgfrFromCreatinine", () => {
    const off = mergeClinicalConfig({ renal: { computeEgfrFromCreatinine: false } });
    expect(run(facts({ labs: [creat(2.8, 3)], birthDate: bornYearsAgo(70, 1), gender: "female" }), off)).toBeUndefined();
  });

  test("a creatinine comparator bounds the eGFR the other way ('<0.3' → eGFR '>' a value, '>10' → eGFR '<' a value)", () => {
    // man 70 y, Scr 10: 10/0.9 = 11.111 → 142 × 11.111^−1.2 (0.05560) × 0.64704 = 5.1 → "<" 5.1, shown as "<6" (rounded up)
    const high = run(facts({ labs: [creat(10, 3, { comparator: ">" })], birthDate: bornYearsAgo(70, 1), gender: "male" }));
    expect(high).toMatchObject({ status: "computed", comparator: "<", value: 6 });
    // woman 30 y, Scr 0.3: 0.3/0.7 = 0.4286 → 142 × 0.4286^−0.241 (1.22654) × 0.82979 × 1.012 = 146.3 → ">" 146.3, shown as ">146" (rounded down)
    const low = run(facts({ labs: [creat(0.3, 3, { comparator: "<" })], birthDate: bornYearsAgo(30, 1), gender: "female" }));
    expect(low).toMatchObject({ status: "computed", comparator: ">", value: 146 });
  });
});
