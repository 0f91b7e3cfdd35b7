/**
 * The clinical engine as one call: FHIR resources → Facts → Findings → Cards.
 * The CDS Hooks pipeline, the CLI and the SMART app (in the browser) all run exactly this.
 */
import type { ClinicalConfig } from "./config/clinical-config";
import type { Facts } from "./fhir/facts";
import { normalizeFacts, type ClinicalResources } from "./fhir/normalize";
import { evaluateRules, type Finding } from "./rules";
import { renderCards, type Card, type RenderContext } from "./render";

export interface EngineResult {
  facts: Facts;
  findings: Finding[];
  cards: Card[];
}

export function runEngine(
  resources: ClinicalResources,
  options: { config: ClinicalConfig; now: Date; render: RenderContext },
): EngineResult {
  const facts = normalizeFacts(resources);
  const findings = evaluateRules(facts, options.config, options.now);
  const cards = renderCards(findings, options.render);
  return { facts, findings, cards };
}
