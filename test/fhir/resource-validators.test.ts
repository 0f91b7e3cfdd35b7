/**
 * The generated check-only validators (src/fhir/generated/, from the zod schemas) must give zod's answer for
 * every resource: the fast path may never let through what zod would leave out, nor leave out what zod reads.
 * Corpus: every resource in the FHIR fixtures and demo patients, each also mutated at every field (a wrong JSON
 * type in place of each value), plus hostile shapes. And the generated file must be what the generator writes.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { generateValidatorsSource, VALIDATORS_PATH } from "../../scripts/generate-validators";
import { bundleEnvelopeSchema, entryResourceSchema } from "../../src/fhir/resource-schemas";
import { passesBundleEnvelope, passesResourceSchema } from "../../src/fhir/resource-validators";

const ROOT = join(__dirname, "..", "..");

function jsonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? jsonFiles(path) : name.endsWith(".json") ? [path] : [];
  });
}

/** Every object with a string resourceType, at any depth (Bundles, entries, contained, prefetch). */
function resourcesIn(value: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(value)) for (const v of value) resourcesIn(v, out);
  else if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (typeof record["resourceType"] === "string" && record["resourceType"] !== "Bundle") out.push(record);
    for (const v of Object.values(record)) resourcesIn(v, out);
  }
  return out;
}

const corpus = [...jsonFiles(join(ROOT, "test", "fixtures")), ...jsonFiles(join(ROOT, "sandbox", "patients"))].flatMap((f) =>
  resourcesIn(JSON.parse(readFileSync(f, "utf8"))),
);

/** Wrong-typed stand-ins for a value of each JSON type. */
function wrongFor(value: unknown): unknown[] {
  if (typeof value === "string") return [5, null, ["x"]];
  if (typeof value === "number") return ["5", true];
  if (typeof value === "boolean") return ["true", 1];
  if (Array.isArray(value)) return [{}, "x", [7]];
  if (value && typeof value === "object") return [[], "x", 3];
  return ["x"];
}

/** The resource with the value at each path replaced by each wrong-typed stand-in, one change at a time. */
function* mutations(resource: unknown): Generator<unknown> {
  const clone = () => structuredClone(resource) as Record<string, unknown>;
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    if (path.length > 0) paths.push(path);
    if (Array.isArray(v)) v.forEach((item, i) => walk(item, [...path, i]));
    else if (v && typeof v === "object") for (const [k, item] of Object.entries(v)) walk(item, [...path, k]);
  };
  walk(resource, []);
  for (const path of paths) {
    let original: unknown = resource;
    for (const key of path) original = (original as Record<string | number, unknown>)[key];
    for (const wrong of wrongFor(original)) {
      const copy = clone();
      let parent: Record<string | number, unknown> = copy;
      for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
      parent[path[path.length - 1]!] = wrong;
      yield copy;
    }
  }
}

const zodAccepts = (value: unknown) => entryResourceSchema.safeParse(value).success;

it("the generated file is what the generator writes from today's schemas (run `npm run generate`)", () => {
  expect(readFileSync(VALIDATORS_PATH, "utf8")).toBe(generateValidatorsSource());
});

it("finds a corpus of every resource type the service reads", () => {
  const types = new Set(corpus.map((r) => r["resourceType"]));
  for (const t of ["Patient", "Observation", "Condition", "Medication", "MedicationStatement", "MedicationRequest"])
    expect(types).toContain(t);
  expect(corpus.length).toBeGreaterThan(300);
});

it("agrees with zod on every resource of the corpus and on every one-field mutation of it", () => {
  let compared = 0;
  let rejected = 0;
  const disagreements: string[] = [];
  for (const resource of corpus) {
    for (const candidate of [resource, ...mutations(resource)]) {
      const expected = zodAccepts(candidate);
      if (passesResourceSchema(candidate) !== expected) disagreements.push(JSON.stringify(candidate).slice(0, 300));
      compared++;
      if (!expected) rejected++;
    }
  }
  expect(disagreements.slice(0, 5)).toEqual([]);
  expect(compared).toBeGreaterThan(10_000);
  expect(rejected).toBeGreaterThan(1_000); // the mutations really produce resources zod leaves out
});

it.each([
  ["a resourceType that names Object's prototype", { resourceType: "constructor", id: "x" }],
  ["__proto__ as resourceType", JSON.parse('{"resourceType":"__proto__"}')],
  ["an empty resourceType", { resourceType: "" }],
  ["a numeric id", { resourceType: "Observation", id: 5 }],
  ["an unlisted type with odd fields", { resourceType: "Encounter", status: 5, period: [] }],
  [
    "a contained Medication with a numeric code text",
    { resourceType: "MedicationRequest", contained: [{ resourceType: "Medication", code: { text: 5 } }] },
  ],
  ["a contained item without resourceType", { resourceType: "MedicationStatement", contained: [{ id: "m" }] }],
  [
    "a contained non-Medication with odd fields",
    { resourceType: "MedicationStatement", contained: [{ resourceType: "Substance", code: 5 }] },
  ],
  ["contained junk on a type that does not read contained", { resourceType: "Observation", contained: [5] }],
  ["a lower-case comparator spelling zod does not know", { resourceType: "Observation", valueQuantity: { value: 1, comparator: "lt" } }],
  ["the ≤ spelling zod accepts", { resourceType: "Observation", valueQuantity: { value: 1, comparator: "≤" } }],
  ["an array as the resource", [{ resourceType: "Observation" }]],
  ["null", null],
])("agrees with zod on %s", (_label, value) => {
  expect(passesResourceSchema(value)).toBe(zodAccepts(value));
});

/** Every Bundle in the fixtures, with its entries' resources left as they are (only the envelope is checked). */
const bundles = [...jsonFiles(join(ROOT, "test", "fixtures")), ...jsonFiles(join(ROOT, "sandbox", "patients"))].flatMap((f) => {
  const found: unknown[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      if ((v as Record<string, unknown>)["resourceType"] === "Bundle") found.push(v);
      Object.values(v).forEach(walk);
    }
  };
  walk(JSON.parse(readFileSync(f, "utf8")));
  return found;
});

it("agrees with zod on every Bundle envelope of the corpus and its one-field mutations (entry and link only)", () => {
  const disagreements: string[] = [];
  let compared = 0;
  for (const bundle of bundles) {
    const { entry, link, ...rest } = bundle as Record<string, unknown>;
    // Mutate the envelope's own fields and the first entry / link, not every resource inside.
    const small = {
      ...rest,
      ...(Array.isArray(entry) ? { entry: entry.slice(0, 1) } : entry !== undefined ? { entry } : {}),
      ...(link !== undefined ? { link } : {}),
    };
    for (const candidate of [bundle, ...mutations(small)]) {
      if (passesBundleEnvelope(candidate) !== bundleEnvelopeSchema.safeParse(candidate).success)
        disagreements.push(JSON.stringify(candidate).slice(0, 300));
      compared++;
    }
  }
  expect(disagreements.slice(0, 5)).toEqual([]);
  expect(bundles.length).toBeGreaterThan(20);
  expect(compared).toBeGreaterThan(1_000);
});
