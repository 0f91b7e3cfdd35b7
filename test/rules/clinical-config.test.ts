import { clinicalConfigSchema, defaultClinicalConfig, mergeClinicalConfig } from "../../src/config/clinical-config";

describe("clinical configuration", () => {
  test("defaults carry the spec's thresholds", () => {
    expect(defaultClinicalConfig.vitaminD).toEqual({
      deficientBelowNgMl: 20,
      severeDeficientBelowNgMl: 12,
      highAboveNgMl: 100,
      toxicAboveNgMl: 150,
    });
    expect(defaultClinicalConfig.calcium.correction).toEqual({ factor: 0.8, referenceAlbuminGdl: 4.0, albuminWithinDays: 7 });
    expect(defaultClinicalConfig.magnesium).toMatchObject({ lowBelowMgDl: 1.7, severeBelowMgDl: 1.2 });
    expect(defaultClinicalConfig.dose).toMatchObject({
      highDoseAboveIuPerDay: 4000,
      toxicAtLeastIuPerDay: 10000,
      bolusInfoAboveIu: 100000,
      bolusWarningAtLeastIu: 300000,
    });
    expect(defaultClinicalConfig.windows).toMatchObject({
      labCurrentDays: 90,
      vitaminDCurrentDays: 180,
      deficiencyLookbackDays: 365,
      stoppedWithinDays: 84,
    });
    // UL by age (IOM 2011) for "high-dose"; toxic intake and single-dose maximum below 13 years from the global
    // rickets consensus (Munns 2016): > 2,000 IU/day at 0–12 months, > 6,000 at 1–12 years; single dose > 10,000 / 50,000 / 150,000.
    expect(
      defaultClinicalConfig.pediatric.bands.map((b) => [
        b.label,
        b.highDoseAboveIuPerDay,
        b.toxicAboveIuPerDay ?? `≥${b.toxicAtLeastIuPerDay}`,
        b.singleDoseAboveIu,
      ]),
    ).toEqual([
      ["0-3 months", 1000, 2000, 10000],
      ["3-6 months", 1000, 2000, 50000],
      ["6-12 months", 1500, 2000, 50000],
      ["1-3 years", 2500, 6000, 150000],
      ["4-8 years", 3000, 6000, 150000],
      ["9-12 years", 4000, 6000, 150000],
      ["13-17 years", 4000, "≥10000", undefined],
    ]);
    expect(defaultClinicalConfig.pediatric.bands.map((b) => b.belowAgeMonths)).toEqual([3, 6, 12, 48, 108, 156, 216]);
    expect(clinicalConfigSchema.safeParse(defaultClinicalConfig).success).toBe(true);
  });

  test("a partial override is deep-merged over the defaults", () => {
    const merged = mergeClinicalConfig({ magnesium: { lowBelowMgDl: 1.8 }, windows: { labCurrentDays: 60 } });
    expect(merged.magnesium).toEqual({ lowBelowMgDl: 1.8, severeBelowMgDl: 1.2, baselineWithinDaysBeforeStart: 30 });
    expect(merged.windows.labCurrentDays).toBe(60);
    expect(merged.windows.vitaminDCurrentDays).toBe(180);
    expect(defaultClinicalConfig.magnesium.lowBelowMgDl).toBe(1.7);
  });

  test("arrays replace the default (pediatric bands)", () => {
    const merged = mergeClinicalConfig({
      pediatric: { bands: [{ label: "0-17 y", belowAgeMonths: 216, highDoseAboveIuPerDay: 2000, toxicAboveIuPerDay: 4000 }] },
    });
    expect(merged.pediatric.bands).toHaveLength(1);
  });

  test("no override gives the defaults", () => {
    expect(mergeClinicalConfig(undefined)).toBe(defaultClinicalConfig);
    expect(mergeClinicalConfig(null)).toBe(defaultClinicalConfig);
  });

  test("every bad field is named in one error", () => {
    const attempt = () =>
      mergeClinicalConfig({ magnesium: { lowBelowMgDl: "low" }, dose: { toxicAtLeastIuPerDay: -1 }, vitaminD: { typo: 3 } });
    expect(attempt).toThrow(/magnesium\.lowBelowMgDl/);
    expect(attempt).toThrow(/dose\.toxicAtLeastIuPerDay/);
    expect(attempt).toThrow(/vitaminD.*typo/);
  });

  test("inconsistent thresholds are rejected with the field named", () => {
    expect(() => mergeClinicalConfig({ magnesium: { severeBelowMgDl: 1.9 } })).toThrow(
      /magnesium\.severeBelowMgDl: must be below lowBelowMgDl/,
    );
    expect(() => mergeClinicalConfig({ vitaminD: { highAboveNgMl: 200 } })).toThrow(/vitaminD\.highAboveNgMl/);
    expect(() =>
      mergeClinicalConfig({
        pediatric: {
          bands: [
            { label: "a", belowAgeMonths: 12, highDoseAboveIuPerDay: 1, toxicAtLeastIuPerDay: 2 },
            { label: "b", belowAgeMonths: 6, highDoseAboveIuPerDay: 1, toxicAtLeastIuPerDay: 2 },
          ],
        },
      }),
    ).toThrow(/pediatric\.bands\.1\.belowAgeMonths/);
  });

  test("a pediatric band gives exactly one toxic comparator", () => {
    const band = { label: "a", belowAgeMonths: 12, highDoseAboveIuPerDay: 1000 };
    expect(() => mergeClinicalConfig({ pediatric: { bands: [band] } })).toThrow(
      /pediatric\.bands\.0: give exactly one of toxicAtLeastIuPerDay and toxicAboveIuPerDay/,
    );
    expect(() =>
      mergeClinicalConfig({ pediatric: { bands: [{ ...band, toxicAtLeastIuPerDay: 2000, toxicAboveIuPerDay: 2000 }] } }),
    ).toThrow(/exactly one/);
    expect(() => mergeClinicalConfig({ pediatric: { bands: [{ ...band, toxicAboveIuPerDay: 900 }] } })).toThrow(
      /pediatric\.bands\.0\.highDoseAboveIuPerDay: must be below the toxic intake/,
    );
    expect(
      mergeClinicalConfig({ pediatric: { bands: [{ ...band, toxicAboveIuPerDay: 2000, singleDoseAboveIu: 50000 }] } }).pediatric.bands[0]
        ?.singleDoseAboveIu,
    ).toBe(50000);
  });

  test("unknown medication classes in modifier lists are rejected", () => {
    expect(() => mergeClinicalConfig({ modifiers: { mgLossMedicationClasses: ["statins"] } })).toThrow(
      /modifiers\.mgLossMedicationClasses\.0/,
    );
  });

  test("renal function, PPI and lab reference range keys (clinical-logic §10) have their defaults", () => {
    expect(defaultClinicalConfig.renal).toEqual({ egfrSevereBelow: 30, computeEgfrFromCreatinine: true, computedEgfrMinAgeYears: 18 });
    expect(defaultClinicalConfig.modifiers.ppiMinDays).toBe(365);
    expect(defaultClinicalConfig.labs).toEqual({ respectLabReferenceRange: true });
  });

  test("the retired labReferenceRanges keys are refused, naming their replacement", () => {
    expect(() => mergeClinicalConfig({ labReferenceRanges: { useForMagnesiumLow: true } })).toThrow(
      /labReferenceRanges: retired: replaced by labs\.respectLabReferenceRange/,
    );
    expect(mergeClinicalConfig({ labs: { respectLabReferenceRange: false } }).labs.respectLabReferenceRange).toBe(false);
  });

  test("a non-object override is rejected", () => {
    expect(() => mergeClinicalConfig([1, 2])).toThrow(/expected a JSON object/);
    expect(() => mergeClinicalConfig("x")).toThrow(/expected a JSON object/);
  });
});
