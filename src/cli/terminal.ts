/**
 * Card markdown for a terminal: paragraphs wrapped to the width, **bold** as bold (or plain), lists as
 * bullets, GitHub tables as aligned columns (long cells wrapped within their column; one "Header  value"
 * block per row when even that does not fit),
 * markdown escapes removed. Only the subset the card templates write (cards/*.json): no raw markdown
 * pipes or asterisks reach the screen. Colour (ANSI SGR) only when `color` is on — the caller decides
 * (a TTY, and NO_COLOR unset).
 */

export interface TerminalStyle {
  color: boolean;
  /** Columns available (wrapping and table fit). */
  width: number;
}

const SGR = { bold: ["\x1b[1m", "\x1b[22m"], dim: ["\x1b[2m", "\x1b[22m"], underline: ["\x1b[4m", "\x1b[24m"] } as const;

export function style(text: string, kind: keyof typeof SGR, on: boolean): string {
  return on && text ? `${SGR[kind][0]}${text}${SGR[kind][1]}` : text;
}

/** Visible width: ANSI sequences take no room. */
export function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return [...text.replace(/\x1b\[[0-9;]*m/g, "")].length;
}

/** Narrowest a wrapped table column gets before the table is shown one row per block instead. */
const MIN_COLUMN = 10;

const padEnd = (text: string, width: number) => text + " ".repeat(Math.max(0, width - visibleLength(text)));

/** `\|`, `\*`, `\.`… → the character itself. */
const unescape = (text: string) => text.replace(/\\([!-/:-@[-`{-~])/g, "$1");

/** Inline markdown → text: **strong** becomes bold (when colour is on), escapes are removed. */
function inline(text: string, color: boolean): string {
  const parts = text.split(/(?<!\\)\*\*/);
  // An odd count of markers means every odd part was between ** and **.
  return parts.map((part, i) => (i % 2 === 1 && parts.length % 2 === 1 ? style(unescape(part), "bold", color) : unescape(part))).join("");
}

/** Greedy word wrap of already-styled text. */
export function wrap(text: string, width: number, indent = ""): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (line && visibleLength(indent + line + " " + word) > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines.length > 0 ? lines : [indent.trimEnd()];
}

/** Cells of a `| a | b |` row, split on unescaped pipes. */
function cells(row: string): string[] {
  const inner = row
    .trim()
    .replace(/^\|/, "")
    .replace(/(?<!\\)\|$/, "");
  return inner.split(/(?<!\\)\|/).map((c) => c.trim());
}

const isDelimiterRow = (row: string) => /^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$/.test(row.trim());

function table(rows: string[], s: TerminalStyle, indent: string): string[] {
  const [head = "", ...rest] = rows;
  const header = cells(head).map((c) => inline(c, false));
  const body = rest.filter((r) => !isDelimiterRow(r)).map((r) => cells(r).map((c) => inline(c, s.color)));
  const columns = header.length;
  const widths = header.map((h, i) => Math.max(visibleLength(h), ...body.map((r) => visibleLength(r[i] ?? ""))));
  const gutter = "  ";
  const total = () => indent.length + widths.reduce((a, b) => a + b, 0) + gutter.length * (columns - 1);
  // Too wide: narrow the widest columns (their cells wrap), down to a readable minimum.
  const minimum = header.map((h) => Math.max(visibleLength(h), MIN_COLUMN));
  while (total() > s.width) {
    const widest = widths.reduce((best, w, i) => (w - (minimum[i] ?? 0) > (widths[best] ?? 0) - (minimum[best] ?? 0) ? i : best), 0);
    if ((widths[widest] ?? 0) <= (minimum[widest] ?? 0)) break;
    widths[widest] = (widths[widest] ?? 0) - 1;
  }
  if (total() > s.width) {
    // Too wide for the terminal: one block per row, "Header: value", wrapped.
    const label = Math.max(...header.map(visibleLength));
    return body.flatMap((r, n) => [
      ...(n > 0 ? [""] : []),
      ...header.flatMap((h, i) => {
        const first = `${indent}${style(padEnd(h, label), "dim", s.color)}  `;
        const [line0 = "", ...more] = wrap(r[i] ?? "", s.width - visibleLength(first));
        return [first + line0, ...more.map((m) => " ".repeat(visibleLength(first)) + m)];
      }),
    ]);
  }
  /** One table row, its cells wrapped to their column: as many terminal lines as its tallest cell. */
  const row = (r: string[], styleHead = false): string[] => {
    const wrapped = header.map((_, i) => wrap(r[i] ?? "", widths[i] ?? 0).map((l) => (styleHead ? style(l, "bold", s.color) : l)));
    const height = Math.max(...wrapped.map((w) => w.length));
    return Array.from({ length: height }, (_, k) =>
      (indent + wrapped.map((w, i) => (i === columns - 1 ? (w[k] ?? "") : padEnd(w[k] ?? "", widths[i] ?? 0))).join(gutter)).trimEnd(),
    );
  };
  return [...row(header, true), indent + widths.map((w) => "─".repeat(w)).join(gutter), ...body.flatMap((r) => row(r))];
}

/** Card `detail` markdown → terminal lines (no trailing newline). */
export function markdownToTerminal(markdown: string, s: TerminalStyle, indent = ""): string {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const out: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) out.push(...wrap(inline(paragraph.join(" "), s.color), s.width, indent));
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? "";
    const text = raw.trim();
    if (text === "") {
      flush();
      if (out.length > 0 && out[out.length - 1] !== "") out.push("");
      continue;
    }
    const heading = /^#{1,6}\s+(.*)$/.exec(text);
    if (heading) {
      flush();
      out.push(indent + style(style(inline(heading[1] ?? "", false), "bold", s.color), "underline", s.color));
      continue;
    }
    if (text.startsWith("|")) {
      flush();
      const rows: string[] = [];
      while (i < lines.length && (lines[i] ?? "").trim().startsWith("|")) rows.push((lines[i++] ?? "").trim());
      i--;
      out.push(...table(rows, s, indent));
      continue;
    }
    const item = /^([-*+]|\d+[.)])\s+(.*)$/.exec(text);
    if (item) {
      flush();
      const bullet = /^\d/.test(item[1] ?? "") ? `${item[1] ?? ""} ` : "• ";
      const [first = "", ...more] = wrap(inline(item[2] ?? "", s.color), s.width - indent.length - bullet.length);
      out.push(indent + bullet + first, ...more.map((m) => indent + " ".repeat(bullet.length) + m));
      continue;
    }
    paragraph.push(text);
  }
  flush();
  while (out[out.length - 1] === "") out.pop();
  return out.join("\n");
}
