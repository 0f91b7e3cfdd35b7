/**
 * The service's cards, as the EHR would show them but with room for the evidence: one
 * `<article data-pattern data-indicator>` per card (most severe first), markdown detail rendered
 * safely, suggestions listed (they are applied in the EHR, not here). `data-pattern="none"` when empty.
 */
import { h } from "./dom";
import { renderMarkdown } from "./markdown-dom";

/** The parts of a CDS Hooks card this view reads. */
export interface CardView {
  uuid?: string;
  summary: string;
  detail?: string;
  indicator: "info" | "warning" | "critical";
  source: { label: string; topic?: { system?: string; code?: string; display?: string } };
  suggestions?: { label: string }[];
}

const SEVERITY = { critical: 0, warning: 1, info: 2 } as const;
const INDICATOR_LABEL = { critical: "Critical", warning: "Warning", info: "Info" } as const;
const PATTERN_NAMES: Record<string, string> = {
  "repletion-cramp": "Vitamin D repletion: magnesium and cramps",
  "vitamin-d-toxicity": "Vitamin D excess and calcium",
};

export function patternOf(card: CardView): string {
  return card.source.topic?.code ?? "unknown";
}

function cardElement(card: CardView, index: number, highlighted: boolean): HTMLElement {
  const pattern = patternOf(card);
  const summaryId = `finding-${index}-summary`;
  return h(
    "article",
    {
      class: `finding indicator-${card.indicator}${highlighted ? " highlighted" : ""}`,
      "data-pattern": pattern,
      "data-indicator": card.indicator,
      "data-uuid": card.uuid,
      "data-highlighted": highlighted ? "true" : undefined,
      "aria-current": highlighted ? "true" : undefined,
      "aria-labelledby": summaryId,
      tabindex: -1,
    },
    h(
      "header",
      { class: "finding-header" },
      h("span", { class: "badge" }, INDICATOR_LABEL[card.indicator]),
      h("span", { class: "pattern-name" }, card.source.topic?.display ?? PATTERN_NAMES[pattern] ?? pattern),
      highlighted ? h("span", { class: "opened-from" }, "Opened from this alert") : null,
    ),
    h("h3", { id: summaryId, class: "summary" }, card.summary),
    card.detail ? h("div", { class: "detail" }, renderMarkdown(card.detail)) : null,
    card.suggestions && card.suggestions.length > 0
      ? h(
          "div",
          { class: "suggestions" },
          h("h4", {}, "Suggested actions (apply them in the EHR)"),
          h(
            "ul",
            {},
            card.suggestions.map((s) => h("li", {}, s.label)),
          ),
        )
      : null,
    h("p", { class: "source" }, `Source: ${card.source.label}`),
  );
}

/** Renders the cards into `container`; returns the highlighted card element, if any. */
export function renderFindings(container: HTMLElement, cards: CardView[], highlight?: string): HTMLElement | undefined {
  container.replaceChildren();
  const sorted = cards.slice().sort((a, b) => SEVERITY[a.indicator] - SEVERITY[b.indicator]);
  let target: HTMLElement | undefined;
  if (highlight !== undefined && !sorted.some((c) => patternOf(c) === highlight)) {
    container.append(
      h(
        "p",
        { class: "highlight-missing", "data-highlight-missing": highlight },
        `The alert that opened this app (${PATTERN_NAMES[highlight] ?? highlight}) no longer applies to the data available now.`,
      ),
    );
  }
  if (sorted.length === 0) {
    container.append(
      h(
        "p",
        { class: "no-findings", "data-pattern": "none" },
        "No vitamin D safety findings for this patient with the data available. The results that were checked are charted below.",
      ),
    );
    return undefined;
  }
  sorted.forEach((card, i) => {
    const isTarget = target === undefined && highlight !== undefined && patternOf(card) === highlight;
    const el = cardElement(card, i, isTarget);
    if (isTarget) target = el;
    container.append(el);
  });
  return target;
}
