/**
 * Applies `resource-schemas.ts` to what a FHIR server sent (the service's fallback fetch, the SMART
 * app's reads): a malformed resource is the server's fault → 502 `fhir_server_error` whose message
 * names the resource (Type/id) and the field, e.g. "FHIR server sent a malformed Observation/o1
 * (entry[0] of https://ehr/fhir/Observation): valueQuantity.value: Invalid input: expected number,
 * received string", and `field` is the path in the response: "entry[0].resource.valueQuantity.value".
 * Validation only: the caller keeps the original object (zod's output copy is thrown away).
 */
import type { z } from "zod";
import { CdsError, type ErrorIssue } from "../errors";

/** A zod issue path as the error bodies show it: `entry[3].resource.valueQuantity.value`. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), "");
}

/** A FHIR server sent data that does not have the shape of FHIR R4 (fields of the wrong type). */
export class MalformedFhirError extends CdsError {
  constructor(message: string, issues: ErrorIssue[]) {
    super("fhir_server_error", message, issues);
    this.name = "MalformedFhirError";
  }
}

const MAX_LABEL = 80;
const clip = (s: string) => (s.length > MAX_LABEL ? `${s.slice(0, MAX_LABEL)}…` : s);

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/**
 * The resource an issue is in — "Observation/o1" ("Observation" without an id), with "entry[3] of "
 * when it is a Bundle entry's — and the path inside that resource.
 */
function locate(value: unknown, path: readonly PropertyKey[]): { label: string; entry: string; inside: readonly PropertyKey[] } {
  let target = value;
  let entry = "";
  let inside = path;
  const [first, index, third] = path;
  if (first === "entry" && typeof index === "number" && third === "resource") {
    const entries = asRecord(value)?.entry;
    target = Array.isArray(entries) ? asRecord(entries[index])?.resource : undefined;
    entry = `entry[${index}] of `;
    inside = path.slice(3);
  }
  const r = asRecord(target);
  const type = typeof r?.resourceType === "string" ? clip(r.resourceType) : "resource";
  return { label: typeof r?.id === "string" ? `${type}/${clip(r.id)}` : type, entry, inside };
}

/**
 * Checks `value` against `schema`; returns it unchanged (typed as `T`) or throws a MalformedFhirError
 * naming the resource and field. `where` says where it came from (a URL without its query). `passes`, when
 * given, is a check-only validator of the same rules (resource-validators.ts): zod then runs only on what it
 * rejects, to word the error, and a well-formed value is not copied field by field.
 */
export function checkServerResource<T>(value: unknown, schema: z.ZodType, where: string, passes?: (value: unknown) => boolean): T {
  if (passes?.(value)) return value as T;
  const result = schema.safeParse(value);
  if (result.success) return value as T;
  const issues = result.error.issues.map((i) => ({ field: issuePath(i.path) || "(resource)", message: i.message }));
  const first = result.error.issues[0]!;
  const { label, entry, inside } = locate(value, first.path);
  throw new MalformedFhirError(
    `FHIR server sent a malformed ${label} (${entry}${where}): ${issuePath(inside) || "(resource)"}: ${first.message}`,
    issues,
  );
}
