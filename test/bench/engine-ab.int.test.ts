/**
 * Smoke test of bench/engine-ab.ts: both trees (HEAD from git, the working tree) bundle, load side by side and run.
 * No timing is asserted; only that the comparison is well formed.
 */
import { compareEngines } from "../../bench/engine-ab";

jest.setTimeout(120_000);

it("compares the working tree's engine with HEAD's in one process", async () => {
  const r = await compareEngines({ baseRef: "HEAD", rounds: 3, patients: 2 });
  expect([r.baseRef, r.rounds, r.patients]).toEqual(["HEAD", 3, 2]);
  for (const x of [r.baseMicros, r.workMicros, r.ratio, r.ratioP25, r.ratioP75]) expect(x).toBeGreaterThan(0);
  expect(r.ratioP25).toBeLessThanOrEqual(r.ratioP75);
  expect(typeof r.cardsIdentical).toBe("boolean");
});
