/** Feedback body validation (CDS Hooks 2.0 "Feedback"), including the pre-2020 flat overrideReason. */
import { CdsError } from "../../src/errors";
import { parseFeedback } from "../../src/feedback/feedback-schema";

const TS = "2020-12-11T00:00:00Z";

function fieldOf(body: unknown): string | undefined {
  try {
    parseFeedback(body);
  } catch (e) {
    expect(e).toBeInstanceOf(CdsError);
    expect((e as CdsError).status).toBe(400);
    return (e as CdsError).toBody().field;
  }
  return undefined;
}

describe("parseFeedback — the spec's examples", () => {
  it("suggestion accepted", () => {
    const items = parseFeedback({
      feedback: [
        {
          card: "4e0a3a1e-3283-4575-ab82-028d55fe2719",
          outcome: "accepted",
          acceptedSuggestions: [{ id: "e56e1945-20b3-4393-8503-a1a20fd73152" }],
          outcomeTimestamp: TS,
        },
      ],
    });
    expect(items).toEqual([
      {
        card: "4e0a3a1e-3283-4575-ab82-028d55fe2719",
        outcome: "accepted",
        acceptedSuggestions: ["e56e1945-20b3-4393-8503-a1a20fd73152"],
        outcomeTimestamp: new Date(TS),
      },
    ]);
  });

  it("overridden without a reason", () => {
    expect(parseFeedback({ feedback: [{ card: "f6b95768", outcome: "overridden", outcomeTimestamp: TS }] })).toEqual([
      { card: "f6b95768", outcome: "overridden", acceptedSuggestions: [], outcomeTimestamp: new Date(TS) },
    ]);
  });

  it("overridden with reason Coding and userComment (2.0 shape)", () => {
    const [item] = parseFeedback({
      feedback: [
        {
          card: "9368d37b",
          outcome: "overridden",
          overrideReason: {
            reason: { code: "d7ecf885", system: "https://example.com/cds-hooks/override-reason-system" },
            userComment: "A comment entered by the clinician.",
          },
          outcomeTimestamp: TS,
        },
      ],
    });
    expect(item!.overrideReason).toEqual({
      system: "https://example.com/cds-hooks/override-reason-system",
      code: "d7ecf885",
      userComment: "A comment entered by the clinician.",
    });
  });

  it("overridden with the legacy flat {code, system} (old sandbox)", () => {
    const [item] = parseFeedback({
      feedback: [
        {
          card: "c",
          outcome: "overridden",
          overrideReason: { code: "lab-ordered", system: "https://x.example/reasons", userComment: "drawn" },
          outcomeTimestamp: TS,
        },
      ],
    });
    expect(item!.overrideReason).toEqual({ system: "https://x.example/reasons", code: "lab-ordered", userComment: "drawn" });
  });

  it("comment-only override reason", () => {
    const [item] = parseFeedback({
      feedback: [{ card: "c", outcome: "overridden", overrideReason: { userComment: "patient declined" }, outcomeTimestamp: TS }],
    });
    expect(item!.overrideReason).toEqual({ userComment: "patient declined" });
  });

  it("several items, an offset timestamp, and unknown fields such as extension are tolerated", () => {
    const items = parseFeedback({
      extension: { "org.example": 1 },
      feedback: [
        { card: "a", outcome: "overridden", outcomeTimestamp: "2020-12-11T02:00:00.5+02:00", extension: { x: 1 } },
        { card: "b", outcome: "accepted", acceptedSuggestions: [{ id: "s" }], outcomeTimestamp: TS },
      ],
    });
    expect(items.map((i) => [i.card, i.outcomeTimestamp.toISOString()])).toEqual([
      ["a", "2020-12-11T00:00:00.500Z"],
      ["b", "2020-12-11T00:00:00.000Z"],
    ]);
  });
});

describe("parseFeedback — 400 naming the field", () => {
  const ok = { card: "c", outcome: "overridden", outcomeTimestamp: TS };
  it.each<[string, unknown, string]>([
    ["not an object", [ok], "(body)"],
    ["null body", null, "(body)"],
    ["no feedback array", {}, "feedback"],
    ["empty feedback array", { feedback: [] }, "feedback"],
    ["missing card", { feedback: [{ outcome: "overridden", outcomeTimestamp: TS }] }, "feedback[0].card"],
    ["empty card", { feedback: [{ ...ok, card: "" }] }, "feedback[0].card"],
    ["card not a string", { feedback: [{ ...ok, card: 42 }] }, "feedback[0].card"],
    ["missing outcome", { feedback: [{ card: "c", outcomeTimestamp: TS }] }, "feedback[0].outcome"],
    ["unknown outcome", { feedback: [{ ...ok, outcome: "ignored" }] }, "feedback[0].outcome"],
    ["missing outcomeTimestamp", { feedback: [{ card: "c", outcome: "overridden" }] }, "feedback[0].outcomeTimestamp"],
    ["outcomeTimestamp not ISO", { feedback: [{ ...ok, outcomeTimestamp: "11/12/2020" }] }, "feedback[0].outcomeTimestamp"],
    [
      "outcomeTimestamp impossible date",
      { feedback: [{ ...ok, outcomeTimestamp: "2020-02-30T00:00:00Z" }] },
      "feedback[0].outcomeTimestamp",
    ],
    ["accepted without acceptedSuggestions", { feedback: [{ ...ok, outcome: "accepted" }] }, "feedback[0].acceptedSuggestions"],
    [
      "accepted with an empty acceptedSuggestions",
      { feedback: [{ ...ok, outcome: "accepted", acceptedSuggestions: [] }] },
      "feedback[0].acceptedSuggestions",
    ],
    [
      "suggestion without id",
      { feedback: [{ ...ok, outcome: "accepted", acceptedSuggestions: [{}] }] },
      "feedback[0].acceptedSuggestions[0].id",
    ],
    ["second item bad", { feedback: [ok, { ...ok, card: null }] }, "feedback[1].card"],
    [
      "overrideReason.reason without system",
      { feedback: [{ ...ok, overrideReason: { reason: { code: "x" } } }] },
      "feedback[0].overrideReason",
    ],
    ["overrideReason empty", { feedback: [{ ...ok, overrideReason: {} }] }, "feedback[0].overrideReason"],
    [
      "huge userComment",
      { feedback: [{ ...ok, overrideReason: { userComment: "x".repeat(10_001) } }] },
      "feedback[0].overrideReason.userComment",
    ],
  ])("%s", (_name, body, field) => {
    expect(fieldOf(body)).toBe(field);
  });
});
