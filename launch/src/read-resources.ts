/**
 * Reads the patient's data through fhirclient with the service's own query list
 * (src/cds/prefetch-queries.ts: same codes, counts and look-back), following every `next` page,
 * then resolves referenced Medications and sorts everything with the service's groupResources.
 * Every resource is checked with the service's schemas (src/fhir/resource-schemas.ts), exactly as
 * the service checks its fallback fetch: a malformed one throws a `fhir_server_error` naming the
 * resource and field, which app-main shows in its error view.
 */
import type { FhirResource } from "fhir/r4";
import type Client from "fhirclient/lib/Client";
import { fallbackQueryUrl, prefetchQueries } from "../../src/cds/prefetch-queries";
import { groupResources, unresolvedMedicationRefs } from "../../src/fhir/group-resources";
import type { ClinicalResources } from "../../src/fhir/normalize";
import { checkServerResource } from "../../src/fhir/resource-check";
import { entryResourceSchema } from "../../src/fhir/resource-schemas";

/** Search results arrive flattened (pageLimit 0, flat); a read is one resource. OperationOutcomes are left out. */
function asResources(value: unknown, where: string): FhirResource[] {
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  const out: FhirResource[] = [];
  for (const r of list) {
    if (typeof r !== "object" || r === null || !("resourceType" in r) || r.resourceType === "OperationOutcome") continue;
    out.push(checkServerResource<FhirResource>(r, entryResourceSchema, where));
  }
  return out;
}

export async function readClinicalResources(client: Client, patientId: string, now: Date): Promise<ClinicalResources> {
  const pages = await Promise.all(
    prefetchQueries.map(async (query) => {
      const url = fallbackQueryUrl(query, { patientId, userId: "" }, now);
      const isSearch = query.template.includes("?");
      return asResources(isSearch ? await client.request(url, { pageLimit: 0, flat: true }) : await client.request(url), url.split("?")[0]!);
    }),
  );
  const resources: FhirResource[] = [];
  for (const page of pages) for (const r of page) resources.push(r);
  // A Medication that cannot be read only loses its name/strength; the statement still counts.
  const refs = unresolvedMedicationRefs(resources);
  const medications = await Promise.all(refs.map((ref) => client.request(ref).catch(() => undefined)));
  medications.forEach((m, i) => resources.push(...asResources(m, refs[i]!)));
  return groupResources(resources, { patientId, draftOrders: [] });
}
