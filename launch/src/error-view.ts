/** Shows an error in a `role="alert"` panel (announced by screen readers) instead of a blank page. */
import type { ErrorView } from "./describe-error";
import { h } from "./dom";

export function showError(view: ErrorView, root: HTMLElement = document.querySelector("main") ?? document.body): HTMLElement {
  for (const el of Array.from(root.querySelectorAll("[data-hide-on-error]"))) (el as HTMLElement).hidden = true;
  root.querySelector(".error-panel")?.remove();
  const panel = h(
    "div",
    { class: "error-panel", role: "alert" },
    h("h2", {}, view.title),
    h("p", {}, view.message),
    view.detail ? h("details", {}, h("summary", {}, "Technical details"), h("pre", {}, view.detail)) : null,
  );
  root.prepend(panel);
  document.body.dataset.state = "error";
  return panel;
}
