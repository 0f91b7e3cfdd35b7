/**
 * Card text from FHIR data is inert: a medication name, a reference-range text, an interpretation
 * or a condition display carrying markdown or HTML must render as plain text in a CommonMark/GFM
 * renderer (markdown-it, also with raw HTML and linkify on, as permissive EHR renderers are):
 * no link, image, emphasis, code span or HTML element comes from the data — and the words are still there.
 */
import type { Condition, MedicationStatement, Observation } from "fhir/r4";
import MarkdownIt from "markdown-it";
import { defaultClinicalConfig } from "../../src/config/clinical-config";
import { runEngine } from "../../src/engine";
import { inertMarkdown } from "../../src/render/inert-markdown";
import { clinicalResources, condition, medicationStatement, observation, patient, RXNORM_INGREDIENT } from "../fixtures/fhir/builders";

const NOW = new Date("2026-06-01T12:00:00Z");
const PHISH = "[Click here for updated dosing](https://evil.example/phish)";
const HOSTILE = `${PHISH} <img src=x onerror=alert(1)> **URGENT** _now_ \`rm\` ~~old~~ www.evil.example https://evil.example/a <https://evil.example/b> &amp; me@evil.example | x`;

const renderers = {
  commonmark: new MarkdownIt("commonmark", { html: true }),
  "gfm + html + linkify": new MarkdownIt("default", { html: true, linkify: true }),
};

function hostileRecord() {
  const vitd: MedicationStatement = medicationStatement({
    name: `Cholecalciferol 50,000 IU capsule ${HOSTILE}`,
    rxnorm: RXNORM_INGREDIENT.cholecalciferol,
    dose: { value: 50_000, unit: "[iU]" },
    timing: "QD",
    start: "2025-10-01",
  });
  const ca: Observation = observation({
    loinc: "17861-6",
    value: 12.8,
    unit: "mg/dL",
    date: "2026-05-28",
    referenceRange: { low: 8.5, high: 10.5, text: `8.5-10.5 ${PHISH}` },
  });
  ca.interpretation = [{ text: `High ${HOSTILE}` }];
  const vitdLab = observation({ loinc: "62292-8", value: 182, unit: "ng/mL", date: "2026-05-28" });
  const thiazide: MedicationStatement = medicationStatement({
    name: `Hydrochlorothiazide 25 mg ${PHISH}`,
    rxnorm: RXNORM_INGREDIENT.hydrochlorothiazide,
    start: "2025-01-01",
  });
  const sarcoid: Condition = condition({ code: "31541009", display: `Sarcoidosis ${HOSTILE}` });
  return clinicalResources({
    patient: patient(),
    observations: [ca, vitdLab],
    medicationStatements: [vitd, thiazide],
    conditions: [sarcoid],
  });
}

function cards() {
  const { cards } = runEngine(hostileRecord(), {
    config: defaultClinicalConfig,
    now: NOW,
    render: { hook: "patient-view", patientId: "pat-1", serviceLabel: "vitd-cds", draftOrders: [] },
  });
  return cards;
}

describe("card detail rendered by CommonMark renderers has no markup from FHIR data", () => {
  const rendered = cards();

  it("the hostile record still gives its toxicity card, and the data is shown in it", () => {
    expect(rendered.map((c) => [c.source.topic?.code, c.indicator])).toContainEqual(["vitamin-d-toxicity", "critical"]);
    const detail = rendered.find((c) => c.source.topic?.code === "vitamin-d-toxicity")?.detail ?? "";
    expect(detail).toContain("Click here for updated dosing");
  });

  describe.each(Object.entries(renderers))("%s", (_name, md) => {
    const htmls = rendered.map((c) => md.render(c.detail ?? ""));

    it("no link or image at all (our templates have none)", () => {
      for (const html of htmls) {
        expect(html).not.toMatch(/<a\b/i);
        expect(html).not.toMatch(/<img\b/i);
      }
    });

    it("no emphasis, code or strikethrough around the data, and no raw HTML element", () => {
      for (const html of htmls) {
        expect(html).not.toMatch(/<(em|strong|code|del|s)>[^<]*(URGENT|now|rm|old)[^<]*<\/\1>/);
        expect(html).not.toMatch(/<(script|img|iframe|svg)\b/i);
      }
    });

    it("the words of the data survive as text (escaped, not dropped)", () => {
      const text = htmls.join("\n");
      expect(text).toContain("**URGENT**");
      expect(text).toContain("&lt;img src=x onerror=alert(1)&gt;");
      expect(text).toContain("www.evil.example");
    });
  });
});

describe("inertMarkdown", () => {
  it.each([
    ["[x](https://e.example)", "\\[x\\](https\\://e\\.example)"],
    ["# heading", "\\# heading"],
    ["- item", "\\- item"],
    ["1. first", "1\\. first"],
    ["a\nb\n\n  c", "a b c"],
    ["Vitamin D3 1.25 mg (50,000 IU)", "Vitamin D3 1.25 mg (50,000 IU)"],
  ])("%j → %j", (input, expected) => {
    expect(inertMarkdown(input)).toBe(expected);
  });
});
