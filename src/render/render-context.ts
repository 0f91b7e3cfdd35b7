import type { MedicationRequest } from "fhir/r4";

/** What the renderer needs to know about the hook call (no clock: day counts come with the findings). */
export interface RenderContext {
  hook: "patient-view" | "order-select" | "order-sign";
  patientId: string;
  /** Who the card is for (tenant key: CDS client + FHIR server); part of the card uuid, so cards differ across tenants. */
  tenant?: string;
  /** source.label of every card (the service name). */
  serviceLabel: string;
  /** MedicationRequest drafts of order-select/order-sign (delete/update suggestions target these). */
  draftOrders: MedicationRequest[];
  /** Absolute URL of /smart/launch.html; when absent (or not absolute) cards carry no link. */
  smartLaunchUrl?: string;
  /**
   * Absolute base URL of the pattern pages (the service serves them at /smart/patterns/<pattern>.html):
   * each card's `source.url` is `${patternDocsUrl}/<pattern>.html`; absent (or not absolute) = no `source.url`.
   */
  patternDocsUrl?: string;
}
