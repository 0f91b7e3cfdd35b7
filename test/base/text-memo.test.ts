/**
 * The bounded memo used by normalize and render on untrusted strings: it computes a text once, never
 * grows past its bound, keeps no long keys, and hands out values no caller can change.
 */
import { memoizeText } from "../../src/text-memo";

function counted<K extends string | number, T>(fn: (k: K) => T): { fn: (k: K) => T; calls: K[] } {
  const calls: K[] = [];
  return {
    calls,
    fn: (k) => {
      calls.push(k);
      return fn(k);
    },
  };
}

describe("memoizeText", () => {
  it("computes each distinct text once (a product name repeated on every patient is matched once)", () => {
    const f = counted((t: string) => t.toUpperCase());
    const memo = memoizeText(f.fn, { maxEntries: 10, maxKeyLength: 100 });
    expect([memo("ergocalciferol"), memo("ergocalciferol"), memo("calcitriol")]).toEqual([
      "ERGOCALCIFEROL",
      "ERGOCALCIFEROL",
      "CALCITRIOL",
    ]);
    expect(f.calls).toEqual(["ergocalciferol", "calcitriol"]);
  });

  it("caches undefined and other falsy results too", () => {
    const f = counted((t: string) => (t === "x" ? undefined : 0));
    const memo = memoizeText(f.fn, { maxEntries: 10, maxKeyLength: 100 });
    memo("x");
    memo("x");
    memo("y");
    memo("y");
    expect(f.calls).toEqual(["x", "y"]);
  });

  it("keeps no key longer than maxKeyLength (a 40,000-character sig is computed each time, not stored)", () => {
    const f = counted((t: string) => t.length);
    const memo = memoizeText(f.fn, { maxEntries: 10, maxKeyLength: 8 });
    const long = "5".repeat(40_000);
    expect(memo(long)).toBe(40_000);
    expect(memo(long)).toBe(40_000);
    expect(f.calls).toHaveLength(2);
  });

  it("never holds more than maxEntries: a flood of distinct texts empties the table instead of growing it", () => {
    const f = counted((t: string) => t);
    const memo = memoizeText(f.fn, { maxEntries: 3, maxKeyLength: 100 });
    for (const t of ["a", "b", "c", "d"]) memo(t); // "d" arrives with the table full: emptied, then "d" kept
    memo("d");
    memo("a");
    expect(f.calls).toEqual(["a", "b", "c", "d", "a"]);
  });

  it("hands out deep-frozen values, so one caller cannot change what the next one gets", () => {
    const memo = memoizeText((t: string) => ({ parts: t.split(" "), nested: { n: 1 } }), { maxEntries: 10, maxKeyLength: 100 });
    const v = memo("1000 IU daily");
    expect(Object.isFrozen(v)).toBe(true);
    expect(Object.isFrozen(v.parts)).toBe(true);
    expect(Object.isFrozen(v.nested)).toBe(true);
    expect(() => v.parts.push("x")).toThrow(TypeError);
    expect(memo("1000 IU daily").parts).toEqual(["1000", "IU", "daily"]);
  });

  it("tells -0 from 0 for number keys (Intl writes “-0”, a Map key would not)", () => {
    const memo = memoizeText((n: number) => new Intl.NumberFormat("en-US").format(n), { maxEntries: 10, maxKeyLength: 0 });
    expect(memo(0)).toBe("0");
    expect(memo(-0)).toBe("-0");
    expect(memo(0)).toBe("0");
  });
});
