/**
 * The stages after the engine are separate and run in order: hide suppressed cards → record the cards shown
 * (never the hidden ones) → observers see both lists.
 */
import { defaultClinicalConfig } from "../../src/config/clinical-config";
import { runHook, type CardStages, type HookCall } from "../../src/cds/pipeline";
import type { Card } from "../../src/render";
import { Limiter } from "../../src/net/limiter";
import { deficientOn50000Weekly, toxicity10000Daily } from "../fixtures/hooks";
import { fullPrefetch, patientViewBody } from "../../devkit/hook-requests";
import { TEST_NOW } from "../helpers/test-app";

const deps = (cards: CardStages) => ({
  clinicalConfig: defaultClinicalConfig,
  clock: () => TEST_NOW,
  serviceLabel: "vitd-cds",
  dataAccess: {
    httpGet: () => Promise.reject(new Error("no fetch expected")),
    timeoutMs: 1000,
    maxPages: 1,
    maxResponseBytes: 1_000_000,
    limiter: new Limiter(1),
    isFhirServerAllowed: () => false,
  },
  cards,
});
const topic = (c: Card) => c.source.topic?.code;
// Deficient, Mg 1.4 three weeks into 50,000 IU weekly: one repletion-cramp card, which the stub below hides.
const body = patientViewBody({
  fhirServer: null,
  prefetch: fullPrefetch(deficientOn50000Weekly.patient, deficientOn50000Weekly.resources),
});

describe("pipeline stages after the engine", () => {
  it("records only the cards shown, and observers see shown and hidden", async () => {
    const log: string[] = [];
    const recorded: (string | undefined)[] = [];
    let observed: { shown: (string | undefined)[]; hidden: (string | undefined)[] } | undefined;
    const stages: CardStages = {
      hideSuppressed: (cards) => {
        log.push("hide");
        return Promise.resolve(cards.slice(1));
      },
      recordIssued: (shown, call: HookCall) => {
        log.push("record");
        expect(call.req.patientId).toBe("pat-1");
        recorded.push(...shown.map(topic));
        return Promise.resolve();
      },
      observers: [
        ({ shown, hidden }) => {
          log.push("observe");
          observed = { shown: shown.map(topic), hidden: hidden.map(topic) };
        },
      ],
    };
    const { cards } = await runHook("vitd-patient-view", body, deps(stages), { baseUrl: undefined });
    expect(log).toEqual(["hide", "record", "observe"]);
    expect(cards).toEqual([]);
    expect(recorded).toEqual([]);
    expect(observed).toEqual({ shown: [], hidden: ["repletion-cramp"] });
  });

  it("without stages the engine's cards are returned as they are", async () => {
    const tox = patientViewBody({
      fhirServer: null,
      patientId: "pat-2",
      prefetch: fullPrefetch(toxicity10000Daily.patient, toxicity10000Daily.resources),
    });
    const { cards } = await runHook("vitd-patient-view", tox, deps({}), { baseUrl: undefined });
    expect(cards.map(topic)).toEqual(["vitamin-d-toxicity"]);
  });
});
