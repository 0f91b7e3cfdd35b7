/**
 * The SQL that sorts NDJSON lines into the stage (DuckDB; src/screen/README.md "Stage"): each line is
 * checked (valid JSON, a resource), given its patient — `Patient.id`, else `subject` or `patient`
 * reference (`Patient/x`, an absolute URL ending in `Patient/x`, optionally `/_history/n`) — and
 * written to a Parquet partition by bucket:
 *   bucket ≥ 0  a resource of one of the screened types, with its patient (only this shard's patients);
 *   bucket -2   a Medication (by id; joined to the statements and requests that reference it);
 *   bucket -1   a line that cannot be used (reason + range + line number; never its content);
 *   bucket -3   a resource of another type (counted, not kept).
 */
import { sqlBucketIndex, sqlShardIndex } from "./hash";

export const PATIENT_TYPES = ["Observation", "MedicationStatement", "MedicationRequest", "Condition"] as const;
export const SCREENED_TYPES = ["Patient", ...PATIENT_TYPES, "Medication"] as const;

export const BUCKET_UNUSABLE = -1;
export const BUCKET_MEDICATION = -2;
export const BUCKET_OTHER_TYPE = -3;

/** Why a line was not used (reported with file:line). */
export const REASONS = {
  "invalid-json": "not valid JSON",
  "not-a-resource": "JSON without a resourceType",
  "invalid-id": "Patient or Medication without a valid id",
  "no-patient-reference": "no subject/patient reference to a Patient",
  "line-too-long": "line longer than the limit",
} as const;
export type Reason = keyof typeof REASONS;

const ID = "[A-Za-z0-9.-]{1,64}";
const refPattern = (type: string) => `(?:^|/)${type}/(${ID})(?:/_history/[^/]*)?$`;
const quoted = (values: readonly string[]) => values.map((v) => `'${v}'`).join(", ");

/** The raw table a worker appends to: range id, line number within the range, the line (NULL = too long). */
export const CREATE_RAW = `CREATE TABLE raw (r INTEGER, l INTEGER, line VARCHAR, too_long BOOLEAN)`;

/** Every row of `raw`, classified (columns: bucket, patient, med, line, r, l, reason). */
export function classifySql(buckets: number, shard?: { index0: number; count: number }): string {
  const patientRef = (path: string) => `nullif(regexp_extract(k[${path}], '${refPattern("Patient")}', 1), '')`;
  // Another shard's patient is left out; Medications and unusable lines are seen by every shard.
  const where = shard
    ? `WHERE NOT (reason IS NULL AND rtype <> 'Medication' AND ${sqlShardIndex("patient", shard.count)} <> ${shard.index0})`
    : "";
  return `
WITH v AS (
  SELECT r, l, line, too_long, CASE WHEN too_long THEN false ELSE json_valid(line) END AS ok FROM raw
), e AS (
  SELECT r, l, line, too_long, ok,
    CASE WHEN ok THEN json_extract_string(line, ['$.resourceType', '$.id', '$.subject.reference', '$.patient.reference', '$.medicationReference.reference']) END AS k
  FROM v
), t AS (
  SELECT r, l, line, too_long, ok, k[1] AS rtype, k[2] AS rid,
    CASE WHEN k[1] = 'Patient' THEN k[2] ELSE coalesce(${patientRef("3")}, ${patientRef("4")}) END AS patient,
    CASE WHEN k[1] = 'Medication' THEN k[2] ELSE nullif(regexp_extract(k[5], '${refPattern("Medication")}', 1), '') END AS med
  FROM e
), c AS (
  SELECT r, l, line, rtype, patient, med,
    CASE
      WHEN too_long THEN 'line-too-long'
      WHEN NOT ok THEN 'invalid-json'
      WHEN rtype IS NULL THEN 'not-a-resource'
      WHEN rtype IN ('Patient', 'Medication') THEN CASE WHEN regexp_full_match(coalesce(rid, ''), '${ID}') THEN NULL ELSE 'invalid-id' END
      WHEN rtype IN (${quoted(PATIENT_TYPES)}) THEN CASE WHEN patient IS NULL THEN 'no-patient-reference' END
      ELSE 'other-type'
    END AS reason
  FROM t
)
SELECT
  CASE
    WHEN reason IS NULL AND rtype = 'Medication' THEN ${BUCKET_MEDICATION}
    WHEN reason IS NULL THEN ${sqlBucketIndex("patient", buckets)}::INTEGER
    WHEN reason = 'other-type' THEN ${BUCKET_OTHER_TYPE}
    ELSE ${BUCKET_UNUSABLE}
  END AS bucket,
  CASE WHEN reason IS NULL AND rtype <> 'Medication' THEN patient END AS patient,
  CASE WHEN reason IS NULL THEN med END AS med,
  CASE WHEN reason IS NULL THEN line END AS line,
  CASE WHEN reason IS NOT NULL AND reason <> 'other-type' THEN r END AS r,
  CASE WHEN reason IS NOT NULL AND reason <> 'other-type' THEN l END AS l,
  CASE WHEN reason = 'other-type' THEN left(rtype, 64) ELSE reason END AS reason
FROM c
${where}`;
}
