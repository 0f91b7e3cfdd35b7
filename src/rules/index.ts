/**
 * Clinical rules: pure functions of (facts, config, now) → findings, at most one per pattern.
 * No I/O, no clock. The renderer (src/render) turns findings into CDS Hooks cards.
 */
import type { ClinicalConfig } from "../config/clinical-config";
import type { Facts } from "../fhir/facts";
import { buildContext } from "./context";
import { evaluateRepletionCramp } from "./repletion-cramp";
import type { Finding } from "./types";
import { evaluateVitaminDToxicity } from "./vitamin-d-toxicity";

export type * from "./types";
export { REPLETION_ROWS } from "./repletion-cramp";
export { BOLUS_RULES, TOXICITY_ROWS } from "./vitamin-d-toxicity";

/** One entry per pattern; add a pattern by adding its evaluator here (see README.md). */
const PATTERNS = [evaluateRepletionCramp, evaluateVitaminDToxicity] as const;

export function evaluateRules(facts: Facts, config: ClinicalConfig, now: Date): Finding[] {
  const ctx = buildContext(facts, config, now.getTime());
  const findings: Finding[] = [];
  for (const evaluate of PATTERNS) {
    const finding = evaluate(ctx);
    if (finding) findings.push(finding);
  }
  return findings;
}
