/**
 * Schema migrations as data, one entry per version, with the SQL for each dialect. Applied in order,
 * each in its own transaction; the applied version is recorded (SQLite: PRAGMA user_version;
 * PostgreSQL: schema_migrations, under an advisory lock so concurrent replicas migrate once).
 * To change the schema: append a new version — never edit one that has shipped.
 */
export interface Migration {
  version: number;
  description: string;
  sqlite: string;
  postgres: string;
}

const tables = (t: { id: string; time: string; json: string }) => `
CREATE TABLE feedback (
  id ${t.id},
  service_id TEXT NOT NULL,
  card_uuid TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'overridden')),
  accepted_suggestions ${t.json} NOT NULL,
  override_system TEXT,
  override_code TEXT,
  override_display TEXT,
  user_comment TEXT,
  outcome_at ${t.time} NOT NULL,
  received_at ${t.time} NOT NULL,
  client TEXT
);
CREATE INDEX feedback_card_idx ON feedback (card_uuid);
CREATE INDEX feedback_service_idx ON feedback (service_id, id);

CREATE TABLE issued_cards (
  card_uuid TEXT PRIMARY KEY,
  hook TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  pattern TEXT NOT NULL,
  indicator TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  first_issued_at ${t.time} NOT NULL,
  last_issued_at ${t.time} NOT NULL,
  issue_count INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX issued_cards_patient_idx ON issued_cards (patient_id);

CREATE TABLE suppressions (
  id ${t.id},
  patient_id TEXT NOT NULL,
  pattern TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  indicator TEXT NOT NULL,
  outcome TEXT NOT NULL,
  card_uuid TEXT NOT NULL,
  since ${t.time} NOT NULL,
  feedback_id BIGINT NOT NULL REFERENCES feedback (id)
);
CREATE INDEX suppressions_patient_idx ON suppressions (patient_id, since);
`;

/**
 * Tenancy: issued cards and suppressions belong to (issuer, fhirServer origin). Rows written before
 * this version get issuer "open" and origin NULL (unknown): they stay readable, but NULL matches no
 * current tenant, so suppressions stored before tenancy no longer hide cards (fail safe: a card shown
 * again beats one hidden by feedback whose tenant cannot be proven).
 */
const tenancy = `
ALTER TABLE issued_cards ADD COLUMN tenant_issuer TEXT NOT NULL DEFAULT 'open';
ALTER TABLE issued_cards ADD COLUMN tenant_origin TEXT;
ALTER TABLE suppressions ADD COLUMN tenant_issuer TEXT NOT NULL DEFAULT 'open';
ALTER TABLE suppressions ADD COLUMN tenant_origin TEXT;
CREATE INDEX suppressions_tenant_idx ON suppressions (tenant_issuer, tenant_origin, patient_id, since);
`;

/** JWT ids already accepted, shared by every replica (replay protection across processes). */
const replay = (time: string) => `
CREATE TABLE jwt_replay (
  iss TEXT NOT NULL,
  jti TEXT NOT NULL,
  expires_at ${time} NOT NULL,
  PRIMARY KEY (iss, jti)
);
CREATE INDEX jwt_replay_expiry_idx ON jwt_replay (expires_at);
CREATE INDEX issued_cards_last_idx ON issued_cards (last_issued_at);
CREATE INDEX feedback_received_idx ON feedback (received_at);
`;

export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: "feedback, issued cards, suppressions",
    // SQLite: ISO 8601 UTC strings (toISOString) sort and compare correctly as text.
    sqlite: tables({ id: "INTEGER PRIMARY KEY AUTOINCREMENT", time: "TEXT", json: "TEXT" }),
    postgres: tables({ id: "BIGSERIAL PRIMARY KEY", time: "TIMESTAMPTZ", json: "JSONB" }),
  },
  { version: 2, description: "tenant columns on issued cards and suppressions", sqlite: tenancy, postgres: tenancy },
  { version: 3, description: "shared JWT replay table; retention indexes", sqlite: replay("TEXT"), postgres: replay("TIMESTAMPTZ") },
];
