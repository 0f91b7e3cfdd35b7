/**
 * Three projects, so the suite can run in parts (`npm run test:unit` in ≈ 20 s on 2 cores while editing):
 * - unit: in-process tests of the service (HTTP through supertest, SQLite in memory, nock);
 * - int:  real processes, real sockets, PostgreSQL, the CLI, fuzzing and the benchmark smoke (`*.int.test.ts`,
 *         `*.fuzz.test.ts`), plus the slower checks of the tooling around the service: the sandbox (`test/sandbox/`),
 *         deployment files (`test/deploy/`) and benchmarks (`test/bench/`);
 * - e2e:  real Chromium (`*.e2e.test.ts`).
 * `npm test` runs all three (CI). TypeScript is compiled by SWC (no type-check per file: `npm test` type-checks once first).
 * @type {import('jest').Config}
 */
const transform = {
  "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } }],
};
const shared = { testEnvironment: "node", roots: ["<rootDir>/test"], transform, testTimeout: 30000 };
const E2E = "\\.e2e\\.test\\.ts$";
/** What `int` runs, as regexes on the path (unit runs everything else but e2e). */
const INT = ["\\.int\\.test\\.ts$", "\\.fuzz\\.test\\.ts$", "/test/(sandbox|deploy|bench)/.*\\.test\\.ts$"];

module.exports = {
  testTimeout: 30000,
  projects: [
    { ...shared, displayName: "unit", testMatch: ["**/*.test.ts"], testPathIgnorePatterns: [...INT, E2E] },
    { ...shared, displayName: "int", testRegex: INT, testPathIgnorePatterns: [E2E] },
    { ...shared, displayName: "e2e", testMatch: ["**/*.e2e.test.ts"] },
  ],
};
