/**
 * The fast check of a resource: the same rules as `entryResourceSchema` (resource-schemas.ts), run by the
 * ajv code generated from those zod schemas (generated/resource-validators.ts, `npm run generate`). It only
 * answers yes or no and copies nothing; zod runs only for a resource this rejects, to say why
 * (read-resources.ts). test/fhir/resource-validators.test.ts holds the two to the same answers.
 */
import * as generated from "./generated/resource-validators";

type Check = (data: unknown) => boolean;

const { BundleEnvelope, ...resourceChecks } = generated as Record<string, Check>;

/** A Map, never a plain object: `resourceType` "constructor" must not find Object's prototype. */
const byType = new Map<string, Check>(Object.entries(resourceChecks));

/** Whether `bundleEnvelopeSchema` accepts `value`, without running zod. */
export function passesBundleEnvelope(value: unknown): boolean {
  return BundleEnvelope!(value);
}

/** Whether `entryResourceSchema` accepts `value`, without running zod. */
export function passesResourceSchema(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const { resourceType, id } = value as { resourceType?: unknown; id?: unknown };
  if (typeof resourceType !== "string" || resourceType.length === 0) return false;
  if (id !== undefined && typeof id !== "string") return false;
  const check = byType.get(resourceType);
  return check ? check(value) : true;
}
