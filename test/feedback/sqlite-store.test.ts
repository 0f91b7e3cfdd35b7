import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { SqliteFeedbackStore } from "../../src/feedback/sqlite-store";
import { migrations } from "../../src/feedback/migrations";
import { LEGACY, LEGACY_SQL, placeholders } from "./legacy-rows";
import { issued, record, storeContract } from "./store-contract";

describe("SqliteFeedbackStore (in memory)", () => {
  storeContract(() => Promise.resolve(new SqliteFeedbackStore(":memory:")));
});

describe("SqliteFeedbackStore (file)", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "vitd-sqlite-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  storeContract(() => Promise.resolve(new SqliteFeedbackStore(path.join(dir, `${Math.random().toString(36).slice(2)}.sqlite`))));

  it("uses WAL with synchronous=FULL, creates missing folders, migrates once and reopens with the data", async () => {
    const file = path.join(dir, "nested", "deeper", "feedback.sqlite");
    const first = new SqliteFeedbackStore(file);
    await first.saveFeedback([record()]);
    await first.close();

    const raw = new Database(file, { readonly: true });
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(raw.pragma("user_version", { simple: true })).toBe(migrations.length);
    raw.close();

    const second = new SqliteFeedbackStore(file); // migrations must not run again (would fail: tables exist)
    expect(await second.listFeedback()).toHaveLength(1);
    const db = (second as unknown as { db: Database.Database }).db;
    expect(db.pragma("synchronous", { simple: true })).toBe(2); // FULL
    await second.close();
  });
});

describe("SqliteFeedbackStore issued-card commits (every hook call)", () => {
  it("compiles no statement per call: no PRAGMA toggled around the commit (feedback stays FULL, issued cards NORMAL)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "vitd-sqlite-issued-"));
    const store = new SqliteFeedbackStore(path.join(dir, "feedback.sqlite"));
    const pragma = jest.spyOn(Database.prototype, "pragma");
    const prepare = jest.spyOn(Database.prototype, "prepare");
    try {
      await store.recordIssuedCards([issued({ uuid: "card-1" })]);
      await store.recordIssuedCards([issued({ uuid: "card-2" }), issued({ uuid: "card-3" })]);
      expect(pragma).not.toHaveBeenCalled();
      expect(prepare).not.toHaveBeenCalled();
      const conns = store as unknown as { db: Database.Database; issuedDb: Database.Database };
      expect(conns.db.pragma("synchronous", { simple: true })).toBe(2); // FULL
      expect(conns.issuedDb.pragma("synchronous", { simple: true })).toBe(1); // NORMAL
      expect((await store.issuedCard("card-3"))?.patientId).toBe("pat-1");
    } finally {
      pragma.mockRestore();
      prepare.mockRestore();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("SqliteFeedbackStore migration to tenancy (version 1 → 2)", () => {
  it("keeps rows written before tenancy readable; their suppressions (tenant unknown) hide nothing", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "vitd-sqlite-v1-"));
    try {
      const file = path.join(dir, "feedback.sqlite");
      const raw = new Database(file);
      raw.exec(migrations[0]!.sqlite);
      raw.pragma("user_version = 1");
      raw.prepare(`${LEGACY_SQL.feedback}${placeholders(LEGACY.feedback.length, false)}`).run(...LEGACY.feedback);
      raw.prepare(`${LEGACY_SQL.issued}${placeholders(LEGACY.issued.length, false)}`).run(...LEGACY.issued);
      raw.prepare(`${LEGACY_SQL.suppression}${placeholders(LEGACY.suppression.length, false)}`).run(...LEGACY.suppression);
      raw.close();

      const store = new SqliteFeedbackStore(file);
      try {
        expect((await store.listFeedback()).map((f) => [f.card, f.client, f.overrideReason])).toEqual([
          ["old-card", "https://ehr.example.org/", { userComment: "seen" }],
        ]);
        expect((await store.issuedCard("old-card"))?.tenant).toEqual({ issuer: "open", origin: null });
        const since = new Date("2026-01-01T00:00:00Z");
        for (const tenant of [
          { issuer: "open", origin: "" },
          { issuer: "open", origin: "https://ehr.example.org" },
          { issuer: "https://ehr.example.org/", origin: "https://ehr.example.org" },
        ]) {
          expect(await store.suppressionsFor(tenant, "pat-1", since)).toEqual([]);
        }
      } finally {
        await store.close();
      }
      const check = new Database(file, { readonly: true });
      expect(check.pragma("user_version", { simple: true })).toBe(migrations.length);
      check.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
