/**
 * A bounded memo for pure functions of one string (or number). Real records repeat their strings across patients
 * and calls — a formulary's product names, a lab's unit spellings, an EHR's sig templates — so the
 * regex work on them is done once per distinct string. Bounded both ways, because the strings are
 * untrusted: keys longer than `maxKeyLength` are computed and not kept, and the table is emptied
 * when it reaches `maxEntries` (O(1), no eviction bookkeeping; a flood of distinct strings costs what
 * no memo would). Values are shared between callers: they must be treated as read-only (frozen here).
 */
export interface TextMemoOptions {
  maxEntries: number;
  /** Strings longer than this are computed and not kept (number keys have no length). */
  maxKeyLength: number;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export function memoizeText<T, K extends string | number = string>(fn: (key: K) => T, options: TextMemoOptions): (key: K) => T {
  const table = new Map<K, T>();
  return (text) => {
    // -0 and 0 are one Map key but not one value (Intl writes "-0").
    if (typeof text === "string" ? text.length > options.maxKeyLength : Object.is(text, -0)) return fn(text);
    const hit = table.get(text);
    if (hit !== undefined || table.has(text)) return hit as T;
    const value = deepFreeze(fn(text));
    if (table.size >= options.maxEntries) table.clear();
    table.set(text, value);
    return value;
  };
}
