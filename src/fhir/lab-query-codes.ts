/**
 * LOINC codes grouped by the prefetch query that fetches them, derived from the normalizer's code
 * table (src/fhir/code-sets/labs.json) so the queries and the normalizer cannot drift apart:
 * a site that adds a local code gets it fetched too.
 */
import type { LabKind } from "./facts";
import { defaultCodeSets, type CodeSets } from "./code-sets";

export type LabQueryGroup = "vitaminD" | "calcium" | "magnesium" | "renal" | "related";

const groupOfKind: Record<LabKind, LabQueryGroup> = {
  "vitd-total": "vitaminD",
  "vitd-d3": "vitaminD",
  "vitd-d2-or-unspecified": "vitaminD",
  "vitd-metabolites": "vitaminD",
  "calcium-total": "calcium",
  "calcium-ionized": "calcium",
  "calcium-corrected": "calcium",
  albumin: "calcium",
  magnesium: "magnesium",
  creatinine: "renal",
  egfr: "renal",
  pth: "related",
  phosphate: "related",
  potassium: "related",
};

/** `system|code` tokens per query group, in code-table order. */
export function labQueryTokens(codeSets: CodeSets = defaultCodeSets): Record<LabQueryGroup, string[]> {
  const out: Record<LabQueryGroup, string[]> = { vitaminD: [], calcium: [], magnesium: [], renal: [], related: [] };
  for (const entry of codeSets.labs) out[groupOfKind[entry.kind]].push(`${entry.system}|${entry.code}`);
  return out;
}

export const labQueryGroups: Readonly<Record<LabQueryGroup, string[]>> = labQueryTokens();
