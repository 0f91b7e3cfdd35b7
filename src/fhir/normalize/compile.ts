/**
 * Code sets compiled once per CodeSets object (WeakMap cache) into maps and regular
 * expressions, so normalization is a constant-time lookup per resource.
 */
import type {
  CodeSets,
  ConditionCodeEntry,
  ConditionPrefixEntry,
  LabCodeEntry,
  LabKindSpec,
  MedicationClassEntry,
  TimingCodeEntry,
  VitaminDIngredientEntry,
} from "../code-sets";
import type { LabKind } from "../facts";
import { compileAliases, unitKey } from "../units/ucum";
import { memoizeText } from "../../text-memo";

export interface CompiledLabKind extends LabKindSpec {
  acceptedKeys?: Set<string>;
}

export interface NameMatcher {
  rxnorm: Set<string>;
  /** What one text does for this matcher: MATCHED and/or EXCLUDED bits (memoized per text). */
  hits: (text: string) => number;
}

const MATCHED = 1;
const EXCLUDED = 2;

export interface Compiled {
  /** Lab codes by system, then code: two lookups of the resource's own strings, no key built per coding. */
  labByCode: Map<string, Map<string, LabCodeEntry>>;
  labKinds: Record<LabKind, CompiledLabKind>;
  unitAliases: Map<string, string>;
  vitaminD: { entry: VitaminDIngredientEntry; match: NameMatcher }[];
  medicationClasses: { entry: MedicationClassEntry; match: NameMatcher }[];
  conditionByCode: Map<string, ConditionCodeEntry[]>;
  conditionPrefixes: (ConditionPrefixEntry & { key: string })[];
  timingCodes: Map<string, TimingCodeEntry>;
  timingSystems: Set<string>;
}

const cache = new WeakMap<CodeSets, Compiled>();

export const codeKey = (system: string | undefined, code: string | undefined): string => `${system ?? ""}|${code ?? ""}`;

/** ICD-style comparison key: upper-case, no dots or spaces. */
export const icdKey = (code: string): string => code.toUpperCase().replace(/[.\s]/g, "");

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const BOUNDARY_START = "(?:^|[^\\p{L}\\p{N}])";
const BOUNDARY_END = "(?=$|[^\\p{L}\\p{N}])";

/** Whole-word, case-insensitive alternation; spaces and hyphens inside a name match any run of spaces/hyphens. */
export function wordsRegex(words: readonly string[]): RegExp | null {
  if (words.length === 0) return null;
  const alts = words.map((w) =>
    w
      .trim()
      .split(/[\s-]+/)
      .map(escapeRe)
      .join("[\\s-]*"),
  );
  return new RegExp(`${BOUNDARY_START}(?:${alts.join("|")})${BOUNDARY_END}`, "iu");
}

function matcher(
  rxnorm: readonly string[],
  names: readonly string[],
  patterns: readonly string[] = [],
  exclude: readonly string[] = [],
): NameMatcher {
  const nameRe = wordsRegex(names);
  const patternRes = patterns.map((p) => new RegExp(p, "iu"));
  const excludeRe = wordsRegex(exclude);
  return {
    rxnorm: new Set(rxnorm),
    hits: memoizeText(
      (t) => ((nameRe?.test(t) ?? false) || patternRes.some((p) => p.test(t)) ? MATCHED : 0) | (excludeRe?.test(t) ? EXCLUDED : 0),
      { maxEntries: 4096, maxKeyLength: 512 },
    ),
  };
}

/** True if any text matches the names/patterns and none matches the exclusions. */
export function matchesText(m: NameMatcher, texts: readonly string[]): boolean {
  let matched = false;
  for (const t of texts) {
    const h = m.hits(t);
    if (h & EXCLUDED) return false;
    if (h & MATCHED) matched = true;
  }
  return matched;
}

export function compile(cs: CodeSets): Compiled {
  const hit = cache.get(cs);
  if (hit) return hit;
  const labKinds = {} as Record<LabKind, CompiledLabKind>;
  for (const [kind, spec] of Object.entries(cs.labKinds) as [LabKind, LabKindSpec][]) {
    labKinds[kind] = spec.acceptedUnits ? { ...spec, acceptedKeys: new Set(spec.acceptedUnits.map(unitKey)) } : { ...spec };
  }
  const conditionByCode = new Map<string, ConditionCodeEntry[]>();
  for (const c of cs.conditionCodes) {
    const k = codeKey(c.system, c.code);
    const same = conditionByCode.get(k);
    if (same) same.push(c);
    else conditionByCode.set(k, [c]);
  }
  const labByCode = new Map<string, Map<string, LabCodeEntry>>();
  for (const l of cs.labs) {
    const codes = labByCode.get(l.system) ?? new Map<string, LabCodeEntry>();
    labByCode.set(l.system, codes.set(l.code, l));
  }
  const compiled: Compiled = {
    labByCode,
    labKinds,
    unitAliases: compileAliases(cs.unitAliases),
    vitaminD: cs.vitaminD.map((entry) => ({ entry, match: matcher(entry.rxnorm, entry.names) })),
    medicationClasses: cs.medicationClasses.map((entry) => ({
      entry,
      match: matcher(entry.rxnorm, entry.names, entry.patterns, entry.excludeWords),
    })),
    conditionByCode,
    conditionPrefixes: cs.conditionPrefixes.map((p) => ({ ...p, key: icdKey(p.prefix) })),
    timingCodes: new Map(Object.entries(cs.timingCodes).map(([k, v]) => [k.toUpperCase(), v])),
    timingSystems: new Set(cs.timingCodeSystems),
  };
  cache.set(cs, compiled);
  return compiled;
}
