import { logLogSlope, median, percentile, round } from "../../bench/lib/stats";

describe("bench statistics", () => {
  it("takes nearest-rank percentiles of unsorted values", () => {
    const oneToHundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(oneToHundred, 50)).toBe(50);
    expect(percentile(oneToHundred, 99)).toBe(99);
    expect(percentile(oneToHundred, 100)).toBe(100);
    expect(median([5, 1, 3])).toBe(3);
    expect(percentile([], 50)).toBeNaN();
  });

  it("fits the exponent of a power law on log-log axes", () => {
    // y = 3·x² → slope 2; y = 5·x → slope 1; constant → 0
    expect(logLogSlope([10, 100, 1000].map((x) => ({ x, y: 3 * x * x })))).toBeCloseTo(2, 10);
    expect(logLogSlope([10, 100, 1000, 10000].map((x) => ({ x, y: 5 * x })))).toBeCloseTo(1, 10);
    expect(logLogSlope([1, 2, 4].map((x) => ({ x, y: 7 })))).toBeCloseTo(0, 10);
    expect(logLogSlope([{ x: 1, y: 1 }])).toBeNaN();
  });

  it("rounds to three significant digits, whole numbers from 100 up", () => {
    expect(round(0.012345)).toBe(0.0123);
    expect(round(12.345)).toBe(12.3);
    expect(round(1234.5)).toBe(1235);
  });
});
