/**
 * Renders CDS cards the way an EHR's decision-support panel does: indicator colour and badge,
 * summary, source, markdown detail, suggestion buttons, SMART links and an override form.
 * DOM hooks for tests: `article.card[data-pattern][data-indicator]`, `[data-pattern="none"]`,
 * `button.suggestion`, `button.override`, `select.override-reason`, `a.link[data-link-type]`.
 * Card text is set as text; `detail` goes through the app's markdown renderer (text nodes only).
 */
import { h } from "../../../launch/src/dom";
import { renderMarkdown } from "../../../launch/src/markdown-dom";
import type { Card, Coding, Link, Suggestion } from "../../../src/render/card-schema";

export interface CardHandlers {
  accept(card: Card, suggestion: Suggestion): Promise<void>;
  override(card: Card, reason: Coding | undefined, comment: string): Promise<void>;
  /** Where a SMART link opens: a launch of the app (EHR launch with the link's appContext). */
  smartLaunchUrl(link: Link): string;
}

/** Only http(s) URLs become links (never javascript: or data:). */
function httpUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    return ["http:", "https:"].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

function overrideForm(card: Card, handlers: CardHandlers, article: HTMLElement): HTMLElement {
  const reasons = card.overrideReasons ?? [];
  const select = h(
    "select",
    { class: "override-reason", "aria-label": "Override reason" },
    h("option", { value: "" }, "(no reason)"),
    reasons.map((r, i) => h("option", { value: String(i) }, r.display ?? r.code)),
  );
  const comment = h("textarea", { rows: 2, "aria-label": "Comment", placeholder: "Comment (optional)" });
  const send = h("button", { type: "button", class: "send-override" }, "Send override");
  const form = h("div", { class: "override-form", hidden: true }, select, comment, send);
  send.addEventListener("click", () => {
    send.disabled = true;
    const reason = select.value === "" ? undefined : reasons[Number(select.value)];
    void handlers.override(card, reason, comment.value.trim()).then(() => {
      article.classList.add("handled");
      form.hidden = true;
    });
  });
  return form;
}

function cardElement(card: Card, handlers: CardHandlers): HTMLElement {
  const pattern = card.source.topic?.code ?? "unknown";
  const article = h("article", { class: "card", "data-pattern": pattern, "data-indicator": card.indicator, "data-uuid": card.uuid });
  const buttons = h("div", { class: "buttons" });
  for (const suggestion of card.suggestions ?? []) {
    const button = h(
      "button",
      { type: "button", class: "suggestion", "data-uuid": suggestion.uuid },
      suggestion.isRecommended ? `★ ${suggestion.label}` : suggestion.label,
    );
    button.addEventListener("click", () => {
      button.disabled = true;
      void handlers.accept(card, suggestion).then(() => article.classList.add("handled"));
    });
    buttons.append(button);
  }
  for (const link of card.links ?? []) {
    const url = link.type === "smart" ? handlers.smartLaunchUrl(link) : link.url;
    buttons.append(h("a", { class: "link", "data-link-type": link.type, href: url, target: "_blank", rel: "noopener" }, link.label));
  }
  const form = overrideForm(card, handlers, article);
  const dismiss = h("button", { type: "button", class: "override" }, "Dismiss / override…");
  dismiss.addEventListener("click", () => (form.hidden = !form.hidden));
  buttons.append(dismiss);
  article.append(
    h("span", { class: "badge" }, card.indicator),
    h("h3", {}, card.summary),
    h(
      "div",
      { class: "source" },
      "Source: ",
      httpUrl(card.source.url)
        ? h("a", { href: card.source.url, target: "_blank", rel: "noopener noreferrer" }, card.source.label)
        : card.source.label,
      card.source.topic ? ` · ${card.source.topic.display ?? card.source.topic.code}` : "",
    ),
    card.detail ? h("details", { open: true }, h("summary", {}, "Evidence and reasoning"), renderMarkdown(card.detail)) : "",
    buttons,
    form,
  );
  return article;
}

export function renderCards(container: HTMLElement, cards: Card[], handlers: CardHandlers): void {
  container.replaceChildren(
    ...(cards.length === 0
      ? [h("p", { "data-pattern": "none", class: "muted" }, "No cards: nothing to flag for this patient.")]
      : cards.map((c) => cardElement(c, handlers))),
  );
}
