/** The zod schema of a CDS Hooks 2.0 card rejects what the spec forbids. */
import { cardSchema, type Card } from "../../src/render";

const valid: Card = {
  uuid: "2ed6657d-e927-568b-95e1-2665a8aea6a2",
  summary: "Mg 1.1 mg/dL (2025-06-14) — replace Mg",
  indicator: "critical",
  source: { label: "vitd-cds", topic: { system: "https://vitd-cds.example.org/pattern", code: "repletion-cramp" } },
  suggestions: [
    {
      label: "Order Mg",
      actions: [{ type: "create", description: "Order Mg", resource: { resourceType: "ServiceRequest", status: "draft" } }],
    },
  ],
  selectionBehavior: "any",
  overrideReasons: [{ system: "https://x.org", code: "a", display: "Already addressed" }],
  links: [{ label: "App", url: "https://cds.example.org/smart/launch.html", type: "smart", appContext: "{}" }],
};

const broken = (patch: (c: Record<string, unknown>) => void) => {
  const c = JSON.parse(JSON.stringify(valid)) as Record<string, unknown>;
  patch(c);
  return c;
};

describe("card schema", () => {
  test("accepts a valid card", () => expect(cardSchema.safeParse(valid).success).toBe(true));

  test.each([
    ["summary of 140 characters", (c: Record<string, unknown>) => (c["summary"] = "x".repeat(140))],
    ["unknown indicator", (c: Record<string, unknown>) => (c["indicator"] = "hard-stop")],
    ["source without label", (c: Record<string, unknown>) => (c["source"] = { topic: { system: "s", code: "c" } })],
    ["suggestions without selectionBehavior", (c: Record<string, unknown>) => delete c["selectionBehavior"]],
    [
      "uppercase action type",
      (c: Record<string, unknown>) => ((c["suggestions"] as { actions: { type: string }[] }[])[0]!.actions[0]!.type = "CREATE"),
    ],
    [
      "create without resource",
      (c: Record<string, unknown>) => delete (c["suggestions"] as { actions: Record<string, unknown>[] }[])[0]!.actions[0]!["resource"],
    ],
    [
      "delete without resourceId",
      (c: Record<string, unknown>) =>
        ((c["suggestions"] as { actions: Record<string, unknown>[] }[])[0]!.actions[0] = { type: "delete", description: "d" }),
    ],
    [
      "action without description",
      (c: Record<string, unknown>) => delete (c["suggestions"] as { actions: Record<string, unknown>[] }[])[0]!.actions[0]!["description"],
    ],
    ["override reason without display", (c: Record<string, unknown>) => (c["overrideReasons"] = [{ system: "s", code: "c" }])],
    [
      "appContext on an absolute link",
      (c: Record<string, unknown>) => (c["links"] = [{ label: "l", url: "https://x.org", type: "absolute", appContext: "{}" }]),
    ],
    ["relative link url", (c: Record<string, unknown>) => (c["links"] = [{ label: "l", url: "/smart/launch.html", type: "smart" }])],
    ["empty detail", (c: Record<string, unknown>) => (c["detail"] = "")],
    ["empty suggestions array", (c: Record<string, unknown>) => (c["suggestions"] = [])],
    ["null value", (c: Record<string, unknown>) => (c["detail"] = null)],
    [
      "empty object inside a resource",
      (c: Record<string, unknown>) =>
        ((c["suggestions"] as { actions: { resource: Record<string, unknown> }[] }[])[0]!.actions[0]!.resource["code"] = {}),
    ],
    ["non-UUID uuid", (c: Record<string, unknown>) => (c["uuid"] = "card-1")],
  ])("rejects %s", (_name, patch) => {
    expect(cardSchema.safeParse(broken(patch)).success).toBe(false);
  });
});
