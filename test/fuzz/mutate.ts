/**
 * fast-check arbitraries that damage a valid JSON request: drop, replace or retype a value anywhere,
 * add junk or prototype-pollution keys (`__proto__`, `constructor`, `prototype`) as OWN properties,
 * huge strings, deep nesting. Bodies are returned as JSON text, exactly what would go on the wire.
 */
import fc from "fast-check";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

const HUGE = "𝔁".repeat(60_000) + "x".repeat(100_000); // ~340 kB, astral + ASCII

const pollution: Json[] = [
  JSON.parse('{"__proto__": {"polluted": "yes", "isAdmin": true}}') as Json,
  JSON.parse('{"constructor": {"prototype": {"polluted": "yes"}}}') as Json,
  JSON.parse('{"prototype": {"polluted": "yes"}}') as Json,
];

function deep(depth: number): Json {
  let v: Json = "bottom";
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

export const junkValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 6, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
  {
    weight: 3,
    arbitrary: fc.constantFrom<Json>(
      null,
      true,
      false,
      0,
      -1,
      1e308,
      -0,
      1.5,
      "",
      " ",
      "\u0000",
      "NaN",
      [],
      {},
      "2020-02-30T00:00:00Z",
      "Patient/../../etc",
      "https://evil.example/fhir",
    ),
  },
  { weight: 2, arbitrary: fc.constantFrom(...pollution) },
  { weight: 1, arbitrary: fc.constantFrom<Json>(HUGE, deep(200), deep(2000)) },
  { weight: 2, arbitrary: fc.string({ maxLength: 300, unit: "binary" }) },
);

export const junkKey = fc.oneof(
  fc.constantFrom(
    "__proto__",
    "constructor",
    "prototype",
    "toString",
    "hasOwnProperty",
    "valueOf",
    "extension",
    "",
    "$where",
    "resourceType",
  ),
  fc.string({ maxLength: 20 }),
);

export type Mutation =
  | { kind: "delete"; at: number }
  | { kind: "replace"; at: number; value: Json }
  | { kind: "add"; at: number; key: string; value: Json }
  | { kind: "wrap"; at: number }
  | { kind: "stringify"; at: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("replace" as const), at: fc.nat(), value: junkValue }),
  fc.record({ kind: fc.constant("add" as const), at: fc.nat(), key: junkKey, value: junkValue }),
  fc.record({ kind: fc.constant("wrap" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("stringify" as const), at: fc.nat() }),
);

function paths(value: Json, prefix: Path = [], out: Path[] = []): Path[] {
  if (out.length > 400) return out;
  if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const p = [...prefix, Array.isArray(value) ? Number(k) : k];
      out.push(p);
      paths(v, p, out);
    }
  }
  return out;
}

/** Sets an OWN property (even `__proto__`) to a fresh copy of `value` (shared constants would create cycles). */
function setOwn(target: Json[] | { [k: string]: Json }, key: string | number, value: Json): void {
  const copy = JSON.parse(JSON.stringify(value) ?? "null") as Json;
  Object.defineProperty(target, key, { value: copy, enumerable: true, writable: true, configurable: true });
}

function apply(root: Json, m: Mutation): Json {
  const all = paths(root);
  if (m.kind === "add") {
    const containers: Path[] = [
      [],
      ...all.filter((p) => {
        const v = get(root, p);
        return v !== null && typeof v === "object" && !Array.isArray(v);
      }),
    ];
    const where = containers[m.at % containers.length] ?? [];
    const target = get(root, where);
    if (target !== null && typeof target === "object" && !Array.isArray(target)) setOwn(target, m.key, m.value);
    return root;
  }
  if (all.length === 0) return m.kind === "replace" ? m.value : root;
  const path = all[m.at % all.length]!;
  const parent = get(root, path.slice(0, -1)) as Json[] | { [k: string]: Json };
  const key = path[path.length - 1]!;
  const current = (parent as Record<string | number, Json>)[key] ?? null;
  if (m.kind === "delete") {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete (parent as Record<string, Json>)[key];
  } else if (m.kind === "replace") setOwn(parent, key, m.value);
  else if (m.kind === "wrap") setOwn(parent, key, [current]);
  else setOwn(parent, key, JSON.stringify(current));
  return root;
}

function get(root: Json, path: Path): Json {
  let v: Json = root;
  for (const k of path) v = (v as Record<string | number, Json>)[k] ?? null;
  return v;
}

/** A valid body with 1–4 mutations applied, as JSON text. */
export function mutatedBody(bases: readonly unknown[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.nat({ max: bases.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }))
    .map(([i, ms]) => JSON.stringify(ms.reduce<Json>((acc, m) => apply(acc, m), structuredClone(bases[i]) as Json)));
}

/** Arbitrary JSON documents and non-JSON text. */
export const randomBody: fc.Arbitrary<string> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? "null"),
  fc.string({ maxLength: 200 }),
  fc.constantFrom("", "{", "[]", "null", '{"feedback":', "\u0000\u0001", '{"a":1}{"b":2}', '{"hook":"patient-view","hook":1}'),
);
