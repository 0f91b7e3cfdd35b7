/**
 * Human-readable rendering of a hook response for a terminal (the --json output is the response itself):
 * what was evaluated, then each card — indicator (coloured on a TTY), topic, summary, the detail
 * rendered from markdown (aligned tables, bullets, bold), suggestions and links.
 */
import type { HookResponse } from "../cds/pipeline";
import { markdownToTerminal, style, wrap, type TerminalStyle } from "./terminal";

const LABEL = { info: "INFO", warning: "WARNING", critical: "CRITICAL" } as const;
/** Reverse-video badges: red for critical, yellow for warning, blue for info (foreground black/white). */
const BADGE = {
  critical: ["\x1b[1;97;41m", "\x1b[0m"],
  warning: ["\x1b[1;30;43m", "\x1b[0m"],
  info: ["\x1b[1;97;44m", "\x1b[0m"],
} as const;

export interface FormatOptions extends TerminalStyle {
  /** Lines saying what was evaluated (hook, patient, server, draft orders). */
  evaluated: string[];
}

export function formatCards(response: HookResponse, options: FormatOptions): string {
  const s: TerminalStyle = { color: options.color, width: Math.max(40, options.width) };
  const lines = [...options.evaluated.map((l) => style(l, "dim", s.color)), ""];
  const count = response.cards.length;
  lines.push(count === 0 ? "No cards: nothing to flag." : `${count} card${count === 1 ? "" : "s"}:`);
  response.cards.forEach((card, i) => {
    const label = LABEL[card.indicator];
    const badge = s.color ? `${BADGE[card.indicator][0]} ${label} ${BADGE[card.indicator][1]}` : `[${label}]`;
    const topic = card.source.topic?.display ?? card.source.topic?.code ?? card.source.label;
    const heading = `${i + 1}. ${badge} ${style(card.source.topic?.code ?? card.source.label, "bold", s.color)}${topic !== card.source.topic?.code ? ` — ${topic}` : ""}`;
    const [first = "", ...rest] = wrap(heading, s.width - 3);
    lines.push("", first, ...rest.map((l) => `   ${l}`));
    lines.push(...wrap(style(card.summary, "bold", s.color), s.width, "   "));
    if (card.detail) lines.push("", markdownToTerminal(card.detail, s, "   "));
    if (card.suggestions?.length) {
      lines.push("", `   ${style("Suggestions", "underline", s.color)}`);
      for (const sg of card.suggestions) lines.push(...wrap(`→ ${sg.label}${sg.isRecommended ? " (recommended)" : ""}`, s.width, "   "));
    }
    for (const l of card.links ?? []) lines.push(`   ↗ ${l.label}: ${l.url}`);
    if (card.source.url) lines.push(`   Source: ${card.source.label} — ${card.source.url}`);
  });
  return lines.join("\n");
}
