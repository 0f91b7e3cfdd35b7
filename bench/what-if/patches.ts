/**
 * "What if" patches: proposed fixes outside bench/, applied ONLY to the temporary compiled copy the
 * benchmark children run (bench/lib/compile.ts), never to src/. They let a run quantify a fix
 * before its owner makes it: `npm run bench -- --what-if=sqlite-sync-normal`. A patch that no
 * longer applies (the code changed) fails the run loudly. The report marks what-if runs.
 */
export interface WhatIfPatch {
  id: string;
  /** Compiled file, relative to the build root. */
  file: string;
  find: string | RegExp;
  replace: string;
  description: string;
}

// Empty: the last two patches were made in src/ (or no longer applied) and were removed, as the README says.
export const whatIfPatches: readonly WhatIfPatch[] = [];

export const whatIfIds = [...new Set(whatIfPatches.map((p) => p.id))];
