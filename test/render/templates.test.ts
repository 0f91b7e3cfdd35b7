/** Card templates are validated at load: a broken template is rejected with its file and field named. */
import commonJson from "../../cards/common.json";
import repletionJson from "../../cards/repletion-cramp.json";
import toxicityJson from "../../cards/vitamin-d-toxicity.json";
import { validateTemplates } from "../../src/render";
import { fill } from "../../src/render/templates";

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const raw = () => ({ common: clone(commonJson), repletion: clone(repletionJson), toxicity: clone(toxicityJson) });

describe("card templates", () => {
  test("the shipped templates are valid", () => {
    expect(() => validateTemplates(raw())).not.toThrow();
  });

  test("a missing rule template is rejected, naming the rule", () => {
    const r = raw();
    delete (r.toxicity.rules as Record<string, unknown>)["toxicity.bolus-high"];
    expect(() => validateTemplates(r)).toThrow(/cards\/vitamin-d-toxicity\.json: rules\.toxicity\.bolus-high: missing template/);
  });

  test("a template for a rule that does not exist is rejected", () => {
    const r = raw();
    (r.repletion.rules as Record<string, unknown>)["repletion.typo"] = r.repletion.rules["repletion.mg-low"];
    expect(() => validateTemplates(r)).toThrow(/rules\.repletion\.typo: no rule has this id/);
  });

  test("an unknown placeholder is rejected, naming the template", () => {
    const r = raw();
    r.repletion.rules["repletion.mg-low"].summary = "{mgValue} — recheck";
    expect(() => validateTemplates(r)).toThrow(
      /cards\/repletion-cramp\.json: rules\.repletion\.mg-low\.summary: unknown placeholder \{mgValue\}/,
    );
  });

  test("an unbalanced brace is rejected", () => {
    const r = raw();
    r.common.missing["no-current-calcium"] = "No calcium in {days days";
    expect(() => validateTemplates(r)).toThrow(/cards\/common\.json: missing\.no-current-calcium: unbalanced/);
  });

  test("a missing label or an empty text is rejected", () => {
    const r = raw();
    delete (r.common.roleLabels as Record<string, unknown>)["magnesium"];
    r.toxicity.physiology = "";
    expect(() => validateTemplates(r)).toThrow(/cards\/common\.json: roleLabels\.magnesium/);
    const r2 = raw();
    r2.toxicity.physiology = "";
    expect(() => validateTemplates(r2)).toThrow(/cards\/vitamin-d-toxicity\.json: physiology/);
  });

  test("the pattern file must name its pattern", () => {
    const r = raw();
    r.toxicity.pattern = "repletion-cramp";
    expect(() => validateTemplates(r)).toThrow(/vitamin-d-toxicity\.json: pattern/);
  });

  test("fill replaces placeholders and tidies spacing", () => {
    expect(fill("{a} ran {b}, then {c}.", { a: "Mg", b: "", c: "stopped" })).toBe("Mg ran, then stopped.");
  });
});
