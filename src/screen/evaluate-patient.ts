/**
 * One patient of the export through the engine — the same steps as a patient-view hook call with
 * everything prefetched (src/cds/pipeline.ts, src/fhir/clinical-data.ts): every resource read on its own
 * (an unreadable one is left out and listed, never a failed patient), grouped, then `runEngine` with
 * hook patient-view, the run's `now` and the site's clinical configuration. No draft orders exist here.
 */
import type { ClinicalConfig } from "../config/clinical-config";
import { runEngine } from "../engine";
import { groupResources } from "../fhir/group-resources";
import { ResourceReader } from "../fhir/read-resources";
import type { Card } from "../render";

export interface EvaluationContext {
  config: ClinicalConfig;
  now: Date;
  serviceLabel: string;
  /** Absolute URL of the SMART app's launch page (cards then carry the link, as the service's do). */
  smartLaunchUrl?: string;
}

export interface ScreenedCard {
  /** 2 critical, 1 warning, 0 info (worklist order). */
  rank: number;
  pattern: string;
  indicator: Card["indicator"];
  summary: string;
  /** The card as JSON. */
  json: string;
}

export interface PatientOutcome {
  patient: string;
  /** Resources left out because they could not be read. */
  notUsed: number;
  cards: ScreenedCard[];
}

export const RANK: Record<Card["indicator"], number> = { info: 0, warning: 1, critical: 2 };

export function evaluatePatient(patientId: string, lines: readonly string[], ctx: EvaluationContext): PatientOutcome {
  const reader = new ResourceReader();
  const parsed: unknown[] = [];
  for (const line of lines) {
    try {
      parsed.push(JSON.parse(line));
    } catch {
      parsed.push(null); // reported by the reader as "not a JSON object"
    }
  }
  const resources = reader.readAll(parsed);
  const grouped = groupResources(resources, { patientId, draftOrders: [] });
  const result = runEngine(
    { ...grouped, notUsed: reader.notUsed, truncated: [] },
    {
      config: ctx.config,
      now: ctx.now,
      render: {
        hook: "patient-view",
        patientId,
        serviceLabel: ctx.serviceLabel,
        draftOrders: [],
        ...(ctx.smartLaunchUrl ? { smartLaunchUrl: ctx.smartLaunchUrl } : {}),
      },
    },
  );
  return {
    patient: patientId,
    notUsed: reader.notUsed.length,
    cards: result.cards.map((card) => ({
      rank: RANK[card.indicator],
      pattern: card.source.topic?.code ?? "",
      indicator: card.indicator,
      summary: card.summary,
      json: JSON.stringify(card),
    })),
  };
}
