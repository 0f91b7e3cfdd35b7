/**
 * Rows written by the schema before tenancy (version 1), shared by the SQLite and PostgreSQL
 * migration tests: one feedback item, the card it was about, and the suppression derived from it.
 */
export const LEGACY = {
  feedback: [
    "vitd-patient-view",
    "old-card",
    "overridden",
    "[]",
    null,
    null,
    null,
    "seen",
    "2026-05-20T10:00:00.000Z",
    "2026-05-20T10:00:01.000Z",
    "https://ehr.example.org/",
  ],
  issued: [
    "old-card",
    "patient-view",
    "pat-1",
    "vitamin-d-toxicity",
    "critical",
    "fp-old",
    "2026-05-20T09:00:00.000Z",
    "2026-05-20T09:00:00.000Z",
  ],
  suppression: ["pat-1", "vitamin-d-toxicity", "fp-old", "critical", "overridden", "old-card", "2026-05-20T10:00:00.000Z", 1],
} as const;

export const LEGACY_SQL = {
  feedback: `INSERT INTO feedback (service_id, card_uuid, outcome, accepted_suggestions, override_system, override_code, override_display,
    user_comment, outcome_at, received_at, client) VALUES `,
  issued:
    "INSERT INTO issued_cards (card_uuid, hook, patient_id, pattern, indicator, fingerprint, first_issued_at, last_issued_at) VALUES ",
  suppression: "INSERT INTO suppressions (patient_id, pattern, fingerprint, indicator, outcome, card_uuid, since, feedback_id) VALUES ",
};

export const placeholders = (n: number, dollar: boolean) =>
  `(${Array.from({ length: n }, (_, i) => (dollar ? `$${i + 1}` : "?")).join(", ")})`;
