/**
 * POST /cds-services/{id}/feedback through the real app, and the whole alert-fatigue loop:
 * hook → card → clinician overrides it → same hook → card hidden; new evidence → shown again.
 */
import type { FhirResource, Observation } from "fhir/r4";
import request from "supertest";
import { SqliteFeedbackStore } from "../../src/feedback/sqlite-store";
import { buildTestApp, TEST_NOW } from "../helpers/test-app";
import { fullPrefetch, patientViewBody } from "../../devkit/hook-requests";
import { toxicity10000Daily } from "../fixtures/hooks";

const SERVICE = "/cds-services/vitd-patient-view";
const FEEDBACK = `${SERVICE}/feedback`;
const DAY = 86_400_000;

let store: SqliteFeedbackStore;
let now: Date;
let app: ReturnType<typeof buildTestApp>;

beforeEach(() => {
  store = new SqliteFeedbackStore(":memory:");
  now = TEST_NOW;
  app = buildTestApp({ feedbackStore: store, clock: () => now });
});
afterEach(() => store.close());

function hookFor(resources: FhirResource[] = toxicity10000Daily.resources) {
  return patientViewBody({ fhirServer: null, patientId: "pat-2", prefetch: fullPrefetch(toxicity10000Daily.patient, resources) });
}

type CardView = { uuid: string; indicator: string; source: { topic: { code: string } } };

async function cards(resources?: FhirResource[]): Promise<CardView[]> {
  const res = await request(app).post(SERVICE).send(hookFor(resources));
  expect(res.status).toBe(200);
  return (res.body as { cards: CardView[] }).cards;
}

const overridden = (card: string, at = now) => ({
  feedback: [
    {
      card,
      outcome: "overridden",
      overrideReason: {
        reason: { system: "https://vitd-cds.example.org/override-reason", code: "already-addressed" },
        userComment: "stopped D3 yesterday",
      },
      outcomeTimestamp: at.toISOString(),
    },
  ],
});

describe("POST /cds-services/{id}/feedback", () => {
  it("answers 200 {} and stores every field, with service id and received-at", async () => {
    const res = await request(app).post(FEEDBACK).send(overridden("card-abc"));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    expect(await store.listFeedback()).toEqual([
      {
        id: 1,
        serviceId: "vitd-patient-view",
        card: "card-abc",
        outcome: "overridden",
        acceptedSuggestions: [],
        overrideReason: {
          system: "https://vitd-cds.example.org/override-reason",
          code: "already-addressed",
          userComment: "stopped D3 yesterday",
        },
        outcomeTimestamp: TEST_NOW,
        receivedAt: TEST_NOW,
      },
    ]);
  });

  it("404 for an unknown service, before looking at the body", async () => {
    const res = await request(app).post("/cds-services/no-such-service/feedback").send({ nonsense: true });
    expect(res.status).toBe(404);
    expect(res.body.error).toBe("not_found");
  });

  it("400 naming the field (accepted without acceptedSuggestions)", async () => {
    const res = await request(app)
      .post(FEEDBACK)
      .send({ feedback: [{ card: "c", outcome: "accepted", outcomeTimestamp: "2026-06-01T00:00:00Z" }] });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: "invalid_request", field: "feedback[0].acceptedSuggestions" });
    expect(await store.listFeedback()).toEqual([]);
  });

  it("415 for a non-JSON body, 400 for broken JSON", async () => {
    expect((await request(app).post(FEEDBACK).set("Content-Type", "text/plain").send("hi")).status).toBe(415);
    expect((await request(app).post(FEEDBACK).set("Content-Type", "application/json").send("{")).status).toBe(400);
  });

  it("GET on the feedback URL is not a route (404)", async () => {
    expect((await request(app).get(FEEDBACK)).status).toBe(404);
  });
});

describe("alert-fatigue loop through the app", () => {
  it("overridden card → hidden on the next hook call; a new lab brings it back", async () => {
    const [first] = await cards();
    expect(first).toMatchObject({ indicator: "critical", source: { topic: { code: "vitamin-d-toxicity" } } });
    expect((await request(app).post(FEEDBACK).send(overridden(first!.uuid))).status).toBe(200);

    now = new Date(TEST_NOW.getTime() + DAY);
    expect(await cards()).toEqual([]);

    // A new calcium result (new evidence) → the card is shown again.
    const ca = toxicity10000Daily.resources.find((r): r is Observation => r.resourceType === "Observation" && r.id === "ca-2")!;
    const newCa: Observation = {
      ...ca,
      id: "ca-3",
      effectiveDateTime: "2026-06-01T08:00:00Z",
      valueQuantity: { ...ca.valueQuantity, value: 12.9 },
    };
    const again = await cards([...toxicity10000Daily.resources, newCa]);
    expect(again.map((c) => c.source.topic.code)).toEqual(["vitamin-d-toxicity"]);
    expect(again[0]!.uuid).not.toBe(first!.uuid);
  });

  it("after CDS_SUPPRESS_DAYS (30) the same card is shown again", async () => {
    const [first] = await cards();
    await request(app).post(FEEDBACK).send(overridden(first!.uuid));
    now = new Date(TEST_NOW.getTime() + 31 * DAY);
    expect((await cards()).map((c) => c.uuid)).toEqual([first!.uuid]);
  });
});
