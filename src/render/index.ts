/**
 * Findings → CDS Hooks 2.0 cards. Pure: the wording comes from cards/*.json (validated at
 * module load), the uuid from a hash of tenant + patient + pattern + rule + evidence.
 */
import type { Finding, Indicator } from "../rules";
import type { Card, Link } from "./card-schema";
import { renderDetail } from "./detail";
import type { RenderContext } from "./render-context";
import { buildSuggestions } from "./suggestions";
import { renderSummary, summaryVars } from "./summary";
import { templates, type Templates } from "./templates";
import { uuidV5 } from "./uuid";

export { cardSchema, type Card, type Action, type Suggestion, type Link, type Coding } from "./card-schema";
export type { RenderContext } from "./render-context";
export { validateTemplates, templates, type Templates } from "./templates";
export { uuidV5 } from "./uuid";

const RANK: Record<Indicator, number> = { info: 0, warning: 1, critical: 2 };

/** Key of the card extension that names the rule that fired and the other rows that matched. */
export const RULE_EXTENSION = "vitd-cds-rule";

/** Stable per tenant + patient + pattern + rule + evidence (ids, dates, reported values) + products. */
export function cardUuid(f: Finding, tenant = ""): string {
  const evidence = f.evidence.map((e) => [e.id, e.date, e.original.value, e.original.unit].join("|"));
  const products = f.regimen.products.map((p) => [p.id, p.status, p.doseText, p.dailyIU, p.dailyMcg, p.bolusIU ?? ""].join("|"));
  const name = [f.patientId, f.pattern, f.rule, evidence, products];
  return uuidV5(JSON.stringify(tenant === "" ? name : [tenant, ...name]));
}

function absoluteUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

export function renderCard(f: Finding, ctx: RenderContext, t: Templates = templates): Card {
  const c = t.common;
  const p = t.patterns[f.pattern];
  const template = p.rules[f.rule];
  if (!template) throw new Error(`No card template for rule "${f.rule}"`);
  // Vitamin D already stopped: the after-stop wording ("recheck Ca"), never "stop vitamin D".
  // A calcium product on board: named and stopped or reduced first (before blaming a small vitamin D dose).
  const variant =
    f.regimen.phase === "stopped" ? template.afterStop : f.flags.calciumProduct !== undefined ? template.withCalciumProduct : undefined;
  const rule = variant ? { ...template, ...variant } : template;
  const uuid = cardUuid(f, ctx.tenant);
  const built = buildSuggestions(f, ctx, uuid, c);
  const url = absoluteUrl(ctx.smartLaunchUrl);
  const docsUrl = absoluteUrl(ctx.patternDocsUrl ? `${ctx.patternDocsUrl.replace(/\/+$/, "")}/${f.pattern}.html` : undefined);
  const links: Link[] | undefined = url
    ? [{ label: c.linkLabel, url, type: "smart", appContext: JSON.stringify({ pattern: f.pattern }) }]
    : undefined;
  const vars = summaryVars(f, c);
  return {
    uuid,
    summary: renderSummary(f, rule, c, vars),
    detail: renderDetail(f, p, rule, c, built.textLines, vars),
    indicator: f.indicator,
    source: {
      label: ctx.serviceLabel,
      ...(docsUrl ? { url: docsUrl } : {}),
      topic: { system: c.topicSystem, code: f.pattern, display: p.topicDisplay },
    },
    ...(built.suggestions.length > 0 ? { suggestions: built.suggestions, selectionBehavior: "any" as const } : {}),
    overrideReasons: c.overrideReasons.map((r) => ({ system: c.overrideReasonSystem, code: r.code, display: r.display })),
    ...(links ? { links } : {}),
    // Rule ids are for support and metrics, not for clinicians: they travel in an extension, not in the text.
    extension: { [RULE_EXTENSION]: { rule: f.rule, matchedRules: f.matchedRules } },
  };
}

/** At most one card per pattern (the most severe finding), most severe card first. */
export function renderCards(findings: Finding[], ctx: RenderContext): Card[] {
  const byPattern = new Map<string, Finding>();
  for (const f of findings) {
    const seen = byPattern.get(f.pattern);
    if (!seen || RANK[f.indicator] > RANK[seen.indicator]) byPattern.set(f.pattern, f);
  }
  return [...byPattern.values()].sort((a, b) => RANK[b.indicator] - RANK[a.indicator]).map((f) => renderCard(f, ctx));
}
