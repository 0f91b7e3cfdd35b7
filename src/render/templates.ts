/**
 * Card wording templates (cards/*.json), validated with zod when this module loads: every
 * rule id of the rule tables must have a template, every placeholder must be known, every
 * label must be present. A broken template stops start-up with an error naming the file and
 * the field. Imported as JSON so the SMART app bundle carries it too.
 */
import { z } from "zod";
import commonJson from "../../cards/common.json";
import repletionJson from "../../cards/repletion-cramp.json";
import toxicityJson from "../../cards/vitamin-d-toxicity.json";
import { REPLETION_ROWS, TOXICITY_ROWS, type Pattern } from "../rules";
import { memoizeText } from "../text-memo";
import { COMMON_PLACEHOLDERS, ROLE_KEYS, INGREDIENT_KEYS, LAB_KEYS, MISSING_KEYS, NOTE_KEYS, MODIFIER_KEYS } from "./template-keys";

const PLACEHOLDER = /\{([A-Za-z]+)\}/g;

/** Placeholders a rule's summary/headline/advice may use (filled by summary.ts). */
export const RULE_PLACEHOLDERS = [
  "key",
  "when",
  "drug",
  "dose",
  "drugName",
  "started",
  "reason",
  "since",
  "bolus",
  "threshold",
  "thresholdWords",
  "singleDoseMax",
  "band",
  "calciumWindow",
  "calciumProduct",
  "implausible",
] as const;

export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? "");
}

function tpl(allowed: readonly string[]) {
  return z
    .string()
    .min(1)
    .superRefine((s, ctx) => {
      for (const name of placeholdersOf(s))
        if (!allowed.includes(name))
          ctx.addIssue({
            code: "custom",
            message: `unknown placeholder {${name}}; allowed: ${allowed.map((a) => `{${a}}`).join(" ") || "none"}`,
          });
      if (/[{}]/.test(s.replace(PLACEHOLDER, ""))) ctx.addIssue({ code: "custom", message: "unbalanced { or }" });
    });
}

function section<K extends string>(keys: readonly K[], allowed: (key: K) => readonly string[]) {
  return z.strictObject(Object.fromEntries(keys.map((k) => [k, tpl(allowed(k))])) as Record<K, ReturnType<typeof tpl>>);
}

const coding = z.strictObject({ code: z.string().min(1), display: z.string().min(1) });
function label<K extends string>(keys: readonly K[]) {
  return z.strictObject(Object.fromEntries(keys.map((k) => [k, z.string().min(1)])) as Record<K, z.ZodString>);
}
const P = COMMON_PLACEHOLDERS;

const commonSchema = z.strictObject({
  topicSystem: z.url(),
  overrideReasonSystem: z.url(),
  overrideReasons: z.array(coding).min(1),
  linkLabel: z.string().min(1),
  roleLabels: label(ROLE_KEYS),
  ingredientLabels: label(INGREDIENT_KEYS),
  labLabels: label(LAB_KEYS),
  phrases: section(Object.keys(P.phrases) as (keyof typeof P.phrases)[], (k) => P.phrases[k]),
  detail: section(Object.keys(P.detail) as (keyof typeof P.detail)[], (k) => P.detail[k]),
  missing: section(MISSING_KEYS, (k) => P.missing[k]),
  notes: section(NOTE_KEYS, () => []),
  modifiers: section(MODIFIER_KEYS, () => ["label", "date"]),
  flags: section(Object.keys(P.flags) as (keyof typeof P.flags)[], (k) => P.flags[k]),
  suggestions: section(Object.keys(P.suggestions) as (keyof typeof P.suggestions)[], (k) => P.suggestions[k]),
  textActions: section(Object.keys(P.textActions) as (keyof typeof P.textActions)[], (k) => P.textActions[k]),
});

const ruleTemplate = z.strictObject({
  summary: tpl(RULE_PLACEHOLDERS),
  headline: tpl(RULE_PLACEHOLDERS),
  advice: tpl(RULE_PLACEHOLDERS),
  /** Wording when every vitamin D product involved was already stopped: never "stop vitamin D". */
  afterStop: z.strictObject({ summary: tpl(RULE_PLACEHOLDERS), advice: tpl(RULE_PLACEHOLDERS) }).optional(),
  /** The "Why" text when the pattern's physiology does not fit this rule (active vitamin D). */
  why: z.string().min(1).optional(),
  /** Wording when a calcium-containing product is active: it is named and stopped or reduced first. */
  withCalciumProduct: z.strictObject({ summary: tpl(RULE_PLACEHOLDERS), advice: tpl(RULE_PLACEHOLDERS) }).optional(),
});

function patternSchema(pattern: Pattern, ruleIds: readonly string[]) {
  return z
    .strictObject({
      pattern: z.literal(pattern),
      topicDisplay: z.string().min(1),
      physiology: z.string().min(1),
      closing: z.string().min(1),
      rules: z.record(z.string(), ruleTemplate),
    })
    .superRefine((t, ctx) => {
      for (const id of ruleIds)
        if (!(id in t.rules)) ctx.addIssue({ code: "custom", path: ["rules", id], message: "missing template for this rule" });
      for (const id of Object.keys(t.rules))
        if (!ruleIds.includes(id)) ctx.addIssue({ code: "custom", path: ["rules", id], message: "no rule has this id" });
    });
}

export type CommonTemplates = z.output<typeof commonSchema>;
export type RuleTemplate = z.output<typeof ruleTemplate>;
export type PatternTemplates = {
  pattern: Pattern;
  topicDisplay: string;
  physiology: string;
  closing: string;
  rules: Record<string, RuleTemplate>;
};
export interface Templates {
  common: CommonTemplates;
  patterns: Record<Pattern, PatternTemplates>;
}

function parse<T>(schema: z.ZodType<T>, value: unknown, file: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${i.path.map(String).join(".") || "(root)"}: ${i.message}`).join("; ");
  throw new Error(`Invalid card template ${file}: ${issues}`);
}

/** Validates raw template JSON; throws an Error naming the file and each bad template. */
export function validateTemplates(raw: { common: unknown; repletion: unknown; toxicity: unknown }): Templates {
  return {
    common: parse(commonSchema, raw.common, "cards/common.json"),
    patterns: {
      "repletion-cramp": parse(
        patternSchema(
          "repletion-cramp",
          REPLETION_ROWS.map((r) => r.id),
        ),
        raw.repletion,
        "cards/repletion-cramp.json",
      ),
      "vitamin-d-toxicity": parse(
        patternSchema(
          "vitamin-d-toxicity",
          TOXICITY_ROWS.map((r) => r.id),
        ),
        raw.toxicity,
        "cards/vitamin-d-toxicity.json",
      ),
    },
  };
}

export const templates: Templates = validateTemplates({ common: commonJson, repletion: repletionJson, toxicity: toxicityJson });

/** A template split once at its placeholders: literal, name, literal, name, …, literal. */
const compiledTemplate = memoizeText((template: string): string[] => template.split(PLACEHOLDER), {
  maxEntries: 2048,
  maxKeyLength: 4096,
});

/** What tidying changes: blanks before punctuation, empty parentheses, runs of blanks, leading or trailing blanks. */
const UNTIDY = /\s[,;:.)]|\(\s*\)|\s\s|^\s|\s$/;

/** Replaces {name} placeholders; unknown names become "" and the spacing is tidied. */
export function fill(template: string, vars: Record<string, string | number | undefined>): string {
  const parts = compiledTemplate(template);
  let text = parts[0] ?? "";
  for (let i = 1; i < parts.length; i += 2) text += String(vars[parts[i]!] ?? "") + (parts[i + 1] ?? "");
  if (!UNTIDY.test(text)) return text; // each step below would leave it as it is
  return text
    .replace(/\s+([,;:.)])/g, "$1")
    .replace(/\(\s*\)/g, "")
    .replace(/\s{2,}/g, " ")
    .trim();
}
