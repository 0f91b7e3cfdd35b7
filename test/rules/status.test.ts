/** Building blocks: comparator intervals, 25(OH)D and calcium status selection, regimen starts. */
import { defaultClinicalConfig as cfg } from "../../src/config/clinical-config";
import { selectCalciumStatus, CALCIUM_KINDS } from "../../src/rules/calcium-status";
import { intervalOf, isAbove, isAtLeast, isBelow, add, displayOf } from "../../src/rules/interval";
import { datedLabs } from "../../src/rules/labs";
import { buildRegimen, crossingItem, nutritionalIU } from "../../src/rules/regimen";
import { latestCurrentVitd, vitdDayStatuses, documentedDeficiency } from "../../src/rules/vitd-status";
import type { LabResult } from "../../src/fhir/facts";
import { alb, ca, corrCa, d2lab, d3lab, draft, facts, ionCa, mg, NOW, product, vitd } from "./facts-builder";

const nowMs = NOW.getTime();

describe("comparators", () => {
  test.each([
    ["'<5' is below 20", intervalOf(5, "<"), (iv: ReturnType<typeof intervalOf>) => isBelow(iv, 20), true],
    ["'<25' is not known to be below 20", intervalOf(25, "<"), (iv: ReturnType<typeof intervalOf>) => isBelow(iv, 20), false],
    ["'<20' is below 20", intervalOf(20, "<"), (iv: ReturnType<typeof intervalOf>) => isBelow(iv, 20), true],
    ["'<=20' is not below 20", intervalOf(20, "<="), (iv: ReturnType<typeof intervalOf>) => isBelow(iv, 20), false],
    ["'>150' is above 150", intervalOf(150, ">"), (iv: ReturnType<typeof intervalOf>) => isAbove(iv, 150), true],
    ["'>=150' is not above 150", intervalOf(150, ">="), (iv: ReturnType<typeof intervalOf>) => isAbove(iv, 150), false],
    ["150 is not above 150", intervalOf(150), (iv: ReturnType<typeof intervalOf>) => isAbove(iv, 150), false],
    ["'>12' is at least 12", intervalOf(12, ">"), (iv: ReturnType<typeof intervalOf>) => isAtLeast(iv, 12), true],
  ])("%s", (_n, iv, test, expected) => expect(test(iv)).toBe(expected));

  test("D3 30 + D2 '<4' is 30 to 34, shown as ≥30", () => {
    const sum = add(intervalOf(30), intervalOf(4, "<"));
    expect(isBelow(sum, 20)).toBe(false);
    expect(displayOf(sum)).toEqual({ value: 30, comparator: ">=" });
  });
});

describe("25(OH)D status", () => {
  test("a total beats a same-day D3; D3 + same-day D2 are added; metabolites only as last resort", () => {
    const f = facts({ labs: [vitd(40, 10), d3lab(60, 10), d3lab(25, 30), d2lab(10, 30), lab35(80, 50)] });
    const days = vitdDayStatuses(f);
    expect(days.map((d) => [d.source, d.iv.lo])).toEqual([
      ["total", 40],
      ["d3+d2", 35],
      ["metabolites", 80],
    ]);
    expect(latestCurrentVitd(days, nowMs, 180)?.iv.lo).toBe(40);
  });

  test("deficiency documented by any 25(OH)D < 20 within 365 days even when a later one is higher", () => {
    const f = facts({ labs: [vitd(45, 10), vitd(14, 300)] });
    expect(documentedDeficiency(vitdDayStatuses(f), nowMs, 365, 20)?.iv.lo).toBe(14);
    const old = facts({ labs: [vitd(45, 10), vitd(14, 370)] });
    expect(documentedDeficiency(vitdDayStatuses(old), nowMs, 365, 20)).toBeUndefined();
  });
});

function lab35(v: number, d: number) {
  return { ...vitd(v, d), kind: "vitd-metabolites" as const, code: { system: "http://loinc.org", code: "35365-6" } };
}

describe("dated labs", () => {
  const ids = (ls: { lab: LabResult }[]) => ls.map((d) => d.lab.id);

  test("labs listed in any order come newest first; on one instant the earlier-asked kind first, one kind in listed order", () => {
    const old = ca(9.1, 20, { id: "Observation/old-ca" });
    const sameA = ca(9.2, 3, { id: "Observation/ca-a" });
    const sameB = ca(9.3, 3, { id: "Observation/ca-b" });
    const ion = ionCa(1.2, 3, { id: "Observation/ion" });
    const newest = corrCa(9.9, 1, { id: "Observation/corr" });
    const f = facts({ labs: [old, sameA, alb(4, 2), ion, sameB, newest, mg(2, 1)] });
    expect(ids(datedLabs(f, ["calcium-ionized", "calcium-total", "calcium-corrected"]))).toEqual([
      "Observation/corr",
      "Observation/ion",
      "Observation/ca-a",
      "Observation/ca-b",
      "Observation/old-ca",
    ]);
    expect(ids(datedLabs(f, ["calcium-total", "calcium-ionized"]))).toEqual([
      "Observation/ca-a",
      "Observation/ca-b",
      "Observation/ion",
      "Observation/old-ca",
    ]);
  });

  test("a kind asked twice of the same facts gives the same answer, and the caller's list is its own", () => {
    const f = facts({ labs: [mg(1.9, 10), mg(1.5, 2)] });
    const first = datedLabs(f, ["magnesium"]);
    first.pop();
    expect(datedLabs(f, ["magnesium"]).map((d) => d.lab.value)).toEqual([1.5, 1.9]);
    expect(datedLabs(f, ["albumin"])).toEqual([]);
  });
});

describe("calcium status", () => {
  const status = (labs: LabResult[]) => {
    const f = facts({ labs });
    return selectCalciumStatus(datedLabs(f, CALCIUM_KINDS), datedLabs(f, ["albumin"]), cfg);
  };

  test("computed corrected Ca = Ca + 0.8 × (4.0 − albumin) with an albumin within 7 days", () => {
    const s = status([ca(9.0, 1), alb(2.5, 6)]);
    expect(s?.kind).toBe("corrected-computed");
    expect(s?.corrected?.value).toBe(10.2);
  });

  test("albumin 8 days away is not used → plain total", () => {
    expect(status([ca(9.0, 1), alb(2.5, 9)])?.kind).toBe("total");
  });

  test("a lab-reported corrected Ca on the same day beats computing one", () => {
    const s = status([ca(9.0, 1), corrCa(9.9, 1), alb(2.5, 1)]);
    expect(s?.kind).toBe("corrected-lab");
    expect(s?.iv.lo).toBe(9.9);
  });

  test("ionized decides when it is the most recent", () => {
    expect(status([ionCa(1.2, 1), ca(11.0, 3)])?.kind).toBe("ionized");
    expect(status([ionCa(1.5, 1)])?.moderate).toBe(true);
    expect(status([ionCa(1.49, 1)])?.moderate).toBe(false);
  });

  test("Ca 12.0 is moderate (≥ 12), 14 is severe, 10.5 is not high", () => {
    expect(status([ca(12.0, 1)])).toMatchObject({ high: true, moderate: true, severe: false });
    expect(status([ca(14.0, 1)])).toMatchObject({ severe: true });
    expect(status([ca(10.5, 1)])).toMatchObject({ high: false });
  });
});

describe("regimen start", () => {
  test("the product that brought the summed dose above the threshold starts the regimen", () => {
    const r = buildRegimen(
      [
        product({ dailyIU: 2000, startAgo: 300 }),
        product({ ingredient: "ergocalciferol", dailyIU: 3000, startAgo: 40 }),
        product({ ingredient: "vitamin-d-unspecified", dailyIU: 1000, startAgo: 10 }),
      ],
      cfg,
      nowMs,
    );
    expect(crossingItem(r.current, nutritionalIU, (s) => s > 4000)?.p.ingredient).toBe("ergocalciferol");
  });

  test("a draft replaces the same ingredient and adds to others", () => {
    const r = buildRegimen(
      [
        product({ dailyIU: 3000, startAgo: 100 }),
        product({ ingredient: "ergocalciferol", dailyIU: 1000, startAgo: 100 }),
        draft({ dailyIU: 5000 }),
      ],
      cfg,
      nowMs,
    );
    expect(r.current.map((it) => [it.p.ingredient, it.p.dailyIU])).toEqual([
      ["ergocalciferol", 1000],
      ["cholecalciferol", 5000],
    ]);
    expect(r.preDraft).toHaveLength(2);
  });

  test("a draft with an unchanged dose inherits the original start", () => {
    const r = buildRegimen([product({ weeklyIU: 50_000, startAgo: 120 }), draft({ weeklyIU: 50_000 })], cfg, nowMs);
    const d = r.current.find((it) => it.draft);
    expect(d?.carriedStart).toBe(true);
    expect(Math.round((nowMs - (d?.startMs ?? 0)) / 86_400_000)).toBe(120);
  });
});
