/**
 * Clinical situations for `vitamin-d-toxicity` (docs/clinical-logic.md §2–§3 table, calcium status, edge
 * cases). Expected outcomes come from the documented rules tables; each also states the repletion outcome.
 */
import { runSituation } from "./situation";
import { toxicitySituations } from "./situations-toxicity";

describe("vitamin-d-toxicity clinical situations", () => {
  test.each(toxicitySituations.map((s) => [s.name, s] as const))("%s", (_name, s) => runSituation(s));
});
