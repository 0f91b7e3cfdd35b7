/**
 * Smoke test of bench/server-ab.ts: HEAD's tree (from git) and the working tree compile, both services start and
 * answer hooks in alternating rounds. No timing is asserted; only that the comparison is well formed.
 */
import { compareServers } from "../../bench/server-ab";

jest.setTimeout(120_000);

it("compares the working tree's service with HEAD's, both under load in alternating rounds", async () => {
  const r = await compareServers({ baseRef: "HEAD", rounds: 2, seconds: 0.3, connections: 2 });
  expect([r.baseRef, r.rounds]).toEqual(["HEAD", 2]);
  for (const x of [r.baseMs, r.workMs, r.ratio, r.pairMedian, r.pairP25, r.pairP75]) expect(x).toBeGreaterThan(0);
  expect(r.pairP25).toBeLessThanOrEqual(r.pairP75);
});
