/** Human-readable rendering of a hook response for the terminal (the --json output is the response itself). */
import type { HookResponse } from "../cds/pipeline";

const LABEL = { info: "INFO", warning: "WARNING", critical: "CRITICAL" } as const;

function indent(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((line) => (line ? `${prefix}${line}` : ""))
    .join("\n");
}

export function formatCards(response: HookResponse, header: string): string {
  const lines = [header];
  if (response.cards.length === 0) {
    lines.push("", "No cards: nothing to flag.");
    return lines.join("\n");
  }
  response.cards.forEach((card, i) => {
    lines.push("", `${i + 1}. [${LABEL[card.indicator]}] ${card.source.topic?.code ?? card.source.label}`, `   ${card.summary}`);
    if (card.detail) lines.push("", indent(card.detail, "   | "));
    for (const s of card.suggestions ?? []) lines.push(`   → suggestion: ${s.label}`);
    for (const l of card.links ?? []) lines.push(`   ↗ ${l.label}: ${l.url}`);
  });
  return lines.join("\n");
}
