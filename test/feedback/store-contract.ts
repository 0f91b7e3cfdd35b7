/**
 * The behaviour every FeedbackStore must have, run against SQLite and PostgreSQL alike.
 * Expected values are written out by hand from the inputs below.
 */
import type { Tenant } from "../../src/cds/tenant";
import type { FeedbackRecord, FeedbackStore, IssuedCard } from "../../src/feedback/store";

const T = (iso: string) => new Date(iso);

/** The tenant of the cards below: no JWT auth ("open"), data from ehr.example.org. */
export const TENANT: Tenant = { issuer: "open", origin: "https://ehr.example.org" };

export const issued = (over: Partial<IssuedCard> = {}): IssuedCard => ({
  uuid: "card-1",
  tenant: TENANT,
  hook: "patient-view",
  patientId: "pat-1",
  pattern: "repletion-cramp",
  indicator: "warning",
  fingerprint: "fp-a",
  issuedAt: T("2026-06-01T10:00:00.000Z"),
  ...over,
});

export const record = (over: Partial<FeedbackRecord> = {}): FeedbackRecord => ({
  serviceId: "vitd-patient-view",
  card: "card-1",
  outcome: "overridden",
  acceptedSuggestions: [],
  outcomeTimestamp: T("2026-06-01T10:05:00.000Z"),
  receivedAt: T("2026-06-01T10:05:01.000Z"),
  ...over,
});

export function storeContract(open: () => Promise<FeedbackStore>): void {
  let store: FeedbackStore;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await store.close();
  });

  it("stores feedback and reads every field back, in arrival order", async () => {
    const a = record({
      overrideReason: {
        system: "https://vitd-cds.example.org/override",
        code: "lab-ordered",
        display: "Lab ordered",
        userComment: "Mg drawn today",
      },
      client: "https://ehr.example.org/",
    });
    const b = record({ card: "card-2", outcome: "accepted", acceptedSuggestions: ["s-1", "s-2"], serviceId: "vitd-order-sign" });
    await expect(store.saveFeedback([a, b])).resolves.toEqual({ stored: 2, matchedIssuedCards: 0 });
    const all = await store.listFeedback();
    expect(all.map(({ id: _id, ...rest }) => rest)).toEqual([a, b]);
    expect(all[0]!.id).toBeLessThan(all[1]!.id);
    expect((await store.listFeedback({ serviceId: "vitd-order-sign" })).map((f) => f.card)).toEqual(["card-2"]);
    expect((await store.listFeedback({ card: "card-1" })).map((f) => f.outcome)).toEqual(["overridden"]);
  });

  it("keeps a comment-only override reason and an override without reason", async () => {
    await store.saveFeedback([record({ overrideReason: { userComment: "not now" } }), record()]);
    const [withComment, bare] = await store.listFeedback();
    expect(withComment!.overrideReason).toEqual({ userComment: "not now" });
    expect(bare!.overrideReason).toBeUndefined();
  });

  it("records issued cards: first issue time kept, latest indicator updated", async () => {
    await store.recordIssuedCards([issued()]);
    await store.recordIssuedCards([issued({ indicator: "critical", issuedAt: T("2026-06-02T00:00:00.000Z") })]);
    expect(await store.issuedCard("card-1")).toEqual(issued({ indicator: "critical" }));
    expect(await store.issuedCard("nope")).toBeUndefined();
  });

  it("derives a suppression from feedback on an issued card, with the indicator the clinician saw", async () => {
    await store.recordIssuedCards([issued()]);
    await expect(store.saveFeedback([record()])).resolves.toEqual({ stored: 1, matchedIssuedCards: 1 });
    // Re-issued later at a higher indicator: the suppression keeps "warning".
    await store.recordIssuedCards([issued({ indicator: "critical", issuedAt: T("2026-06-03T00:00:00.000Z") })]);
    const found = await store.suppressionsFor(TENANT, "pat-1", T("2026-05-01T00:00:00.000Z"));
    expect(found).toEqual([
      {
        tenant: TENANT,
        patientId: "pat-1",
        pattern: "repletion-cramp",
        fingerprint: "fp-a",
        indicator: "warning",
        outcome: "overridden",
        cardUuid: "card-1",
        since: T("2026-06-01T10:05:00.000Z"),
      },
    ]);
  });

  it("suppression starts at outcomeTimestamp, but never after we received it (client clock ahead)", async () => {
    await store.recordIssuedCards([issued()]);
    await store.saveFeedback([record({ outcomeTimestamp: T("2026-06-09T00:00:00.000Z"), receivedAt: T("2026-06-01T10:05:01.000Z") })]);
    const [s] = await store.suppressionsFor(TENANT, "pat-1", T("2026-01-01T00:00:00.000Z"));
    expect(s!.since).toEqual(T("2026-06-01T10:05:01.000Z"));
  });

  it("returns only the patient's suppressions that started at or after `since`", async () => {
    await store.recordIssuedCards([issued(), issued({ uuid: "card-9", patientId: "pat-2" })]);
    await store.saveFeedback([record(), record({ card: "card-9" })]);
    expect(await store.suppressionsFor(TENANT, "pat-1", T("2026-06-01T10:05:00.000Z"))).toHaveLength(1);
    expect(await store.suppressionsFor(TENANT, "pat-1", T("2026-06-01T10:05:00.001Z"))).toHaveLength(0);
    expect((await store.suppressionsFor(TENANT, "pat-2", T("2026-01-01T00:00:00.000Z"))).map((s) => s.cardUuid)).toEqual(["card-9"]);
  });

  it("feedback on a card it never issued is stored but suppresses nothing", async () => {
    await expect(store.saveFeedback([record({ card: "unknown" })])).resolves.toEqual({ stored: 1, matchedIssuedCards: 0 });
    expect(await store.suppressionsFor(TENANT, "pat-1", T("2000-01-01T00:00:00.000Z"))).toEqual([]);
  });

  describe("tenancy", () => {
    const hospitalA: Tenant = { issuer: "https://ehr-a.example.org/", origin: "https://fhir.a.example.org" };
    const hospitalB: Tenant = { issuer: "https://ehr-b.example.org/", origin: "https://fhir.b.example.org" };
    const since = T("2026-01-01T00:00:00.000Z");

    it("feedback from another issuer about A's card is stored but hides nothing; A's own feedback hides it for A only", async () => {
      await store.recordIssuedCards([issued({ uuid: "card-a", tenant: hospitalA, indicator: "critical" })]);
      await expect(store.saveFeedback([record({ card: "card-a", client: hospitalB.issuer })])).resolves.toEqual({
        stored: 1,
        matchedIssuedCards: 0,
      });
      await expect(store.saveFeedback([record({ card: "card-a" })])).resolves.toEqual({ stored: 1, matchedIssuedCards: 0 }); // open (no auth) is another issuer too
      expect(await store.suppressionsFor(hospitalA, "pat-1", since)).toEqual([]);
      expect((await store.listFeedback({ card: "card-a" })).map((f) => f.client ?? "open")).toEqual([hospitalB.issuer, "open"]);

      await expect(store.saveFeedback([record({ card: "card-a", client: hospitalA.issuer })])).resolves.toEqual({
        stored: 1,
        matchedIssuedCards: 1,
      });
      expect((await store.suppressionsFor(hospitalA, "pat-1", since)).map((s) => [s.cardUuid, s.tenant])).toEqual([["card-a", hospitalA]]);
      expect(await store.suppressionsFor(hospitalB, "pat-1", since)).toEqual([]);
    });

    it("the same issuer through two fhirServer origins is two tenants", async () => {
      const viaOther: Tenant = { issuer: hospitalA.issuer, origin: "https://fhir-2.a.example.org" };
      await store.recordIssuedCards([issued({ uuid: "card-a1", tenant: hospitalA }), issued({ uuid: "card-a2", tenant: viaOther })]);
      await store.saveFeedback([record({ card: "card-a1", client: hospitalA.issuer })]);
      expect((await store.suppressionsFor(hospitalA, "pat-1", since)).map((s) => s.cardUuid)).toEqual(["card-a1"]);
      expect(await store.suppressionsFor(viaOther, "pat-1", since)).toEqual([]);
    });
  });

  it("answers ping while open", async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it("retention purge: feedback received, cards last issued and suppressions started before the cut-off go; newer rows stay", async () => {
    await store.recordIssuedCards([
      issued({ uuid: "old", issuedAt: T("2025-01-01T00:00:00.000Z") }),
      issued({ uuid: "new", issuedAt: T("2026-05-30T00:00:00.000Z") }),
    ]);
    await store.saveFeedback([
      record({ card: "old", outcomeTimestamp: T("2025-01-02T00:00:00.000Z"), receivedAt: T("2025-01-02T00:00:00.000Z") }),
      record({ card: "new", outcomeTimestamp: T("2026-05-31T00:00:00.000Z"), receivedAt: T("2026-05-31T00:00:00.000Z") }),
    ]);
    const removed = await store.purge(T("2025-06-01T00:00:00.000Z"), T("2026-06-01T00:00:00.000Z"));
    expect(removed).toEqual({ feedback: 1, issuedCards: 1, suppressions: 1, replay: 0 });
    expect((await store.listFeedback()).map((f) => f.card)).toEqual(["new"]);
    expect(await store.issuedCard("old")).toBeUndefined();
    expect((await store.suppressionsFor(TENANT, "pat-1", T("2000-01-01T00:00:00.000Z"))).map((s) => s.cardUuid)).toEqual(["new"]);
  });

  it("a failing batch stores nothing (one transaction)", async () => {
    const bad = record({ card: "card-x", outcome: "maybe" as never });
    await expect(store.saveFeedback([record({ card: "first" }), bad])).rejects.toThrow();
    expect(await store.listFeedback()).toEqual([]);
  });
}
