import { parseInline, parseMarkdown } from "../../launch/src/markdown";

describe("card detail markdown", () => {
  it("reads a pipe table with a header, escaped pipes and inline emphasis", () => {
    const blocks = parseMarkdown("| Test | Value |\n|---|:---:|\n| Mg | **1.1** mg/dL |\n| a \\| b | <5 |\n");
    expect(blocks).toEqual([
      {
        type: "table",
        header: [[{ type: "text", text: "Test" }], [{ type: "text", text: "Value" }]],
        rows: [
          [[{ type: "text", text: "Mg" }], [{ type: "strong", children: [{ type: "text", text: "1.1" }] }, { type: "text", text: " mg/dL" }]],
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
        content: [{ type: "text", text: '<img src=x onerror="alert(1)"> ' }, { type: "strong", children: [{ type: "text", text: "bold" }] }],
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
