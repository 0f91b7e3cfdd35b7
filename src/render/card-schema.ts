/**
 * Zod schema of a CDS Hooks 2.0 card (CDS Hooks 2.0; docs/service-contract.md): summary < 140 chars, indicator
 * enum, source.label required, topic Coding, suggestions ⇒ selectionBehavior, actions
 * create|update|delete with description (resource for create/update, resourceId for delete),
 * overrideReasons Codings with display, links (appContext only on smart links), and no
 * null / "" / [] / {} anywhere.
 */
import { z } from "zod";

const text = z.string().min(1);
const absoluteUrl = z.url({ protocol: /^https?$/ });

export const codingSchema = z.object({ system: text, code: text, display: text.exactOptional() });

const resourceSchema = z.looseObject({ resourceType: text });

export const actionSchema = z
  .object({
    type: z.enum(["create", "update", "delete"]),
    description: text,
    resource: resourceSchema.exactOptional(),
    resourceId: text.exactOptional(),
  })
  .superRefine((a, ctx) => {
    if ((a.type === "create" || a.type === "update") && !a.resource)
      ctx.addIssue({ code: "custom", path: ["resource"], message: `a ${a.type} action needs a resource` });
    if (a.type === "delete" && !a.resourceId)
      ctx.addIssue({ code: "custom", path: ["resourceId"], message: "a delete action needs a resourceId" });
  });

export const suggestionSchema = z.object({
  label: text,
  uuid: z.uuid().exactOptional(),
  isRecommended: z.boolean().exactOptional(),
  actions: z.array(actionSchema).min(1).exactOptional(),
});

export const linkSchema = z
  .object({ label: text, url: absoluteUrl, type: z.enum(["absolute", "smart"]), appContext: text.exactOptional() })
  .refine((l) => l.type === "smart" || l.appContext === undefined, {
    message: "appContext is only allowed on smart links",
    path: ["appContext"],
  });

const cardObject = z.object({
  uuid: z.uuid().exactOptional(),
  summary: text.max(139, "summary must be shorter than 140 characters"),
  detail: text.exactOptional(),
  indicator: z.enum(["info", "warning", "critical"]),
  source: z.object({
    label: text,
    url: absoluteUrl.exactOptional(),
    icon: absoluteUrl.exactOptional(),
    topic: codingSchema.exactOptional(),
  }),
  suggestions: z.array(suggestionSchema).min(1).exactOptional(),
  selectionBehavior: z.enum(["at-most-one", "any"]).exactOptional(),
  overrideReasons: z
    .array(codingSchema.required({ display: true }))
    .min(1)
    .exactOptional(),
  links: z.array(linkSchema).min(1).exactOptional(),
  /** CDS Hooks extension: for support and metrics (the rule ids), never shown to clinicians. */
  extension: z.record(z.string(), z.unknown()).exactOptional(),
});

/** Paths of null, "", [] or {} values anywhere inside `value`. */
export function emptyValuePaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (value === null || value === "") return [path];
  if (Array.isArray(value)) return value.length === 0 ? [path] : value.flatMap((v, i) => emptyValuePaths(v, [...path, i]));
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length === 0 ? [path] : entries.flatMap(([k, v]) => emptyValuePaths(v, [...path, k]));
  }
  return [];
}

const cardWithRules = cardObject.superRefine((card, ctx) => {
  if (card.suggestions && !card.selectionBehavior)
    ctx.addIssue({ code: "custom", path: ["selectionBehavior"], message: "selectionBehavior is required when suggestions are present" });
  for (const path of emptyValuePaths(card)) ctx.addIssue({ code: "custom", path, message: 'values must not be null, "", [] or {}' });
});

export type Card = z.output<typeof cardObject>;
export type Action = z.output<typeof actionSchema>;
export type Suggestion = z.output<typeof suggestionSchema>;
export type Link = z.output<typeof linkSchema>;
export type Coding = z.output<typeof codingSchema>;

export const cardSchema: z.ZodType<Card> = cardWithRules;
