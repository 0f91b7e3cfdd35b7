/** Summaries: number first, then drug and dose, then the one action; always < 140 characters. */
import { defaultClinicalConfig } from "../../src/config/clinical-config";
import type { Facts } from "../../src/fhir/facts";
import { renderCards } from "../../src/render";
import { evaluateRules } from "../../src/rules";
import { ago, ca, draft, facts, ionCa, mg, NOW, product, vitd } from "../rules/facts-builder";

const summaries = (f: Facts) =>
  renderCards(evaluateRules(f, defaultClinicalConfig, NOW), {
    hook: "order-sign",
    patientId: "p1",
    serviceLabel: "vitd-cds",
    draftOrders: [],
  }).map((c) => c.summary);
const day = (n: number) => ago(n).slice(0, 10);

describe("card summaries", () => {
  test("spec example: Mg 1.1 three weeks after starting 50,000 IU/wk", () => {
    expect(summaries(facts({ labs: [mg(1.1, 1)], vitaminD: [product({ weeklyIU: 50_000, startAgo: 21 })] }))).toEqual([
      `Mg 1.1 mg/dL (${day(1)}) 3 wks after starting vitamin D3 50,000 IU/wk — replace Mg (consider IV); check K and Ca, ECG`,
    ]);
  });

  test("spec example: Ca 10.9 before starting 50,000 IU/wk", () => {
    expect(summaries(facts({ labs: [ca(10.9, 2)], vitaminD: [draft({ weeklyIU: 50_000 })] }))).toEqual([
      `Ca 10.9 mg/dL (${day(2)}) — evaluate hypercalcemia (PTH, 1,25(OH)2D) before giving vitamin D3 50,000 IU/wk`,
    ]);
  });

  test("'toxicity' when 25(OH)D > 150; 'High vitamin D level' when only > 100", () => {
    const [toxic] = summaries(facts({ labs: [vitd(160, 3)], vitaminD: [product({ dailyIU: 5000, startAgo: 200 })] }));
    expect(toxic).toMatch(/^25\(OH\)D 160 ng\/mL .* vitamin D toxicity/);
    const [high] = summaries(facts({ labs: [vitd(120, 3)], vitaminD: [product({ dailyIU: 5000, startAgo: 200 })] }));
    expect(high).toMatch(/High vitamin D level/);
    expect(high).not.toMatch(/toxicity/i);
  });

  test("dose-based row leads with the dose and names the duration", () => {
    expect(summaries(facts({ vitaminD: [product({ dailyIU: 10_000, startAgo: 365 })] }))).toEqual([
      "10,000 IU/day vitamin D3 for 12 mo, no Ca in 90 days — High dose: check calcium",
    ]);
  });

  test("dose unknown is said", () => {
    const [s] = summaries(facts({ labs: [ionCa(1.4, 1)], vitaminD: [product({ doseUnknown: true, startAgo: 100 })] }));
    expect(s).toContain("vitamin D3 (dose unknown)");
  });

  test("stopped vitamin D: the card says so", () => {
    const [s] = summaries(facts({ labs: [ca(11.2, 1)], vitaminD: [product({ dailyIU: 10_000, startAgo: 300, stoppedAgo: 28 })] }));
    expect(s).toMatch(/^Ca 11.2 mg\/dL .* 4 wks after stopping vitamin D3 10,000 IU\/day/);
    // Already stopped: recheck, never "stop vitamin D".
    expect(s).toContain("already stopped: recheck Ca");
    expect(s).not.toMatch(/stop vitamin D/i);
  });

  test("many concurrent products are shortened, never over 139 characters", () => {
    const products = [
      product({ dailyIU: 5000, startAgo: 200 }),
      product({ ingredient: "ergocalciferol", weeklyIU: 50_000, startAgo: 200 }),
      product({ ingredient: "calcifediol", dailyMcg: 30, startAgo: 200 }),
      product({ ingredient: "calcitriol", dailyMcg: 0.5, startAgo: 200 }),
      product({ ingredient: "vitamin-d-unspecified", dailyIU: 2000, startAgo: 200 }),
    ];
    const [s] = summaries(facts({ labs: [ionCa(1.62, 1)], vitaminD: products }));
    expect(s!.length).toBeLessThan(140);
    expect(s).toMatch(/^Ionized Ca 1.62 mmol\/L/);
    expect(s).toContain("stop vitamin D");
  });

  test("two vitamin D3 products in a shortened summary name the ingredient once", () => {
    // A 50,000 IU/wk capsule and an 800 IU/day tablet, both D3: the full text is too long, so names without doses are shown.
    const products = [product({ weeklyIU: 50_000, startAgo: 21 }), product({ dailyIU: 800, startAgo: 200 })];
    const [s] = summaries(facts({ labs: [mg(1.1, 1)], vitaminD: products }));
    expect(s!.length).toBeLessThan(140);
    expect(s).toContain("3 wks after starting vitamin D3 — replace Mg");
  });
});
