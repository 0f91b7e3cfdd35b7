/**
 * Card `detail` markdown → a small tree (headings, paragraphs, lists, tables, **strong**, *em*,
 * `code`, http(s) links), never HTML: markdown-dom.ts builds DOM nodes with textContent, so HTML in
 * the text stays text. Parsing is markdown-it's (CommonMark + GFM tables, raw HTML off, no
 * linkify): a maintained parser that runs in linear time on hostile input, unlike a hand-written
 * regex grammar. Only the token stream is used here; markdown-it's HTML renderer is not.
 */
import MarkdownIt from "markdown-it";

export type Inline =
  | { type: "text"; text: string }
  | { type: "strong" | "em"; children: Inline[] }
  | { type: "code"; text: string }
  | { type: "link"; href: string; children: Inline[] };

export type Block =
  | { type: "heading"; level: 1 | 2 | 3 | 4 | 5 | 6; content: Inline[] }
  | { type: "paragraph"; content: Inline[] }
  | { type: "list"; ordered: boolean; items: Inline[][] }
  | { type: "table"; header: Inline[][]; rows: Inline[][][] }
  | { type: "hr" };

/** Longest detail read (a card's detail is a few kB); the rest is cut, so the cost is bounded too. */
export const MAX_MARKDOWN_LENGTH = 100_000;

const md = new MarkdownIt("default", { html: false, linkify: false, typographer: false });
type Token = ReturnType<MarkdownIt["parse"]>[number];

/** Appends, merging adjacent text nodes (softbreaks become spaces). */
function pushText(out: Inline[], text: string): void {
  if (text === "") return;
  const last = out[out.length - 1];
  if (last?.type === "text") last.text += text;
  else out.push({ type: "text", text });
}

/** Inline tokens → tree, one pass with a stack of open strong/em/link nodes. */
function inlineTree(tokens: readonly Token[]): Inline[] {
  const root: Inline[] = [];
  const stack: Inline[][] = [root];
  const top = () => stack[stack.length - 1] ?? root;
  for (const t of tokens) {
    switch (t.type) {
      case "text":
      case "text_special":
        pushText(top(), t.content);
        break;
      case "softbreak":
      case "hardbreak":
        pushText(top(), " ");
        break;
      case "code_inline":
        top().push({ type: "code", text: t.content });
        break;
      case "strong_open":
      case "em_open":
      case "link_open": {
        const href = t.attrGet("href") ?? "";
        const children: Inline[] = [];
        if (t.type === "link_open" && !/^https?:\/\//i.test(href)) {
          stack.push(top()); // an unsafe target: its text stays, unlinked
          break;
        }
        top().push(
          t.type === "link_open" ? { type: "link", href, children } : { type: t.type === "strong_open" ? "strong" : "em", children },
        );
        stack.push(children);
        break;
      }
      case "strong_close":
      case "em_close":
      case "link_close":
        if (stack.length > 1) stack.pop();
        break;
      case "image":
        pushText(top(), t.content);
        break;
      default:
        if (t.content) pushText(top(), t.content);
    }
  }
  return root;
}

export function parseInline(text: string): Inline[] {
  return inlineTree(md.parseInline(text.slice(0, MAX_MARKDOWN_LENGTH), {})[0]?.children ?? []);
}

/** Block tokens → blocks. Nested structure (quotes, list items' paragraphs) is flattened into its text. */
export function parseMarkdown(source: string): Block[] {
  const tokens = md.parse(source.slice(0, MAX_MARKDOWN_LENGTH), {});
  const blocks: Block[] = [];
  let list: { ordered: boolean; items: Inline[][]; depth: number } | undefined;
  let table: { header: Inline[][]; rows: Inline[][][]; inHead: boolean } | undefined;
  let heading: 1 | 2 | 3 | 4 | 5 | 6 | undefined;
  let listDepth = 0;
  for (const t of tokens) {
    if (t.type === "bullet_list_open" || t.type === "ordered_list_open") {
      listDepth++;
      if (!list) list = { ordered: t.type === "ordered_list_open", items: [], depth: listDepth };
    } else if (t.type === "bullet_list_close" || t.type === "ordered_list_close") {
      if (list && list.depth === listDepth) {
        blocks.push({ type: "list", ordered: list.ordered, items: list.items });
        list = undefined;
      }
      listDepth--;
    } else if (t.type === "list_item_open" && list && listDepth === list.depth) list.items.push([]);
    else if (t.type === "heading_open") heading = Number(t.tag.slice(1)) as 1 | 2 | 3 | 4 | 5 | 6;
    else if (t.type === "table_open") table = { header: [], rows: [], inHead: false };
    else if (t.type === "thead_open" && table) table.inHead = true;
    else if (t.type === "thead_close" && table) table.inHead = false;
    else if (t.type === "tr_open" && table && !table.inHead) table.rows.push([]);
    else if (t.type === "table_close" && table) {
      blocks.push({ type: "table", header: table.header, rows: table.rows });
      table = undefined;
    } else if (t.type === "hr") blocks.push({ type: "hr" });
    else if (t.type === "code_block" || t.type === "fence")
      blocks.push({ type: "paragraph", content: [{ type: "code", text: t.content.trimEnd() }] });
    else if (t.type === "inline") {
      const content = inlineTree(t.children ?? []);
      if (table) (table.inHead ? table.header : (table.rows[table.rows.length - 1] ?? [])).push(content);
      else if (list) {
        const item = list.items[list.items.length - 1];
        if (item) {
          if (item.length > 0) pushText(item, " ");
          for (const node of content) {
            if (node.type === "text") pushText(item, node.text);
            else item.push(node);
          }
        }
      } else if (heading !== undefined) {
        blocks.push({ type: "heading", level: heading, content });
        heading = undefined;
      } else blocks.push({ type: "paragraph", content });
    }
  }
  return blocks;
}
