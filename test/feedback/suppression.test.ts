/**
 * Alert-fatigue control: a card overridden (or accepted) for a patient is hidden for CDS_SUPPRESS_DAYS
 * unless its indicator rises or its evidence changes. Driven through the real pipeline stages (hide suppressed,
 * then record the cards shown) and the SQLite store.
 */
import pino from "pino";
import { SqliteFeedbackStore } from "../../src/feedback/sqlite-store";
import type { FeedbackStore } from "../../src/feedback/store";
import { createSuppression, evidenceFingerprint } from "../../src/feedback/suppression";

const DAY = 86_400_000;
const TENANT = { issuer: "open", origin: "https://ehr.example.org" };
const T0 = new Date("2026-06-01T12:00:00Z");

interface FakeFinding {
  pattern: string;
  patientId: string;
  evidence: { role: string; id: string; date: string; original: { value: string; unit: string } }[];
  regimen: { products: Record<string, unknown>[] };
}

const mgLab = { role: "magnesium", id: "Observation/mg-1", date: "2026-05-30", original: { value: "1.4", unit: "mg/dL" } };
const d3 = {
  id: "MedicationStatement/d3",
  source: "statement",
  status: "active",
  doseText: "50,000 IU once weekly",
  dailyIU: 7143,
  dailyMcg: null,
  startDaysAgo: 21,
};

function finding(over: Partial<FakeFinding> = {}): FakeFinding {
  return { pattern: "repletion-cramp", patientId: "pat-1", evidence: [mgLab], regimen: { products: [d3] }, ...over };
}

function card(pattern: string, indicator: string, uuid: string) {
  return {
    uuid,
    summary: "s",
    indicator,
    source: { label: "vitd-cds", topic: { system: "https://vitd-cds.example.org/pattern", code: pattern } },
  };
}

let store: FeedbackStore;
let now: Date;
type Stages = ReturnType<typeof createSuppression>;
let filter: Stages;
const errors: string[] = [];

function makeFilter(days = 30, s: FeedbackStore = store): Stages {
  const logger = pino({ level: "error" }, { write: (line: string) => errors.push(line) });
  return createSuppression({ store: s, suppressDays: days, clock: () => now, logger });
}

/** One hook call's cards through both stages, in the pipeline's order: the uuids shown. */
async function show(cards: ReturnType<typeof card>[], findings: FakeFinding[], patientId = "pat-1"): Promise<string[]> {
  const req = { hook: "patient-view", hookInstance: "h", patientId, userId: "Practitioner/1", draftOrders: [] };
  const call = { req, result: { facts: {}, findings, cards }, tenant: TENANT } as never;
  const shown = await filter.hideSuppressed(cards as never, call);
  await filter.recordIssued(shown, call);
  return (shown as unknown as { uuid: string }[]).map((c) => c.uuid);
}

async function feedback(uuid: string, outcome: "overridden" | "accepted", at = now) {
  await store.saveFeedback([
    {
      serviceId: "vitd-patient-view",
      card: uuid,
      outcome,
      acceptedSuggestions: outcome === "accepted" ? ["s-1"] : [],
      outcomeTimestamp: at,
      receivedAt: at,
    },
  ]);
}

beforeEach(() => {
  store = new SqliteFeedbackStore(":memory:");
  now = T0;
  filter = makeFilter();
  errors.length = 0;
});
afterEach(() => store.close());

const cramp = (indicator = "warning", uuid = "u-cramp") => card("repletion-cramp", indicator, uuid);
const tox = card("vitamin-d-toxicity", "critical", "u-tox");
const toxFinding = finding({
  pattern: "vitamin-d-toxicity",
  evidence: [{ role: "vitamin-d", id: "Observation/d-1", date: "2026-05-01", original: { value: "160", unit: "ng/mL" } }],
});

it("records every card shown, with patient, pattern, indicator and evidence fingerprint", async () => {
  expect(await show([cramp()], [finding()])).toEqual(["u-cramp"]);
  expect(await store.issuedCard("u-cramp")).toEqual({
    uuid: "u-cramp",
    tenant: TENANT,
    hook: "patient-view",
    patientId: "pat-1",
    pattern: "repletion-cramp",
    indicator: "warning",
    fingerprint: evidenceFingerprint(finding() as never),
    issuedAt: T0,
  });
});

it("an overridden card is hidden on the next call; the other pattern's card is still shown", async () => {
  await show([cramp(), tox], [finding(), toxFinding]);
  await feedback("u-cramp", "overridden");
  now = new Date(T0.getTime() + DAY);
  expect(await show([cramp(), tox], [finding(), toxFinding])).toEqual(["u-tox"]);
});

it("an accepted suggestion is remembered the same way", async () => {
  await show([cramp()], [finding()]);
  await feedback("u-cramp", "accepted");
  expect(await show([cramp()], [finding()])).toEqual([]);
});

it("shown again when the indicator rises (warning → critical), still hidden when it falls (→ info)", async () => {
  await show([cramp("warning")], [finding()]);
  await feedback("u-cramp", "overridden");
  expect(await show([cramp("critical")], [finding()])).toEqual(["u-cramp"]);
  expect(await show([cramp("info")], [finding()])).toEqual([]);
});

it("shown again when the evidence changes: a new lab, or a new dose", async () => {
  await show([cramp()], [finding()]);
  await feedback("u-cramp", "overridden");
  const newLab = finding({
    evidence: [{ ...mgLab, id: "Observation/mg-2", date: "2026-06-05", original: { value: "1.3", unit: "mg/dL" } }],
  });
  expect(await show([cramp("warning", "u-cramp-2")], [newLab])).toEqual(["u-cramp-2"]);
  const newDose = finding({ regimen: { products: [{ ...d3, doseText: "50,000 IU twice weekly", dailyIU: 14286 }] } });
  expect(await show([cramp("warning", "u-cramp-3")], [newDose])).toEqual(["u-cramp-3"]);
});

it("the same evidence on a later day is the same fingerprint (day-dependent values are not part of it)", () => {
  const later = finding({ regimen: { products: [{ ...d3, startDaysAgo: 35 }] } });
  expect(evidenceFingerprint(later as never)).toBe(evidenceFingerprint(finding() as never));
  expect(evidenceFingerprint(finding({ patientId: "pat-2" }) as never)).not.toBe(evidenceFingerprint(finding() as never));
});

it("hidden for CDS_SUPPRESS_DAYS (30) after the override, shown after", async () => {
  await show([cramp()], [finding()]);
  await feedback("u-cramp", "overridden");
  now = new Date(T0.getTime() + 30 * DAY);
  expect(await show([cramp()], [finding()])).toEqual([]);
  now = new Date(T0.getTime() + 30 * DAY + 1);
  expect(await show([cramp()], [finding()])).toEqual(["u-cramp"]);
});

it("another patient with identical-looking content is not affected", async () => {
  await show([cramp()], [finding()]);
  await feedback("u-cramp", "overridden");
  expect(await show([cramp("warning", "u-other")], [finding({ patientId: "pat-2" })], "pat-2")).toEqual(["u-other"]);
});

it("suppressDays 0 turns suppression off (cards are still recorded)", async () => {
  filter = makeFilter(0);
  await show([cramp()], [finding()]);
  await feedback("u-cramp", "overridden");
  expect(await show([cramp()], [finding()])).toEqual(["u-cramp"]);
});

it("fails open: if the store fails, every card is shown and the error is logged", async () => {
  const broken: FeedbackStore = {
    ...store,
    kind: "sqlite",
    suppressionsFor: () => Promise.reject(new Error("disk gone")),
    recordIssuedCards: () => Promise.reject(new Error("disk gone")),
  };
  filter = makeFilter(30, broken);
  expect(await show([cramp()], [finding()])).toEqual(["u-cramp"]);
  expect(errors.join("\n")).toMatch(/suppression lookup failed/);
  expect(errors.join("\n")).toMatch(/could not record issued cards/);
});

it("no cards → no database work", async () => {
  const untouched: FeedbackStore = {
    suppressionsFor: () => {
      throw new Error("must not be called");
    },
    recordIssuedCards: () => {
      throw new Error("must not be called");
    },
  } as unknown as FeedbackStore;
  filter = makeFilter(30, untouched);
  expect(await show([], [])).toEqual([]);
});
