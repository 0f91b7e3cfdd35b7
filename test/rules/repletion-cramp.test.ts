/**
 * Clinical situations for `repletion-cramp` (docs/clinical-logic.md §2–§3 table, modifiers, edge cases).
 * Expected outcomes come from the documented rules tables; each situation also states the toxicity outcome.
 */
import { runSituation } from "./situation";
import { repletionSituations } from "./situations-repletion";

describe("repletion-cramp clinical situations", () => {
  test.each(repletionSituations.map((s) => [s.name, s] as const))("%s", (_name, s) => runSituation(s));
});
