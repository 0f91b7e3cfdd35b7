/**
 * Code tables as data (docs/clinical-logic.md §13): LOINC → lab kind, lab kinds' units, vitamin D
 * ingredients, modifier medication classes, conditions, timing codes, unit aliases.
 * `defaultCodeSets` is what the service uses; a site passes an extended copy
 * (`extendCodeSets(defaultCodeSets, { labs: [...] })`) to add local codes.
 */
import type { ConditionKind, LabKind, MedicationClass, VitaminDClass, VitaminDIngredient } from "../facts";
import { defaultUnitAliases } from "../units/ucum";
import conditionsJson from "./conditions.json";
import doseWordsJson from "./dose-words.json";
import labKindsJson from "./lab-kinds.json";
import labsJson from "./labs.json";
import medicationClassesJson from "./medication-classes.json";
import timingJson from "./timing-codes.json";
import vitaminDJson from "./vitamin-d.json";

export const SYSTEMS = {
  loinc: "http://loinc.org",
  rxnorm: "http://www.nlm.nih.gov/research/umls/rxnorm",
  snomed: "http://snomed.info/sct",
  icd10cm: "http://hl7.org/fhir/sid/icd-10-cm",
  ucum: "http://unitsofmeasure.org",
} as const;

export interface LabCodeEntry {
  system: string;
  code: string;
  kind: LabKind;
  display: string;
}

export interface LabKindSpec {
  /** UCUM code of the canonical unit; null = evidence only, keep the reported unit. */
  canonicalUnit: string | null;
  /** Unit written into LabResult.unit when it differs from the UCUM code (eGFR). */
  displayUnit?: string;
  molecularWeight?: number;
  charge?: number;
  /** Decimals kept after a conversion (unconverted values are kept as reported). */
  decimals?: number;
  /** When present, the only accepted spellings (compared with unitKey), no conversion. */
  acceptedUnits?: string[];
}

export interface VitaminDIngredientEntry {
  ingredient: VitaminDIngredient;
  productClass: VitaminDClass;
  /** RxNorm ingredient (IN) codes. */
  rxnorm: string[];
  /** Names and brands, matched case-insensitively as whole words. */
  names: string[];
}

export interface MedicationClassEntry {
  class: MedicationClass;
  rxnorm: string[];
  names: string[];
  /** Regular expressions (case-insensitive) for what whole words cannot express. */
  patterns?: string[];
  /** Words that stop a match (e.g. "ophthalmic"). */
  excludeWords?: string[];
}

export interface ConditionCodeEntry {
  kind: ConditionKind;
  system: string;
  code: string;
  display: string;
}

export interface ConditionPrefixEntry {
  kind: ConditionKind;
  system: string;
  /** ICD-style prefix; dots and case are ignored when comparing. */
  prefix: string;
  display: string;
}

export type PeriodUnit = "s" | "min" | "h" | "d" | "wk" | "mo" | "a";

export interface TimingCodeEntry {
  frequency: number;
  period: number;
  periodUnit: PeriodUnit;
}

/**
 * Vocabulary of dose instructions (`dose-words.json`): amount units, counted dose forms, frequency
 * words, multipliers, number words, time units. Compiled once into the sig scanner's patterns
 * (src/fhir/normalize/amounts.ts, dose-text.ts, timing.ts); not part of `CodeSets` (not per site).
 */
export interface DoseWords {
  /** Spellings (lower-case) of IU, mcg and mg; a space matches any whitespace run. */
  amountUnits: { IU: string[]; mcg: string[]; mg: string[] };
  /** Dose forms a count multiplies: count (tablets, Kapseln…), mL, drops. */
  countForms: { count: string[]; mL: string[]; drop: string[] };
  /** Words meaning once per day / week / month / year. */
  frequencyWords: Record<"d" | "wk" | "mo" | "a", string[]>;
  /** "twice" = 2, "zweimal" = 2, "dos veces" = 2. */
  multipliers: Record<string, number>;
  /** After a number: "2x", "3 times", "2 mal"; `mustBeRead` ones left unread make a text ambiguous. */
  timesWords: { all: string[]; mustBeRead: string[] };
  /** English number words; tens combine with units ("twenty-eight"). */
  numberWords: { units: Record<string, number>; tens: Record<string, number> };
  /** Time units of Durations and rate denominators → Timing periodUnit. */
  periodUnits: Record<"h" | "d" | "wk" | "mo" | "a", string[]>;
}

const withoutComments = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([k]) => !k.startsWith("$"))) as T;

export const doseWords: DoseWords = {
  amountUnits: withoutComments(doseWordsJson.amountUnits),
  countForms: withoutComments(doseWordsJson.countForms),
  frequencyWords: withoutComments(doseWordsJson.frequencyWords),
  multipliers: withoutComments(doseWordsJson.multipliers) as unknown as Record<string, number>,
  timesWords: withoutComments(doseWordsJson.timesWords),
  numberWords: withoutComments(doseWordsJson.numberWords),
  periodUnits: withoutComments(doseWordsJson.periodUnits),
};

export interface CodeSets {
  labs: LabCodeEntry[];
  labKinds: Record<LabKind, LabKindSpec>;
  unitAliases: Record<string, string>;
  /** Order matters: the first matching ingredient (by name) wins, so specific names come first. */
  vitaminD: VitaminDIngredientEntry[];
  medicationClasses: MedicationClassEntry[];
  conditionCodes: ConditionCodeEntry[];
  conditionPrefixes: ConditionPrefixEntry[];
  /** Keys upper-case. */
  timingCodes: Record<string, TimingCodeEntry>;
  /** Systems whose Timing.code codes are looked up (codes without a system are looked up too). */
  timingCodeSystems: string[];
}

export const defaultCodeSets: CodeSets = {
  labs: labsJson.codes as LabCodeEntry[],
  labKinds: labKindsJson.kinds,
  unitAliases: { ...defaultUnitAliases },
  vitaminD: vitaminDJson.ingredients as VitaminDIngredientEntry[],
  medicationClasses: medicationClassesJson.classes as MedicationClassEntry[],
  conditionCodes: conditionsJson.codes as ConditionCodeEntry[],
  conditionPrefixes: conditionsJson.prefixes as ConditionPrefixEntry[],
  timingCodes: timingJson.codes as Record<string, TimingCodeEntry>,
  timingCodeSystems: timingJson.systems,
};

/** A copy of `base` with site additions: list entries are appended (local vitamin D names go last), records merged. */
export function extendCodeSets(base: CodeSets, add: Partial<CodeSets>): CodeSets {
  return {
    labs: [...base.labs, ...(add.labs ?? [])],
    labKinds: { ...base.labKinds, ...(add.labKinds ?? {}) },
    unitAliases: { ...base.unitAliases, ...(add.unitAliases ?? {}) },
    vitaminD: [...base.vitaminD, ...(add.vitaminD ?? [])],
    medicationClasses: [...base.medicationClasses, ...(add.medicationClasses ?? [])],
    conditionCodes: [...base.conditionCodes, ...(add.conditionCodes ?? [])],
    conditionPrefixes: [...base.conditionPrefixes, ...(add.conditionPrefixes ?? [])],
    timingCodes: { ...base.timingCodes, ...(add.timingCodes ?? {}) },
    timingCodeSystems: [...base.timingCodeSystems, ...(add.timingCodeSystems ?? [])],
  };
}
