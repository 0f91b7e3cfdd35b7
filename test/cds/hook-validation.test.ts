import request from "supertest";
import { fullPrefetch, orderSelectBody, orderSignBody, patientViewBody } from "../../devkit/hook-requests";
import { deficientOn50000Weekly } from "../fixtures/hooks";
import { buildTestApp } from "../helpers/test-app";

type Body = Record<string, any>;
const pv = () => patientViewBody({ prefetch: {} }) as Body;

/** [situation, service, body, field the 400 must name] */
const malformed: Array<[string, string, unknown, string]> = [
  ["body is a JSON array", "vitd-patient-view", [], "(body)"],
  ["body is a JSON string", "vitd-patient-view", "patient-view", "(body)"],
  [
    "hook missing",
    "vitd-patient-view",
    (() => {
      const b = pv();
      delete b.hook;
      return b;
    })(),
    "hook",
  ],
  ["hook does not match the service", "vitd-patient-view", { ...pv(), hook: "order-sign" }, "hook"],
  [
    "hookInstance missing",
    "vitd-patient-view",
    (() => {
      const b = pv();
      delete b.hookInstance;
      return b;
    })(),
    "hookInstance",
  ],
  ["hookInstance not a UUID", "vitd-patient-view", { ...pv(), hookInstance: "12345" }, "hookInstance"],
  [
    "context missing",
    "vitd-patient-view",
    (() => {
      const b = pv();
      delete b.context;
      return b;
    })(),
    "context",
  ],
  ["context is an array", "vitd-patient-view", { ...pv(), context: [] }, "context"],
  ["patientId missing", "vitd-patient-view", { ...pv(), context: { userId: "Practitioner/1" } }, "context.patientId"],
  ["userId missing", "vitd-patient-view", { ...pv(), context: { patientId: "p1" } }, "context.userId"],
  [
    "patientId with URL characters (query injection)",
    "vitd-patient-view",
    { ...pv(), context: { userId: "Practitioner/1", patientId: "p1&_count=9999" } },
    "context.patientId",
  ],
  ["userId not a reference", "vitd-patient-view", { ...pv(), context: { userId: "dr-smith", patientId: "p1" } }, "context.userId"],
  ["fhirServer not a URL", "vitd-patient-view", { ...pv(), fhirServer: "not a url" }, "fhirServer"],
  ["fhirServer with a non-http scheme", "vitd-patient-view", { ...pv(), fhirServer: "file:///etc/passwd" }, "fhirServer"],
  [
    "fhirAuthorization without fhirServer",
    "vitd-patient-view",
    (() => {
      const b = pv();
      delete b.fhirServer;
      return b;
    })(),
    "fhirServer",
  ],
  [
    "fhirAuthorization without access_token",
    "vitd-patient-view",
    { ...pv(), fhirAuthorization: { ...pv().fhirAuthorization, access_token: undefined } },
    "fhirAuthorization.access_token",
  ],
  [
    "fhirAuthorization token_type not Bearer",
    "vitd-patient-view",
    { ...pv(), fhirAuthorization: { ...pv().fhirAuthorization, token_type: "MAC" } },
    "fhirAuthorization.token_type",
  ],
  [
    "fhirAuthorization expires_in a string",
    "vitd-patient-view",
    { ...pv(), fhirAuthorization: { ...pv().fhirAuthorization, expires_in: "300" } },
    "fhirAuthorization.expires_in",
  ],
  ["prefetch is an array", "vitd-patient-view", { ...pv(), prefetch: [] }, "prefetch"],
  ["prefetch value without resourceType", "vitd-patient-view", { ...pv(), prefetch: { patient: { id: "p1" } } }, "prefetch.patient"],
  ["prefetch value is a string", "vitd-patient-view", { ...pv(), prefetch: { patient: "Patient/p1" } }, "prefetch.patient"],
  [
    "order-sign without draftOrders",
    "vitd-order-sign",
    (() => {
      const b = orderSignBody() as Body;
      delete b.context.draftOrders;
      return b;
    })(),
    "context.draftOrders",
  ],
  [
    "order-sign draftOrders not a Bundle",
    "vitd-order-sign",
    (() => {
      const b = orderSignBody() as Body;
      b.context.draftOrders = { resourceType: "MedicationRequest" };
      return b;
    })(),
    "context.draftOrders.resourceType",
  ],
  [
    "order-sign draft entry without resource type",
    "vitd-order-sign",
    (() => {
      const b = orderSignBody() as Body;
      b.context.draftOrders.entry = [{ resource: { id: "x" } }];
      return b;
    })(),
    "context.draftOrders.entry[0].resource.resourceType",
  ],
  [
    "order-select without selections",
    "vitd-order-select",
    (() => {
      const b = orderSelectBody() as Body;
      delete b.context.selections;
      return b;
    })(),
    "context.selections",
  ],
  [
    "order-select with empty selections",
    "vitd-order-select",
    (() => {
      const b = orderSelectBody() as Body;
      b.context.selections = [];
      return b;
    })(),
    "context.selections",
  ],
  [
    "order-select selection not a reference",
    "vitd-order-select",
    (() => {
      const b = orderSelectBody() as Body;
      b.context.selections = ["vitamin D"];
      return b;
    })(),
    "context.selections[0]",
  ],
];

describe("malformed hook requests → 400 naming the bad field, never 500", () => {
  const app = buildTestApp();

  it.each(malformed)("%s", async (_situation, service, body, field) => {
    const res = await request(app).post(`/cds-services/${service}`).set("content-type", "application/json").send(JSON.stringify(body));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("invalid_request");
    expect(res.body.field).toBe(field);
    expect(typeof res.body.message).toBe("string");
  });

  it("invalid JSON → 400", async () => {
    const res = await request(app).post("/cds-services/vitd-patient-view").set("content-type", "application/json").send('{"hook": ');
    expect(res.status).toBe(400);
    expect(res.body.field).toBe("(body)");
  });

  it("has at least 15 kinds of malformed body", () => {
    expect(malformed.length).toBeGreaterThanOrEqual(15);
  });
});

describe("a patient-view context may carry other hooks' fields: they are not read", () => {
  const app = buildTestApp();
  const full = () => patientViewBody({ prefetch: fullPrefetch(deficientOn50000Weekly.patient, deficientOn50000Weekly.resources) }) as Body;
  const withContext = (extra: Record<string, unknown>) => {
    const b = full();
    return { ...b, context: { ...b.context, ...extra } };
  };

  it.each<[string, Record<string, unknown>]>([
    ["draftOrders whose entry is a string", { draftOrders: { resourceType: "Bundle", entry: "x" } }],
    ["draftOrders whose entry holds a number", { draftOrders: { resourceType: "Bundle", entry: [{ resource: 5 }] } }],
    ["draftOrders that is not an object", { draftOrders: 7 }],
    ["selections that is a number", { selections: 5 }],
  ])("%s → 200 with the cards of the plain request", async (_situation, extra) => {
    const plain = await request(app).post("/cds-services/vitd-patient-view").send(full());
    const res = await request(app).post("/cds-services/vitd-patient-view").send(withContext(extra));
    expect(plain.status).toBe(200);
    expect(plain.body.cards.length).toBeGreaterThan(0);
    expect(res.status).toBe(200);
    expect(res.body.cards.map((c: { summary: string }) => c.summary)).toEqual(plain.body.cards.map((c: { summary: string }) => c.summary));
  });
});
