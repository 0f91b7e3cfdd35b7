/** Shared runner for the table-driven clinical situations at the facts level (the HTTP-level ones: test/cds/situations). */
import type { ClinicalConfig } from "../../src/config/clinical-config";
import { defaultClinicalConfig } from "../../src/config/clinical-config";
import type { Facts } from "../../src/fhir/facts";
import { evaluateRules, type Finding, type RuleId } from "../../src/rules";
import { NOW } from "./facts-builder";

/** "indicator:rule-id" (a rule id of the tables: a typo does not compile), or null for "no finding of this pattern". */
export type Expect = `${"info" | "warning" | "critical"}:${RuleId}` | null;

export interface FactsSituation {
  name: string;
  facts: Facts;
  /** Expected repletion-cramp result. */
  cramp: Expect;
  /** Expected vitamin-d-toxicity result. */
  tox: Expect;
  config?: ClinicalConfig;
  /** Extra assertions on the findings. */
  check?: (f: { cramp?: Finding; tox?: Finding }) => void;
}

export function outcome(f: Finding | undefined): Expect {
  return f ? `${f.indicator}:${f.rule}` : null;
}

export function runSituation(s: FactsSituation): void {
  const findings = evaluateRules(s.facts, s.config ?? defaultClinicalConfig, NOW);
  const cramp = findings.find((f) => f.pattern === "repletion-cramp");
  const tox = findings.find((f) => f.pattern === "vitamin-d-toxicity");
  expect(findings.filter((f) => f.pattern === "repletion-cramp").length).toBeLessThanOrEqual(1);
  expect(findings.filter((f) => f.pattern === "vitamin-d-toxicity").length).toBeLessThanOrEqual(1);
  expect({ cramp: outcome(cramp), tox: outcome(tox) }).toEqual({ cramp: s.cramp, tox: s.tox });
  s.check?.({ ...(cramp ? { cramp } : {}), ...(tox ? { tox } : {}) });
}
