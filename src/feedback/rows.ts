/** Database rows → domain objects, shared by both stores (SQLite gives ISO text and JSON text; pg gives Date and parsed JSONB). */
import type { Indicator, IssuedCard, StoredFeedback, Suppression } from "./store";

type Time = string | Date;

export interface FeedbackRow {
  id: number | string;
  service_id: string;
  card_uuid: string;
  outcome: "accepted" | "overridden";
  accepted_suggestions: string | string[];
  override_system: string | null;
  override_code: string | null;
  override_display: string | null;
  user_comment: string | null;
  outcome_at: Time;
  received_at: Time;
  client: string | null;
}

export interface IssuedRow {
  card_uuid: string;
  tenant_issuer: string;
  tenant_origin: string | null;
  hook: string;
  patient_id: string;
  pattern: string;
  indicator: Indicator;
  fingerprint: string;
  first_issued_at: Time;
}

export interface SuppressionRow {
  tenant_issuer: string;
  tenant_origin: string | null;
  patient_id: string;
  pattern: string;
  fingerprint: string;
  indicator: Indicator;
  outcome: "accepted" | "overridden";
  card_uuid: string;
  since: Time;
}

const toDate = (t: Time): Date => (t instanceof Date ? t : new Date(t));

/** Optional fields only when the column has a value (exactOptionalPropertyTypes). */
function present<K extends string>(key: K, value: string | null): Partial<Record<K, string>> {
  return value === null ? {} : ({ [key]: value } as Record<K, string>);
}

export function fromRow(row: FeedbackRow): StoredFeedback {
  const reason = {
    ...present("system", row.override_system),
    ...present("code", row.override_code),
    ...present("display", row.override_display),
    ...present("userComment", row.user_comment),
  };
  return {
    id: Number(row.id),
    serviceId: row.service_id,
    card: row.card_uuid,
    outcome: row.outcome,
    acceptedSuggestions:
      typeof row.accepted_suggestions === "string" ? (JSON.parse(row.accepted_suggestions) as string[]) : row.accepted_suggestions,
    ...(Object.keys(reason).length > 0 ? { overrideReason: reason } : {}),
    outcomeTimestamp: toDate(row.outcome_at),
    receivedAt: toDate(row.received_at),
    ...present("client", row.client),
  };
}

export function issuedFromRow(row: IssuedRow): IssuedCard {
  return {
    uuid: row.card_uuid,
    tenant: { issuer: row.tenant_issuer, origin: row.tenant_origin },
    hook: row.hook,
    patientId: row.patient_id,
    pattern: row.pattern,
    indicator: row.indicator,
    fingerprint: row.fingerprint,
    issuedAt: toDate(row.first_issued_at),
  };
}

export function suppressionFromRow(row: SuppressionRow): Suppression {
  return {
    tenant: { issuer: row.tenant_issuer, origin: row.tenant_origin },
    patientId: row.patient_id,
    pattern: row.pattern,
    fingerprint: row.fingerprint,
    indicator: row.indicator,
    outcome: row.outcome,
    cardUuid: row.card_uuid,
    since: toDate(row.since),
  };
}
