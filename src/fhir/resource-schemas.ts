/**
 * zod schemas of exactly the FHIR R4 fields the normalizers (`./normalize/`), `group-resources.ts`
 * and the fetch code read — nothing more. Every field is optional, as almost everything is in FHIR,
 * but has its JSON type when present (string, number, boolean, array, object), so the code behind
 * this boundary can trust the `fhir/r4` types. Unknown fields pass through (`z.looseObject`).
 *
 * Deliberately NOT enforced (the normalizers cope, and rejecting a whole hook for them would
 * lose data real EHRs send): FHIR value constraints such as integer/positiveInt, date and dateTime
 * formats (an unparseable date is reported as "invalid date" in the card), code bindings (unknown
 * statuses are dropped), and FHIR-required fields (a missing Observation.status/code or
 * Annotation.text is read as absent). Quantity.comparator is an enum: FHIR's four codes plus the
 * "≤" / "≥" spellings the lab-value reader already accepts.
 *
 * A resource that fails its schema is left out and reported, never a failed call (read-resources.ts);
 * only an envelope that is not a Bundle or resource at all is an error (`bundleEnvelopeSchema`).
 *
 * Resources are dispatched on `resourceType` through a Map (never a plain object: `resourceType`
 * "constructor" must not find Object's prototype). Resource types the service does not read pass
 * with only `resourceType` (and `id`) checked. A Bundle inside a Bundle entry is not descended into
 * (nothing reads it), which also bounds the recursion on hostile input.
 */
import { z } from "zod";

const str = z.string().optional();
const num = z.number().optional();
const bool = z.boolean().optional();
const listOf = <T extends z.ZodType>(item: T) => z.array(item).optional();

export const codingSchema = z.looseObject({ system: str, code: str, display: str });
export const codeableConceptSchema = z.looseObject({ coding: listOf(codingSchema), text: str });
const concept = codeableConceptSchema.optional();

/** FHIR's QuantityComparator codes, plus the "≤" / "≥" spellings lab-value.ts maps to them. */
export const QUANTITY_COMPARATORS = ["<", "<=", ">=", ">", "≤", "≥"] as const;
export const quantitySchema = z.looseObject({
  value: num,
  comparator: z.enum(QUANTITY_COMPARATORS).optional(),
  unit: str,
  code: str,
  system: str,
});
const quantity = quantitySchema.optional();
const period = z.looseObject({ start: str, end: str }).optional();
const reference = z.looseObject({ reference: str, display: str }).optional();

const timing = z.looseObject({
  repeat: z
    .looseObject({
      count: num,
      countMax: num,
      frequency: num,
      frequencyMax: num,
      period: num,
      periodMax: num,
      periodUnit: str,
      dayOfWeek: listOf(z.string()),
      timeOfDay: listOf(z.string()),
      when: listOf(z.string()),
      boundsPeriod: period,
      boundsDuration: quantity,
    })
    .optional(),
  code: concept,
});

const ratio = z.looseObject({ numerator: quantity, denominator: quantity }).optional();

export const dosageSchema = z.looseObject({
  text: str,
  patientInstruction: str,
  sequence: num,
  timing: timing.optional(),
  doseAndRate: listOf(
    z.looseObject({
      doseQuantity: quantity,
      doseRange: z.looseObject({ low: quantity, high: quantity }).optional(),
      rateRatio: ratio,
      rateQuantity: quantity,
    }),
  ),
});

/** Fields every resource the service reads may carry. */
const resource = <T extends string>(type: T) => ({
  resourceType: z.literal(type),
  id: str,
  meta: z.looseObject({ lastUpdated: str }).optional(),
});

export const patientSchema = z.looseObject({
  ...resource("Patient"),
  birthDate: str,
  name: listOf(z.looseObject({ use: str, text: str, family: str, given: listOf(z.string()) })),
});

export const observationSchema = z.looseObject({
  ...resource("Observation"),
  status: str,
  code: concept,
  effectiveDateTime: str,
  effectivePeriod: period,
  effectiveInstant: str,
  issued: str,
  valueQuantity: quantity,
  valueString: str,
  dataAbsentReason: concept,
  referenceRange: listOf(z.looseObject({ low: quantity, high: quantity, text: str })),
  interpretation: listOf(codeableConceptSchema),
  component: listOf(
    z.looseObject({
      code: concept,
      valueQuantity: quantity,
      valueString: str,
      dataAbsentReason: concept,
      referenceRange: listOf(z.looseObject({ low: quantity, high: quantity, text: str })),
      interpretation: listOf(codeableConceptSchema),
    }),
  ),
});

export const conditionSchema = z.looseObject({
  ...resource("Condition"),
  clinicalStatus: concept,
  verificationStatus: concept,
  code: concept,
  onsetDateTime: str,
  onsetPeriod: period,
  recordedDate: str,
});

export const medicationSchema = z.looseObject({
  ...resource("Medication"),
  code: concept,
  ingredient: listOf(
    z.looseObject({
      itemCodeableConcept: concept,
      itemReference: reference,
      strength: z.looseObject({ numerator: quantity, denominator: quantity }).optional(),
    }),
  ),
});

/**
 * Runs `schema` on a value inside a refinement and reports its issues at their paths below the value.
 * Validation only: zod's output copy is dropped, the caller keeps the original object.
 */
export function addIssuesOf(schema: z.ZodType | undefined, value: unknown, ctx: z.RefinementCtx): void {
  const result = schema?.safeParse(value);
  if (result && !result.success) for (const { message, path } of result.error.issues) ctx.addIssue({ code: "custom", message, path });
}

/** A resource whose only checked fields are `resourceType` and `id`, then the schema of its type (if listed). */
function dispatch(schemas: ReadonlyMap<string, z.ZodType>) {
  return z
    .looseObject({ resourceType: z.string().min(1), id: str })
    .superRefine((value, ctx) => addIssuesOf(schemas.get(value.resourceType), value, ctx));
}

/** The types checked inside `contained` (a `#id` reference may resolve to a contained Medication). */
export const containedResources: ReadonlyMap<string, z.ZodType> = new Map([["Medication", medicationSchema]]);
/** `contained` of a MedicationStatement/Request. */
const containedResource = dispatch(containedResources);

const medicationUse = {
  status: str,
  medicationCodeableConcept: concept,
  medicationReference: reference,
  contained: listOf(containedResource),
  note: listOf(z.looseObject({ text: str })),
};

export const medicationStatementSchema = z.looseObject({
  ...resource("MedicationStatement"),
  ...medicationUse,
  effectiveDateTime: str,
  effectivePeriod: period,
  dateAsserted: str,
  dosage: listOf(dosageSchema),
});

export const medicationRequestSchema = z.looseObject({
  ...resource("MedicationRequest"),
  ...medicationUse,
  intent: str,
  doNotPerform: bool,
  authoredOn: str,
  dispenseRequest: z.looseObject({ validityPeriod: period }).optional(),
  dosageInstruction: listOf(dosageSchema),
});

/** The schema of each resource type the service reads (a Map: see above). */
export const readResources: ReadonlyMap<string, z.ZodType> = new Map<string, z.ZodType>([
  ["Patient", patientSchema],
  ["Observation", observationSchema],
  ["Condition", conditionSchema],
  ["Medication", medicationSchema],
  ["MedicationStatement", medicationStatementSchema],
  ["MedicationRequest", medicationRequestSchema],
]);

/** A resource inside a Bundle entry (or a draft order, or one item of a flattened search). */
export const entryResourceSchema = dispatch(readResources);

/**
 * A Bundle's envelope: `entry` a list of objects and `link` a list of {relation, url}. The entries'
 * resources are read one by one (read-resources.ts), so one bad entry costs only itself.
 */
export const bundleEnvelopeSchema = z.looseObject({
  ...resource("Bundle"),
  entry: listOf(z.looseObject({ resource: z.unknown(), search: z.looseObject({ mode: str }).optional() })),
  link: listOf(z.looseObject({ relation: str, url: str })),
});

export type BundleEnvelope = z.infer<typeof bundleEnvelopeSchema>;
