/** Patient banner and the list of results that could not be used (Facts.ignoredObservations). */
import type { Facts } from "../../src/fhir/facts";
import { h } from "./dom";

export function patientBanner(facts: Facts): HTMLElement {
  const p = facts.patient;
  return h(
    "div",
    { class: "patient-banner", "data-patient-id": p.id },
    h("span", { class: "patient-name" }, p.name ?? "Unnamed patient"),
    p.birthDate ? h("span", {}, `born ${p.birthDate}`) : null,
    h("span", { class: "patient-id" }, `id ${p.id}`),
  );
}

export function ignoredList(facts: Facts): HTMLElement | null {
  if (facts.ignoredObservations.length === 0) return null;
  return h(
    "section",
    { class: "ignored", "aria-labelledby": "ignored-title" },
    h("h2", { id: "ignored-title" }, "Results not used"),
    h(
      "ul",
      {},
      facts.ignoredObservations.map((o) =>
        h("li", {}, `${o.code.display ?? o.code.code}${o.date ? ` (${o.date.slice(0, 10)})` : ""}: ${o.reason}`),
      ),
    ),
  );
}
