/**
 * Text from FHIR data (product names, dose text, units, interpretations, reference ranges, condition
 * and medication displays) placed into a card's markdown `detail` must render as that text in any
 * CommonMark/GFM renderer: no links, images, emphasis, code, HTML, entities, autolinks, tables or
 * block structure from the data (docs/service-contract.md, "Card text from FHIR data is inert").
 * Backslash escapes of ASCII punctuation are literal in CommonMark, so the text still reads the same.
 */
import { memoizeText } from "../text-memo";

/** Characters that open inline constructs: emphasis, code, links/images, HTML/autolinks, entities, tables, strikethrough, autolink schemes, e-mail autolinks. */
const INLINE_SYNTAX = /[\\`*_[\]<>&|~!#:@]/g;
/** A dot followed by a letter ("evil.example", "www.x") is how bare-domain autolinks (GFM www., linkify) are found. */
const DOMAIN_DOT = /\.(?=\p{L})/gu;
/** Block syntax at the start of the text (it may follow "- " in a list item): quotes, list markers, rules, "1." / "1)". */
const LEADING_MARKER = /^[-+=]/;
const LEADING_ORDERED = /^(\d+)([.)])/;

function makeInert(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .trim()
    .replace(INLINE_SYNTAX, "\\$&")
    .replace(DOMAIN_DOT, "\\.")
    .replace(LEADING_MARKER, "\\$&")
    .replace(LEADING_ORDERED, "$1\\$2");
}

/** The text made inert (memoized per text: names, units and sigs repeat across cards). */
export const inertMarkdown: (text: string) => string = memoizeText(makeInert, { maxEntries: 4096, maxKeyLength: 512 });

/** The same values, each made inert (for filling a markdown template with data). */
export function inertValues<V extends string | number | undefined>(vars: Record<string, V>): Record<string, string | V> {
  const out: Record<string, string | V> = {};
  for (const [k, v] of Object.entries(vars)) out[k] = typeof v === "string" ? inertMarkdown(v) : v;
  return out;
}
