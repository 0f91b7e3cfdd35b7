/**
 * What a MedicationStatement/MedicationRequest is about: its CodeableConcept (inline, contained
 * `#id`, or a referenced Medication), its names, vitamin D ingredient and strength, and
 * modifier classes. Identification is by RxNorm code first, then by name (docs/clinical-logic.md §13).
 */
import type { CodeableConcept, Medication, MedicationRequest, MedicationStatement } from "fhir/r4";
import type { MedicationClass, VitaminDClass, VitaminDIngredient } from "../facts";
import { SYSTEMS } from "../code-sets";
import type { Strength } from "./amounts";
import { parseStrengthText, ratioStrength } from "./amounts";
import type { Compiled, NameMatcher } from "./compile";
import { matchesText } from "./compile";
import { memoizeText } from "../../text-memo";

export interface MedicationIdentity {
  name: string;
  /** The concept's text and coding displays, and the Medication's ingredient names. */
  texts: string[];
  rxnorm: string[];
  medication?: Medication;
}

export interface VitaminDMatch {
  ingredient: VitaminDIngredient;
  productClass: VitaminDClass;
  strength: Strength | null;
}

const lastSegment = (ref: string): string =>
  ref
    .replace(/\/_history\/.*$/, "")
    .split("/")
    .pop() ?? "";

function resolveMedication(r: MedicationStatement | MedicationRequest, byId: ReadonlyMap<string, Medication>): Medication | undefined {
  const ref = r.medicationReference?.reference;
  if (!ref) return undefined;
  if (ref.startsWith("#")) {
    const id = ref.slice(1);
    return r.contained?.find((x): x is Medication => x.resourceType === "Medication" && x.id === id);
  }
  return /(^|\/)Medication\/[^/]+/.test(ref) ? byId.get(lastSegment(ref)) : undefined;
}

/** Names in Unicode NFC, so that "cholécalciférol" written with a combining accent (NFD) matches the code sets. */
const conceptTexts = (cc: CodeableConcept | undefined): string[] =>
  [cc?.text, ...(cc?.coding ?? []).map((c) => c.display)].filter((t): t is string => !!t && t.trim() !== "").map((t) => t.normalize("NFC"));
const rxCodes = (cc: CodeableConcept | undefined): string[] =>
  (cc?.coding ?? []).filter((c) => c.system === SYSTEMS.rxnorm && c.code).map((c) => c.code!);

export function identify(r: MedicationStatement | MedicationRequest, byId: ReadonlyMap<string, Medication>): MedicationIdentity {
  const medication = resolveMedication(r, byId);
  const concept = r.medicationCodeableConcept ?? medication?.code;
  const texts = conceptTexts(concept);
  const rxnorm = rxCodes(concept);
  for (const ing of medication?.ingredient ?? []) {
    for (const t of conceptTexts(ing.itemCodeableConcept)) texts.push(t);
    for (const code of rxCodes(ing.itemCodeableConcept)) rxnorm.push(code);
  }
  if (texts.length === 0 && r.medicationReference?.display) texts.push(r.medicationReference.display.normalize("NFC"));
  const id: MedicationIdentity = { name: texts[0] ?? "Unnamed medication", texts, rxnorm };
  if (medication) id.medication = medication;
  return id;
}

const matchesCode = (m: NameMatcher, codes: readonly string[]): boolean => codes.some((c) => m.rxnorm.has(c));

/** Combination names are split into ingredient segments: "calcium carbonate 600 MG / cholecalciferol 400 UNT". */
const SEGMENTS = /\s+\/\s+|\s*\+\s*|,\s+(?=\p{L})|\s+with\s+|\s+and\s+/iu;
/**
 * Whitespace runs are collapsed first: on a long run SEGMENTS backtracks from every position of it
 * (quadratic — a name with 40,000 spaces took 14 s). Every pattern matched on segments treats a run
 * of whitespace like one space.
 */
const segmentsOf: (text: string) => readonly string[] = memoizeText((text) => text.replace(/\s+/g, " ").split(SEGMENTS), {
  maxEntries: 4096,
  maxKeyLength: 512,
});

function strengthFromNames(texts: readonly string[], m: NameMatcher): Strength | null {
  for (const t of texts) {
    const segments = segmentsOf(t);
    const own = segments.filter((s) => matchesText(m, [s]));
    for (const s of segments.length === 1 ? segments : own) {
      const st = parseStrengthText(s);
      if (st) return st;
    }
  }
  return null;
}

function strengthFromIngredients(id: MedicationIdentity, m: NameMatcher): Strength | null {
  for (const ing of id.medication?.ingredient ?? []) {
    const cc = ing.itemCodeableConcept;
    if (!matchesCode(m, rxCodes(cc)) && !matchesText(m, conceptTexts(cc))) continue;
    const st = ratioStrength(ing.strength);
    if (st) return st;
  }
  return null;
}

/** The vitamin D ingredient: by RxNorm code, else the first matching name in table order. */
export function vitaminD(id: MedicationIdentity, c: Compiled): VitaminDMatch | undefined {
  const hit = c.vitaminD.find((v) => matchesCode(v.match, id.rxnorm)) ?? c.vitaminD.find((v) => matchesText(v.match, id.texts));
  if (!hit) return undefined;
  return {
    ingredient: hit.entry.ingredient,
    productClass: hit.entry.productClass,
    strength: strengthFromIngredients(id, hit.match) ?? strengthFromNames(id.texts, hit.match),
  };
}

function classesOf(rxnorm: readonly string[], names: readonly string[], c: Compiled): MedicationClass[] {
  const out: MedicationClass[] = [];
  const texts = [...names, ...names.flatMap(segmentsOf).filter((s) => s.trim() !== "")];
  for (const { entry, match } of c.medicationClasses) {
    if ((matchesCode(match, rxnorm) || matchesText(match, texts)) && !out.includes(entry.class)) out.push(entry.class);
  }
  return out;
}

/**
 * classesOf memoized per compiled code set and identity (codes + names, as JSON: unambiguous whatever the names
 * hold). A formulary's products recur across records and calls, and each one is 15 classes' code and name checks.
 */
const classMemos = new WeakMap<Compiled, (key: string) => readonly MedicationClass[]>();
const MAX_CLASS_KEY = 2048;

/** Every modifier class the product belongs to (names checked on whole names and on each combination segment). */
export function medicationClasses(id: MedicationIdentity, c: Compiled): MedicationClass[] {
  let memo = classMemos.get(c);
  if (!memo) {
    memo = memoizeText(
      (key: string) => {
        const [rxnorm, names] = JSON.parse(key) as [string[], string[]];
        return classesOf(rxnorm, names, c);
      },
      { maxEntries: 4096, maxKeyLength: MAX_CLASS_KEY },
    );
    classMemos.set(c, memo);
  }
  const key = JSON.stringify([id.rxnorm, id.texts]);
  // A copy: the memo's answer is frozen and shared, the facts are the caller's.
  return key.length > MAX_CLASS_KEY ? classesOf(id.rxnorm, id.texts, c) : [...memo(key)];
}
