/** Reading a numeric value, comparator and unit out of an Observation (valueQuantity or valueString). */
import type { Observation, Quantity } from "fhir/r4";
import type { Comparator } from "../facts";

export interface RawValue {
  value: number;
  comparator?: Comparator;
  /** Unit to convert from (UCUM code when given, else the human unit); "" when none. */
  unit: string;
  /** As reported, for the evidence table. */
  original: { value: string; unit: string };
}

const UCUM_SYSTEM = "http://unitsofmeasure.org";
const COMPARATORS: Record<string, Comparator> = { "<": "<", "<=": "<=", ">": ">", ">=": ">=", "≤": "<=", "≥": ">=" };

/** The unit of a Quantity to convert from: its UCUM code when present, else its display unit. */
export function quantityUnit(q: Quantity | undefined): string {
  if (!q) return "";
  if (q.code && (q.system === undefined || q.system === UCUM_SYSTEM)) return q.code.trim();
  return (q.unit ?? q.code ?? "").trim();
}

const VALUE_STRING = /^\s*(<=|>=|<|>|≤|≥)?\s*(\d+(?:\.\d+)?|\.\d+)\s*(.*?)\s*$/;

export type ValueOutcome = { ok: true; raw: RawValue } | { ok: false; reason: string };

/** valueQuantity first, then a numeric valueString ("<5", "> 150", "12.3 ng/mL"). */
export function readValue(obs: Observation): ValueOutcome {
  const q = obs.valueQuantity;
  if (q && typeof q.value === "number" && Number.isFinite(q.value)) {
    const comparator = q.comparator ? COMPARATORS[q.comparator] : undefined;
    const shownUnit = (q.unit ?? q.code ?? "").trim();
    const raw: RawValue = {
      value: q.value,
      unit: quantityUnit(q),
      original: { value: `${comparator ?? ""}${q.value}`, unit: shownUnit },
    };
    if (comparator) raw.comparator = comparator;
    return { ok: true, raw };
  }
  if (typeof obs.valueString === "string") {
    const m = VALUE_STRING.exec(obs.valueString);
    if (!m) return { ok: false, reason: `non-numeric value '${obs.valueString.trim()}'` };
    const [, comp, num, unitText] = m;
    const comparator = comp ? COMPARATORS[comp] : undefined;
    const unit = unitText && unitText.length > 0 ? unitText : quantityUnit(obs.referenceRange?.[0]?.low ?? obs.referenceRange?.[0]?.high);
    const raw: RawValue = {
      value: Number(num),
      unit,
      original: { value: `${comparator ?? ""}${num}`, unit },
    };
    if (comparator) raw.comparator = comparator;
    return { ok: true, raw };
  }
  const absent = obs.dataAbsentReason?.coding?.[0]?.code ?? obs.dataAbsentReason?.text;
  if (absent) return { ok: false, reason: `no value (${absent})` };
  if (q) return { ok: false, reason: "no value" };
  return { ok: false, reason: "no numeric value" };
}

/** Effective time: effectiveDateTime | effectivePeriod.start | effectiveInstant | issued. */
export function observationDate(obs: Observation): string | undefined {
  return obs.effectiveDateTime ?? obs.effectivePeriod?.start ?? obs.effectiveInstant ?? obs.issued;
}

/** Lab-supplied abnormal flag code (v3 ObservationInterpretation, e.g. "H", "LL"), or its text. */
export function interpretationFlag(obs: Observation): string | undefined {
  const first = obs.interpretation?.[0];
  return first?.coding?.find((c) => c.code)?.code ?? first?.text;
}
