/**
 * One resource at a time: a record is never all clean, so a resource that cannot be read is left out
 * and reported (type, id and the field at fault — never values), and the rest is evaluated. Shapes
 * that need no guessing are repaired first (repair-shapes.ts); then the resource's fields are checked
 * against resource-schemas.ts (by its generated check-only validators; zod only explains a rejection), so
 * the code behind this boundary can trust the `fhir/r4` types.
 * Used for prefetch, draft orders, the fallback fetch and the SMART app's reads alike.
 */
import type { FhirResource } from "fhir/r4";
import type { NotUsedResource } from "./facts";
import { repairShapes } from "./repair-shapes";
import { issuePath } from "./resource-check";
import { entryResourceSchema } from "./resource-schemas";
import { passesResourceSchema } from "./resource-validators";

export type { NotUsedResource } from "./facts";

const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const TYPE = /^[A-Z][A-Za-z]{0,63}$/;

function refOf(json: Record<string, unknown>): { ref: string; resourceType: string } {
  const resourceType = typeof json.resourceType === "string" && TYPE.test(json.resourceType) ? json.resourceType : "resource";
  return { ref: typeof json.id === "string" && ID.test(json.id) ? `${resourceType}/${json.id}` : resourceType, resourceType };
}

/** zod says "Invalid input: expected number, received string": keep the part after "Invalid input: ". */
const describeIssue = (message: string): string => message.replace(/^Invalid input: /, "");

export class ResourceReader {
  readonly notUsed: NotUsedResource[] = [];

  /** The resource, repaired and checked; undefined (and reported) when it cannot be read. OperationOutcomes are skipped silently. */
  read(json: unknown): FhirResource | undefined {
    if (typeof json !== "object" || json === null || Array.isArray(json)) {
      this.notUsed.push({ ref: "resource", resourceType: "resource", reason: "malformed", detail: "not a JSON object" });
      return undefined;
    }
    const record = json as Record<string, unknown>;
    if (record.resourceType === "OperationOutcome") return undefined;
    const repaired = repairShapes(record);
    if (passesResourceSchema(repaired)) return repaired as unknown as FhirResource;
    const result = entryResourceSchema.safeParse(repaired); // rejected: zod says why (and has the last word)
    if (result.success) return repaired as unknown as FhirResource;
    const first = result.error.issues[0];
    this.notUsed.push({
      ...refOf(record),
      reason: "malformed",
      detail: first ? `${issuePath(first.path) || "(resource)"}: ${describeIssue(first.message)}` : "unreadable",
    });
    return undefined;
  }

  /** Every readable resource of `list`, in order. */
  readAll(list: readonly unknown[]): FhirResource[] {
    const out: FhirResource[] = [];
    for (const json of list) {
      const r = this.read(json);
      if (r) out.push(r);
    }
    return out;
  }
}
