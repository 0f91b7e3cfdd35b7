import { ReplayCache } from "../../src/auth/replay-cache";

describe("ReplayCache", () => {
  it("reports an id seen before its expiry, forgets it after", () => {
    const cache = new ReplayCache();
    expect(cache.checkAndRecord("a", 1_000, 0)).toBe(false);
    expect(cache.checkAndRecord("a", 1_000, 999)).toBe(true);
    expect(cache.checkAndRecord("a", 3_000, 1_000)).toBe(false); // expired at 1000 → recorded afresh
    expect(cache.checkAndRecord("a", 3_000, 2_000)).toBe(true);
  });

  it("stays within its bound, evicting the oldest", () => {
    const cache = new ReplayCache(3);
    for (const id of ["a", "b", "c", "d"]) cache.checkAndRecord(id, 10_000, 0);
    expect(cache.size).toBe(3);
    expect(cache.checkAndRecord("d", 10_000, 1)).toBe(true);
    expect(cache.checkAndRecord("a", 10_000, 1)).toBe(false); // evicted
  });

  it("drops expired entries as new ones arrive", () => {
    const cache = new ReplayCache(100);
    cache.checkAndRecord("old", 10, 0);
    cache.checkAndRecord("new", 1_000, 50);
    expect(cache.size).toBe(1);
  });
});
