import nock from "nock";
import request from "supertest";
import type { MedicationRequest } from "fhir/r4";
import { cardSchema } from "../../src/render";
import { deficientOn50000Weekly, toxicity10000Daily } from "../fixtures/hooks";
import { fullPrefetch, orderSelectBody, orderSignBody, patientViewBody } from "../../devkit/hook-requests";
import { buildTestApp } from "../helpers/test-app";

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
});
afterAll(() => nock.enableNetConnect());

const topics = (cards: Array<{ source: { topic?: { code: string } }; indicator: string }>) =>
  cards.map((c) => [c.source.topic?.code, c.indicator]);

/** A draft order for cholecalciferol 50,000 IU once weekly (1.25 mg capsule), as an EHR sends it in draftOrders. */
const draft50000Weekly: MedicationRequest = {
  resourceType: "MedicationRequest",
  id: "draft-d3",
  status: "draft",
  intent: "order",
  subject: { reference: "Patient/pat-1" },
  medicationCodeableConcept: {
    coding: [{ system: "http://www.nlm.nih.gov/research/umls/rxnorm", code: "2418", display: "cholecalciferol" }],
    text: "cholecalciferol 1.25 MG Oral Capsule",
  },
  dosageInstruction: [
    {
      text: "1 capsule by mouth once weekly",
      timing: { repeat: { frequency: 1, period: 1, periodUnit: "wk" } },
      doseAndRate: [{ doseQuantity: { value: 50000, unit: "IU", system: "http://unitsofmeasure.org", code: "[iU]" } }],
    },
  ],
};

describe("hook endpoints with a full prefetch", () => {
  const app = buildTestApp();

  it("patient-view: deficient patient, D3 50,000 IU weekly started 3 weeks ago, Mg 1.4 mg/dL → warning repletion-cramp", async () => {
    const body = patientViewBody({ prefetch: fullPrefetch(deficientOn50000Weekly.patient, deficientOn50000Weekly.resources) });
    const res = await request(app).post("/cds-services/vitd-patient-view").send(body).expect(200);
    expect(topics(res.body.cards)).toEqual([["repletion-cramp", "warning"]]);
    const card = cardSchema.parse(res.body.cards[0]);
    expect(card.summary).toContain("1.4");
    expect(card.links?.[0]?.type).toBe("smart");
    expect(card.links?.[0]?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/smart\/launch\.html$/);
  });

  it("a hook answer carries no ETag: a POST answer is never revalidated, so hashing it on every call bought nothing", async () => {
    const body = patientViewBody({ prefetch: fullPrefetch(deficientOn50000Weekly.patient, deficientOn50000Weekly.resources) });
    const res = await request(app).post("/cds-services/vitd-patient-view").send(body).expect(200);
    expect(res.headers.etag).toBeUndefined();
    expect(res.body.cards.length).toBeGreaterThan(0);
  });

  it("patient-view: D3 10,000 IU daily for 15 months, Ca 12.6 mg/dL, 25(OH)D 400 nmol/L → critical vitamin-d-toxicity", async () => {
    const body = patientViewBody({ patientId: "pat-2", prefetch: fullPrefetch(toxicity10000Daily.patient, toxicity10000Daily.resources) });
    const res = await request(app).post("/cds-services/vitd-patient-view").send(body).expect(200);
    expect(topics(res.body.cards)).toEqual([["vitamin-d-toxicity", "critical"]]);
    expect(res.body.cards[0].summary.length).toBeLessThan(140);
  });

  it("order-sign: the same deficient patient not yet on vitamin D, signing 50,000 IU weekly, Mg 1.4 → warning repletion-cramp", async () => {
    const resources = deficientOn50000Weekly.resources.filter((r) => r.resourceType !== "MedicationStatement");
    const body = orderSignBody({ prefetch: fullPrefetch(deficientOn50000Weekly.patient, resources), draftOrders: [draft50000Weekly] });
    const res = await request(app).post("/cds-services/vitd-order-sign").send(body).expect(200);
    expect(topics(res.body.cards)).toEqual([["repletion-cramp", "warning"]]);
  });

  it("order-select: selecting that order gives the same advice", async () => {
    const resources = deficientOn50000Weekly.resources.filter((r) => r.resourceType !== "MedicationStatement");
    const body = orderSelectBody({ prefetch: fullPrefetch(deficientOn50000Weekly.patient, resources), draftOrders: [draft50000Weekly] });
    const res = await request(app).post("/cds-services/vitd-order-select").send(body).expect(200);
    expect(topics(res.body.cards)).toEqual([["repletion-cramp", "warning"]]);
  });

  it("order-select: the 50,000 IU draft is in the basket but another order is selected → advice waits for its selection", async () => {
    const resources = deficientOn50000Weekly.resources.filter((r) => r.resourceType !== "MedicationStatement");
    const omeprazole: MedicationRequest = {
      resourceType: "MedicationRequest",
      id: "draft-ppi",
      status: "draft",
      intent: "order",
      subject: { reference: "Patient/pat-1" },
      medicationCodeableConcept: { text: "omeprazole 20 MG Delayed Release Oral Capsule" },
    };
    const body = orderSelectBody({
      prefetch: fullPrefetch(deficientOn50000Weekly.patient, resources),
      draftOrders: [draft50000Weekly, omeprazole],
      selections: ["MedicationRequest/draft-ppi"],
    });
    const res = await request(app).post("/cds-services/vitd-order-select").send(body).expect(200);
    expect(res.body).toEqual({ cards: [] });
  });

  it("order-sign: with no vitamin D anywhere and normal labs there is nothing to say", async () => {
    const resources = deficientOn50000Weekly.resources.filter((r) => r.resourceType === "Observation" && r.id === "ca-1");
    const body = orderSignBody({ prefetch: fullPrefetch(deficientOn50000Weekly.patient, resources), draftOrders: [] });
    const res = await request(app).post("/cds-services/vitd-order-sign").send(body).expect(200);
    expect(res.body).toEqual({ cards: [] });
  });

  it("the same request twice gives the same card uuid (feedback can refer to it)", async () => {
    const body = patientViewBody({ prefetch: fullPrefetch(deficientOn50000Weekly.patient, deficientOn50000Weekly.resources) });
    const a = await request(app).post("/cds-services/vitd-patient-view").send(body).expect(200);
    const b = await request(app).post("/cds-services/vitd-patient-view").send(body).expect(200);
    expect(a.body.cards[0].uuid).toBe(b.body.cards[0].uuid);
  });
});

// nock patches node:http for the whole worker process, beyond this file: undo it for the files that run next.
afterAll(() => nock.restore());
