/**
 * End-to-end clinical acceptance: each named situation is sent as a real CDS Hooks request
 * with a full prefetch through the HTTP pipeline; the cards must match what docs/clinical-logic.md §2–§3 says.
 * Situations live in ./situations (see its README); expectations are derived by hand from the documented rules.
 */
import nock from "nock";
import { mergeClinicalConfig } from "../../src/config/clinical-config";
import { REPLETION_ROWS, TOXICITY_ROWS, type RuleId } from "../../src/rules";
import { buildTestApp } from "../helpers/test-app";
import { calciumRangeOffSituations, calciumRangeSituations, childrenSituations } from "./situations/children-and-ca-range";
import { modifierSituations, normalizationSituations } from "./situations/inputs";
import { normalSituations } from "./situations/normal";
import { labRangeOffSituations, labRangeSituations, ppiSituations, renalSituations } from "./situations/renal-ppi-lab-range";
import { repletionOrderSituations, repletionSituations } from "./situations/repletion";
import { checkSituation, type Situation } from "./situations/situation";
import { toxicityLabSituations } from "./situations/toxicity-labs";
import { toxicityOrderSituations } from "./situations/toxicity-orders";

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
});
afterAll(() => nock.enableNetConnect());

const groups: [string, Situation[]][] = [
  ["repletion-cramp (patient-view)", repletionSituations],
  ["repletion-cramp (order-sign / order-select)", repletionOrderSituations],
  ["vitamin-d-toxicity (patient-view)", toxicityLabSituations],
  ["vitamin-d-toxicity (order-sign / order-select)", toxicityOrderSituations],
  ["modifiers: digoxin, CKD, corrected and ionized calcium, units, children", modifierSituations],
  ["normalization: statuses, stale labs, dose forms", normalizationSituations],
  ["normal patients", normalSituations],
  ["renal function: reported or computed eGFR, CKD 4–5, dialysis (§10)", renalSituations],
  ["PPIs: a Mg-loss risk after 12 months (§10)", ppiSituations],
  ["the lab's own reference range (§10)", labRangeSituations],
  ["children: single-dose maxima and toxic intake by age (§12)", childrenSituations],
  ["the lab's own reference range on the high-calcium rows (§12)", calciumRangeSituations],
];

const app = buildTestApp();

describe.each(groups)("%s", (_group, situations) => {
  it.each(situations.map((s) => [s.name, s] as const))("%s", async (_name, s) => {
    await checkSituation(app, s);
  });
});

describe("the lab's reference range switched off (labs.respectLabReferenceRange false)", () => {
  let offApp: ReturnType<typeof buildTestApp>;
  beforeAll(() => {
    offApp = buildTestApp({ clinicalConfig: mergeClinicalConfig({ labs: { respectLabReferenceRange: false } }) });
  });
  it.each([...labRangeOffSituations, ...calciumRangeOffSituations].map((s) => [s.name, s] as const))("%s", async (_name, s) => {
    await checkSituation(offApp, s);
  });
});

describe("the situation table", () => {
  const all = groups.flatMap(([, s]) => s);

  it("has at least 50 situations with unique names", () => {
    expect(all.length).toBeGreaterThanOrEqual(50);
    expect(new Set(all.map((s) => s.name)).size).toBe(all.length);
  });

  it("covers every row of both decision tables (docs/clinical-logic.md §2–§3) with a card it expects", () => {
    const rules = new Set(all.flatMap((s) => s.cards.map((c) => c.rule)));
    const expected: RuleId[] = [...REPLETION_ROWS, ...TOXICITY_ROWS].map((r) => r.id);
    expect(expected.filter((r) => !rules.has(r))).toEqual([]);
    // the two "no card" rows of the repletion table
    expect(all.some((s) => s.covers.startsWith("repletion row 6") && s.cards.length === 0)).toBe(true);
    expect(all.some((s) => s.covers.startsWith("repletion row 8") && s.cards.length === 0)).toBe(true);
  });
});

// nock patches node:http for the whole worker process, beyond this file: undo it for the files that run next.
afterAll(() => nock.restore());
