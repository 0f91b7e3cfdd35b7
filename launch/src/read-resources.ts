/**
 * Reads the patient's data through fhirclient with the service's own query list
 * (src/cds/prefetch-queries.ts: same codes, counts and look-back), following every `next` page,
 * then resolves referenced Medications and sorts everything with the service's groupResources.
 */
import type { FhirResource } from "fhir/r4";
import type Client from "fhirclient/lib/Client";
import { fallbackQueryUrl, prefetchQueries } from "../../src/cds/prefetch-queries";
import { groupResources, unresolvedMedicationRefs } from "../../src/fhir/group-resources";
import type { ClinicalResources } from "../../src/fhir/normalize";

function asResources(value: unknown): FhirResource[] {
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  return list.filter((r): r is FhirResource => typeof r === "object" && r !== null && "resourceType" in r && r.resourceType !== "OperationOutcome");
}

export async function readClinicalResources(client: Client, patientId: string, now: Date): Promise<ClinicalResources> {
  const pages = await Promise.all(
    prefetchQueries.map(async (query) => {
      const url = fallbackQueryUrl(query, { patientId, userId: "" }, now);
      const isSearch = query.template.includes("?");
      return asResources(isSearch ? await client.request(url, { pageLimit: 0, flat: true }) : await client.request(url));
    }),
  );
  const resources = pages.flat();
  // A Medication that cannot be read only loses its name/strength; the statement still counts.
  const medications = await Promise.all(unresolvedMedicationRefs(resources).map((ref) => client.request(ref).catch(() => undefined)));
  resources.push(...asResources(medications.filter((m) => m !== undefined)));
  return groupResources(resources, { patientId, draftOrders: [] });
}
