/**
 * docs/clinical-logic.md §13 lists every lab code the rules read; this keeps the doc and
 * src/fhir/code-sets/labs.json from drifting apart, and the repo self-contained (no document it cites is missing).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import labs from "../../src/fhir/code-sets/labs.json";

const root = join(__dirname, "..", "..");
const doc = readFileSync(join(root, "docs", "clinical-logic.md"), "utf8");
const section13 = doc.slice(doc.indexOf("## 13. Inputs"));

describe("docs/clinical-logic.md §13 and the lab code table", () => {
  const tableCodes = labs.codes.map((c) => c.code).sort();
  const docCodes = [...section13.matchAll(/\b\d{1,6}-\d\b/g)].map((m) => m[0]);

  it("has the section", () => {
    expect(section13.length).toBeGreaterThan(500);
  });

  it("names every LOINC code of labs.json", () => {
    expect(tableCodes.filter((c) => !docCodes.includes(c))).toEqual([]);
  });

  it("names no LOINC code the table does not hold", () => {
    expect([...new Set(docCodes)].filter((c) => !tableCodes.includes(c))).toEqual([]);
  });
});
