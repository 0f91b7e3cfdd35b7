/** Renders the markdown tree (markdown.ts) as DOM nodes. Text is set as text: HTML in card text stays inert. */
import { h, type Child } from "./dom";
import { parseMarkdown, type Block, type Inline } from "./markdown";

/** A cell that starts with an ISO date ("2026-05-28", "2026-05-28 (3 days ago)"): kept on one line, never "2026-/05-28". */
const DATE_CELL = /^\d{4}-\d{2}-\d{2}\b/;

function plainText(nodes: Inline[]): string {
  return nodes.map((n) => (n.type === "text" || n.type === "code" ? n.text : plainText(n.children))).join("");
}

function inline(nodes: Inline[]): Child[] {
  return nodes.map((node) => {
    switch (node.type) {
      case "text":
        return node.text;
      case "strong":
        return h("strong", {}, inline(node.children));
      case "em":
        return h("em", {}, inline(node.children));
      case "code":
        return h("code", {}, node.text);
      case "link":
        return h("a", { href: node.href, target: "_blank", rel: "noopener noreferrer" }, inline(node.children));
    }
  });
}

function block(b: Block): HTMLElement {
  switch (b.type) {
    case "heading":
      // Card detail sits under the card's own heading (h3): shift its headings below it.
      return h(`h${Math.min(6, b.level + 3)}` as "h4", {}, inline(b.content));
    case "paragraph":
      return h("p", {}, inline(b.content));
    case "list":
      return h(
        b.ordered ? "ol" : "ul",
        {},
        b.items.map((item) => h("li", {}, inline(item))),
      );
    case "table":
      return h(
        "div",
        { class: "table-scroll" },
        h(
          "table",
          { class: "evidence" },
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              b.header.map((c) => h("th", { scope: "col" }, inline(c))),
            ),
          ),
          h(
            "tbody",
            {},
            b.rows.map((r) =>
              h(
                "tr",
                {},
                r.map((c) => h("td", DATE_CELL.test(plainText(c)) ? { class: "date" } : {}, inline(c))),
              ),
            ),
          ),
        ),
      );
    case "hr":
      return h("hr");
  }
}

export function renderMarkdown(source: string): HTMLElement {
  return h("div", { class: "markdown" }, parseMarkdown(source).map(block));
}
