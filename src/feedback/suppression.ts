/**
 * Alert-fatigue control as two pipeline stages (see README.md "Suppression"):
 * a card the clinician overrode — or whose suggestion they accepted — for a patient is not shown again
 * for `suppressDays`, unless its indicator is higher than when they acted or its evidence changed.
 * "Same evidence" = same fingerprint: a hash of the finding's evidence rows (lab ids, dates, reported
 * values) and vitamin D products (ids, status, doses) — not of derived, day-dependent text.
 * Every card shown is recorded (uuid → patient, pattern, indicator, fingerprint) before the response,
 * so feedback naming its uuid can be tied back. If the store fails, cards are shown (fail open: a
 * duplicate alert is safer than a hidden one) and the error is logged.
 */
import { createHash } from "node:crypto";
import type { Logger } from "pino";
import type { CardStages } from "../cds/pipeline";
import type { HookRequest } from "../cds/request-schema";
import type { Tenant } from "../cds/tenant";
import type { Finding } from "../rules";
import type { FeedbackStore, Indicator, IssuedCard, Suppression } from "./store";

/** The card fields this filter reads (structural, so it does not depend on the renderer's full type). */
export interface CardLike {
  uuid?: string;
  indicator: string;
  source: { topic?: { code: string } };
}

const RANK: Record<Indicator, number> = { info: 1, warning: 2, critical: 3 };

function isIndicator(x: string): x is Indicator {
  return Object.hasOwn(RANK, x);
}

/** Hash of what the finding is based on: evidence rows and products, without day-dependent derived values. */
export function evidenceFingerprint(finding: Pick<Finding, "pattern" | "patientId" | "evidence" | "regimen">): string {
  const labs = finding.evidence.map((e) => [e.role, e.id, e.date, e.original.value, e.original.unit].join("|")).sort();
  const products = finding.regimen.products
    .map((p) => [p.id, p.source, p.status, p.doseText, p.dailyIU, p.dailyMcg, p.bolusIU ?? ""].join("|"))
    .sort();
  const canonical = JSON.stringify({ pattern: finding.pattern, patient: finding.patientId, labs, products });
  return createHash("sha256").update(canonical).digest("hex").slice(0, 32);
}

/** The suppression that hides this card, if any: same pattern and evidence, indicator not higher. */
export function findSuppression(card: Pick<IssuedCard, "pattern" | "fingerprint" | "indicator">, suppressions: readonly Suppression[]) {
  return suppressions.find(
    (s) => s.pattern === card.pattern && s.fingerprint === card.fingerprint && RANK[card.indicator] <= (RANK[s.indicator] ?? 0),
  );
}

/** Both stages of one call fingerprint the same findings: hashed once per finding. */
const fingerprints = new WeakMap<Finding, string>();
function fingerprintOf(finding: Finding): string {
  let fp = fingerprints.get(finding);
  if (fp === undefined) fingerprints.set(finding, (fp = evidenceFingerprint(finding)));
  return fp;
}

export function toIssuedCard(
  card: CardLike,
  req: Pick<HookRequest, "hook" | "patientId">,
  findings: readonly Finding[],
  now: Date,
  tenant: Tenant,
): IssuedCard | undefined {
  const pattern = card.source.topic?.code;
  if (!card.uuid || !pattern || !isIndicator(card.indicator)) return undefined;
  const finding = findings.find((f) => f.pattern === pattern);
  return {
    uuid: card.uuid,
    tenant,
    hook: req.hook,
    patientId: req.patientId,
    pattern,
    indicator: card.indicator,
    // Without a finding, the renderer's uuid (stable per patient + pattern + evidence) stands in.
    fingerprint: finding ? fingerprintOf(finding) : `uuid:${card.uuid}`,
    issuedAt: now,
  };
}

export interface SuppressionOptions {
  store: FeedbackStore;
  suppressDays: number;
  clock: () => Date;
  logger: Logger;
}

/** The two feedback stages of the pipeline: hide suppressed cards, then record the cards shown. */
export function createSuppression(options: SuppressionOptions): Required<Pick<CardStages, "hideSuppressed" | "recordIssued">> {
  const { store, logger } = options;
  return {
    async hideSuppressed(cards, { req, result, tenant }) {
      if (cards.length === 0 || options.suppressDays <= 0) return cards;
      const now = options.clock();
      const issued = cards.map((c) => toIssuedCard(c, req, result.findings, now, tenant));
      if (!issued.some(Boolean)) return cards;
      try {
        const since = new Date(now.getTime() - options.suppressDays * 86_400_000);
        const suppressions = await store.suppressionsFor(tenant, req.patientId, since);
        return cards.filter((_, i) => {
          const card = issued[i];
          return !(card && findSuppression(card, suppressions));
        });
      } catch (e) {
        logger.error({ err: e, hookInstance: req.hookInstance }, "suppression lookup failed; showing all cards");
        return cards;
      }
    },

    async recordIssued(shown, { req, result, tenant }) {
      if (shown.length === 0) return;
      const now = options.clock();
      const issued = shown.map((c) => toIssuedCard(c, req, result.findings, now, tenant)).filter((c): c is IssuedCard => c !== undefined);
      try {
        await store.recordIssuedCards(issued);
      } catch (e) {
        logger.error({ err: e, hookInstance: req.hookInstance }, "could not record issued cards; feedback on them will not suppress");
      }
    },
  };
}
