/** Wraps a CardFilter to count the cards returned (and those the filter hid) by hook, pattern and indicator. */
import type { CardFilter } from "../cds/pipeline";
import type { CardLike } from "../feedback/suppression";
import type { Metrics } from "./metrics";

const INDICATORS = new Set(["info", "warning", "critical"]);

function labels(hook: string, card: CardLike) {
  return {
    hook,
    pattern: card.source.topic?.code ?? "none",
    indicator: INDICATORS.has(card.indicator) ? card.indicator : "other",
  };
}

export function withCardMetrics(filter: CardFilter | undefined, metrics: Metrics): CardFilter {
  return async (cards, req, result, tenant) => {
    const shown = filter ? await filter(cards, req, result, tenant) : cards;
    const kept = new Set(shown);
    for (const card of cards) if (!kept.has(card)) metrics.cardsSuppressed.inc(labels(req.hook, card));
    for (const card of shown) metrics.cards.inc(labels(req.hook, card));
    return shown;
  };
}
