import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { SqliteFeedbackStore } from "../../src/feedback/sqlite-store";
import { migrations } from "../../src/feedback/migrations";
import { record, storeContract } from "./store-contract";

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
