/**
 * Reads the patient's data through fhirclient with the service's own query list
 * (src/fhir/queries.ts: same codes, counts and look-back), following every `next` page,
 * then resolves referenced Medications and sorts everything with the service's groupResources.
 * Every resource is read with the service's reader (src/fhir/read-resources.ts), exactly as the
 * service reads its fallback fetch: an unreadable one is left out and listed in the findings'
 * "Missing or not used", never a failed page.
 */
import type { FhirResource } from "fhir/r4";
import type Client from "fhirclient/lib/Client";
import { fallbackQueryUrl, prefetchQueries } from "../../src/fhir/queries";
import { groupResources, unresolvedMedicationRefs } from "../../src/fhir/group-resources";
import type { ClinicalResources } from "../../src/fhir/normalize";
import { ResourceReader } from "../../src/fhir/read-resources";

/** Search results arrive flattened (pageLimit 0, flat); a read is one resource. */
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? (value as unknown[]) : value === undefined ? [] : [value]);

export async function readClinicalResources(client: Client, patientId: string, now: Date): Promise<ClinicalResources> {
  const reader = new ResourceReader();
  const pages = await Promise.all(
    prefetchQueries.map(async (query) => {
      const url = fallbackQueryUrl(query, { patientId, userId: "" }, now);
      const isSearch = query.template.includes("?");
      return asList(isSearch ? await client.request(url, { pageLimit: 0, flat: true }) : await client.request(url));
    }),
  );
  const resources: FhirResource[] = [];
  for (const page of pages) for (const r of reader.readAll(page)) resources.push(r);
  // A Medication that cannot be read only loses its name/strength; the statement still counts.
  const refs = unresolvedMedicationRefs(resources);
  const medications = await Promise.all(refs.map((ref) => client.request(ref).catch(() => undefined)));
  for (const m of medications) for (const r of reader.readAll(asList(m))) resources.push(r);
  return { ...groupResources(resources, { patientId, draftOrders: [] }), notUsed: reader.notUsed };
}
