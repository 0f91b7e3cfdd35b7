/** A pipeline observer counting the cards shown (and those suppression hid) by hook, pattern and indicator. */
import type { CardStages } from "../cds/pipeline";
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

type Observer = NonNullable<CardStages["observers"]>[number];

export function cardMetricsObserver(metrics: Metrics): Observer {
  return ({ shown, hidden }, { req }) => {
    for (const card of hidden) metrics.cardsSuppressed.inc(labels(req.hook, card));
    for (const card of shown) metrics.cards.inc(labels(req.hook, card));
  };
}
