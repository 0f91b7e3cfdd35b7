/**
 * LOINC codes grouped by the prefetch query that fetches them (clinical-spec.md §2 table).
 * Kept beside the normalizer's code tables; test/cds/prefetch-queries.test.ts checks that every
 * code the normalizer knows is fetched by exactly one query, so the two cannot drift apart.
 */
export const labQueryGroups = {
  vitaminD: ["62292-8", "68438-1", "1989-3", "14635-7", "49054-0", "35365-6"],
  calcium: ["17861-6", "2000-8", "1994-3", "1995-0", "12180-6", "17864-0", "29265-6", "46099-8", "1751-7", "61151-7", "61152-5"],
  magnesium: ["19123-9", "2601-3"],
  renal: ["2160-0", "98979-8", "62238-1", "33914-3"],
  related: ["2731-8", "2777-1", "2823-3"],
} as const;
