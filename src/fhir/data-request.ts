/**
 * What the data-access layer needs to know about a request: where the FHIR server is, whose record, and
 * what the EHR already sent (prefetch, draft orders). Defined here, below the CDS Hooks layer, so `fhir/`
 * never imports `cds/`; the parsed hook request (`src/cds/request-schema.ts`) is one of these.
 */
import type { BundleEnvelope } from "./resource-schemas";

/**
 * One prefetch value as the request schema tagged it: `null` = the EHR ran the query and found nothing;
 * a Bundle whose envelope (entry and link lists) was checked; any other resource (e.g. the Patient, or
 * an OperationOutcome when the EHR's query failed).
 */
export type PrefetchValue =
  null | { kind: "bundle"; bundle: BundleEnvelope } | { kind: "resource"; resource: { resourceType: string; [k: string]: unknown } };

export interface DataRequest {
  /** Without a trailing slash. */
  fhirServer?: string;
  accessToken?: string;
  patientId: string;
  userId: string;
  encounterId?: string;
  /** order-select only. */
  selections?: readonly string[];
  /** Resources of context.draftOrders (order-select / order-sign), each still to be read. */
  draftOrders: readonly unknown[];
  prefetch?: Readonly<Record<string, PrefetchValue>>;
}
