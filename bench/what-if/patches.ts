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

export const whatIfPatches: readonly WhatIfPatch[] = [
  {
    id: "sqlite-sync-normal",
    file: "src/feedback/sqlite-store.js",
    find: 'this.db.pragma("synchronous = FULL");',
    replace: 'this.db.pragma("synchronous = NORMAL");',
    description: "SQLite feedback store: synchronous=NORMAL in WAL mode (no fsync per committed transaction; a power loss may lose the last transactions, a process crash loses nothing).",
  },
  {
    id: "hoist-decimal-format",
    file: "src/render/format.js",
    find: /new Intl\.NumberFormat\("en-US", \{ minimumFractionDigits: 1, maximumFractionDigits: 2 \}\)\.format\(value\)/,
    replace: 'decimalFormat.format(value)',
    description: "render/format.ts formatDecimal: one module-level Intl.NumberFormat instead of a new one per call.",
  },
  {
    id: "hoist-decimal-format",
    file: "src/render/format.js",
    find: "const integerFormat = ",
    replace: 'const decimalFormat = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 2 });\nconst integerFormat = ',
    description: "(declaration for the patch above)",
  },
];

export const whatIfIds = [...new Set(whatIfPatches.map((p) => p.id))];
