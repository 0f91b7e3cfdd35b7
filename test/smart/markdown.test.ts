import { performance } from "node:perf_hooks";
import { parseInline, parseMarkdown } from "../../launch/src/markdown";

describe("card detail markdown", () => {
  it("reads a pipe table with a header, escaped pipes and inline emphasis", () => {
    const blocks = parseMarkdown("| Test | Value |\n|---|:---:|\n| Mg | **1.1** mg/dL |\n| a \\| b | <5 |\n");
    expect(blocks).toEqual([
      {
        type: "table",
        header: [[{ type: "text", text: "Test" }], [{ type: "text", text: "Value" }]],
        rows: [
          [
            [{ type: "text", text: "Mg" }],
            [
              { type: "strong", children: [{ type: "text", text: "1.1" }] },
              { type: "text", text: " mg/dL" },
            ],
          ],
          [[{ type: "text", text: "a | b" }], [{ type: "text", text: "<5" }]],
        ],
      },
    ]);
  });

  it("keeps HTML as plain text (it is never interpreted)", () => {
    const blocks = parseMarkdown('<img src=x onerror="alert(1)"> **bold**');
    expect(blocks).toEqual([
      {
        type: "paragraph",
        content: [
          { type: "text", text: '<img src=x onerror="alert(1)"> ' },
          { type: "strong", children: [{ type: "text", text: "bold" }] },
        ],
      },
    ]);
  });

  it("reads headings, lists and paragraphs joined across lines", () => {
    const blocks = parseMarkdown("### Evidence\n\n- one\n- two\n\n1. first\n2. second\n\nline one\nline two");
    expect(blocks.map((b) => b.type)).toEqual(["heading", "list", "list", "paragraph"]);
    expect(blocks[0]).toMatchObject({ level: 3 });
    expect(blocks[1]).toMatchObject({ ordered: false, items: [[{ text: "one" }], [{ text: "two" }]] });
    expect(blocks[2]).toMatchObject({ ordered: true });
    expect(blocks[3]).toEqual({ type: "paragraph", content: [{ type: "text", text: "line one line two" }] });
  });

  it("links only http(s) targets; other schemes stay text", () => {
    expect(parseInline("[PubMed](https://pubmed.ncbi.nlm.nih.gov/1)")).toEqual([
      { type: "link", href: "https://pubmed.ncbi.nlm.nih.gov/1", children: [{ type: "text", text: "PubMed" }] },
    ]);
    const unsafe = parseInline("[x](javascript:alert(1))");
    expect(unsafe.every((n) => n.type === "text")).toBe(true);
    expect(unsafe.map((n) => (n.type === "text" ? n.text : "")).join("")).toBe("[x](javascript:alert(1))");
  });

  it("does not read snake_case words or spaced asterisks as emphasis", () => {
    expect(parseInline("use_for_magnesium and 2 * 3 * 4")).toEqual([{ type: "text", text: "use_for_magnesium and 2 * 3 * 4" }]);
  });
});

/** Median cost (ms) of `work` over 3 runs. */
function cost(work: () => void): number {
  const times = [0, 1, 2].map(() => {
    const t0 = performance.now();
    work();
    return performance.now() - t0;
  });
  return times.sort((a, b) => a - b)[1]!;
}

describe("hostile card text costs linear time (100 kB ≈ 100 × 1 kB; no wall-clock thresholds)", () => {
  it.each([
    ["underscore emphasis openers (the red-team string)", (n: number) => "_a".repeat(n / 2)],
    ["asterisk openers", (n: number) => "*a".repeat(n / 2)],
    ["unclosed link brackets", (n: number) => "[a](".repeat(n / 4)],
    ["backtick runs", (n: number) => "`a``".repeat(n / 4)],
  ])("%s", (_name, make) => {
    const small = make(1_000);
    const large = make(100_000);
    parseMarkdown(small);
    const tSmall = cost(() => {
      for (let i = 0; i < 100; i++) parseMarkdown(small);
    });
    const tLarge = cost(() => parseMarkdown(large));
    // Linear: ≈ 1. The regex grammar this replaced: ≈ 100 (4 s for "_a" × 25,000 in a browser).
    expect(tLarge / Math.max(tSmall, 1e-3)).toBeLessThan(10);
  });

  it("reads the red-team string as text", () => {
    const blocks = parseMarkdown("_a".repeat(25_000));
    expect(blocks).toHaveLength(1);
    expect(JSON.stringify(blocks)).toContain("_a_a");
  });
});
