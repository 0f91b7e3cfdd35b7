/**
 * A tiny markdown reader for card `detail` (headings, paragraphs, lists, pipe tables, **bold**,
 * *em*, `code`, [links](https://…)). It yields a tree, never HTML: markdown-dom.ts builds DOM
 * nodes with textContent, so any HTML in the text is shown as text, never interpreted.
 */
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

const INLINE = /\*\*(.+?)\*\*|__(.+?)__|\*(?!\s)(.+?)\*|_(?!\s)(.+?)_(?![A-Za-z0-9])|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)/g;

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    const index = m.index;
    if (index > last) out.push({ type: "text", text: text.slice(last, index) });
    const [whole, b1, b2, e1, e2, code, linkText, href] = m;
    if (b1 !== undefined || b2 !== undefined) out.push({ type: "strong", children: parseInline(b1 ?? b2 ?? "") });
    else if (e1 !== undefined || e2 !== undefined) out.push({ type: "em", children: parseInline(e1 ?? e2 ?? "") });
    else if (code !== undefined) out.push({ type: "code", text: code });
    else if (linkText !== undefined && href !== undefined && /^https?:\/\//i.test(href)) {
      out.push({ type: "link", href, children: parseInline(linkText) });
    } else out.push({ type: "text", text: whole });
    last = index + whole.length;
  }
  if (last < text.length) out.push({ type: "text", text: text.slice(last) });
  return out.map(unescapeText);
}

function unescapeText(node: Inline): Inline {
  return node.type === "text" ? { type: "text", text: node.text.replace(/\\([\\`*_[\]()#|!-])/g, "$1") } : node;
}

/** Splits a table row on unescaped pipes, dropping the optional outer pipes. */
function cells(line: string): string[] {
  const trimmed = line.trim().replace(/^\|/, "").replace(/(?<!\\)\|$/, "");
  return trimmed.split(/(?<!\\)\|/).map((c) => c.trim());
}

const isTableSeparator = (line: string) => /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(line);
const LIST_ITEM = /^\s*(?:([-*+])|(\d+)[.)])\s+(.*)$/;

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) blocks.push({ type: "paragraph", content: parseInline(paragraph.join(" ")) });
    paragraph = [];
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    const next = lines[i + 1];
    if (line.trim() === "") flush();
    else if (heading) {
      flush();
      const level = (heading[1] ?? "#").length as 1 | 2 | 3 | 4 | 5 | 6;
      blocks.push({ type: "heading", level, content: parseInline(heading[2] ?? "") });
    } else if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) {
      flush();
      blocks.push({ type: "hr" });
    } else if (line.includes("|") && next !== undefined && isTableSeparator(next)) {
      flush();
      const header = cells(line).map(parseInline);
      const rows: Inline[][][] = [];
      i += 2;
      for (; i < lines.length && (lines[i] ?? "").includes("|") && (lines[i] ?? "").trim() !== ""; i++) {
        rows.push(cells(lines[i] ?? "").map(parseInline));
      }
      i -= 1;
      blocks.push({ type: "table", header, rows });
    } else if (LIST_ITEM.test(line)) {
      flush();
      const ordered = LIST_ITEM.exec(line)?.[2] !== undefined;
      const items: Inline[][] = [];
      for (; i < lines.length; i++) {
        const m = LIST_ITEM.exec(lines[i] ?? "");
        if (m && (m[2] !== undefined) === ordered) items.push(parseInline(m[3] ?? ""));
        else if (items.length > 0 && /^\s{2,}\S/.test(lines[i] ?? "")) {
          const lastItem = items[items.length - 1];
          lastItem?.push({ type: "text", text: " " }, ...parseInline((lines[i] ?? "").trim()));
        } else break;
      }
      i -= 1;
      blocks.push({ type: "list", ordered, items });
    } else paragraph.push(line.trim());
  }
  flush();
  return blocks;
}
