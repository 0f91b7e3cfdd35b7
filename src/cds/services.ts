/**
 * Discovery as data: the three CDS Services this server offers (GET /cds-services).
 * Empty optional fields are omitted (CDS Hooks: no null, "", [] or {}).
 */
import type { HookName } from "./request-schema";
import { prefetchTemplates, type PrefetchTemplates } from "../fhir/queries";

export interface ServiceDefinition {
  id: string;
  hook: HookName;
  title: string;
  description: string;
  prefetch: PrefetchTemplates;
  usageRequirements?: string;
}

const usageRequirements =
  "Needs read access (patient scopes) to Patient, Observation, MedicationStatement, MedicationRequest and Condition " +
  "when the EHR does not prefetch them.";

export const services: readonly ServiceDefinition[] = [
  {
    id: "vitd-patient-view",
    hook: "patient-view",
    title: "Vitamin D repletion cramps and vitamin D toxicity",
    description:
      "On chart open, checks 25(OH)D, calcium and magnesium against the patient's vitamin D regimen: hypomagnesemia or cramps " +
      "while repleting a deficiency, and hypercalcemia or high levels with high-dose vitamin D.",
    prefetch: prefetchTemplates,
    usageRequirements,
  },
  {
    id: "vitd-order-select",
    hook: "order-select",
    title: "Vitamin D order check (selection)",
    description:
      "When a vitamin D order is selected, checks it against the patient's 25(OH)D, calcium, magnesium and current vitamin D " +
      "products: toxicity risk, hypercalcemia to evaluate first, and magnesium to check while repleting.",
    prefetch: prefetchTemplates,
    usageRequirements,
  },
  {
    id: "vitd-order-sign",
    hook: "order-sign",
    title: "Vitamin D order check (signing)",
    description:
      "Before a vitamin D order is signed, checks the dose and the patient's labs; may suggest reducing or removing a " +
      "high-dose draft order, or ordering calcium, magnesium and 25(OH)D.",
    prefetch: prefetchTemplates,
    usageRequirements,
  },
];

export const serviceById: ReadonlyMap<string, ServiceDefinition> = new Map(services.map((s) => [s.id, s]));

export function discoveryDocument(): { services: ServiceDefinition[] } {
  return { services: services.map((s) => ({ ...s })) };
}
