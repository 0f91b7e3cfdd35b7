/**
 * Observation → LabResult (canonical unit) or IgnoredObservation (docs/clinical-logic.md, "Lab status").
 * A result carried in `Observation.component` under a known LOINC code (a panel, often under a local
 * panel code) is read like a top-level result, with the panel's status, date and subject. Status
 * `unknown` is not used and is listed ("Data not used"); preliminary, registered, cancelled and
 * entered-in-error results are dropped silently.
 */
import type { Observation, ObservationComponent, ObservationReferenceRange } from "fhir/r4";
import type { CodeRef, IgnoredObservation, LabKind, LabResult } from "../facts";
import { conversionFactor, MAX_UNIT_LENGTH, roundTo, toUcum, unitKey } from "../units/ucum";
import { memoizeText } from "../../text-memo";
import type { Compiled, CompiledLabKind } from "./compile";
import { codeKey } from "./compile";
import { interpretationFlag, observationDate, quantityUnit, readValue } from "./lab-value";

const VALID_STATUS = new Set(["final", "amended", "corrected"]);

export type LabOutcome = { lab: LabResult } | { ignored: IgnoredObservation } | null;

/** A unit converter for one kind: reported unit → multiplier into the canonical unit, or null if unknown. */
function computeFactor(unit: string, spec: CompiledLabKind, c: Compiled): number | null {
  if (spec.canonicalUnit === null) return 1;
  if (spec.acceptedKeys) return spec.acceptedKeys.has(unitKey(unit)) ? 1 : null;
  if (unit === "") return null;
  const ctx: { molecularWeight?: number; charge?: number } = {};
  if (spec.molecularWeight !== undefined) ctx.molecularWeight = spec.molecularWeight;
  if (spec.charge !== undefined) ctx.charge = spec.charge;
  return conversionFactor(toUcum(unit, c.unitAliases), spec.canonicalUnit, ctx);
}

/** computeFactor memoized per lab kind (of one compiled code set) and unit spelling: a lab sends a handful of spellings. */
const factorMemos = new WeakMap<CompiledLabKind, (unit: string) => number | null>();
function factorFor(unit: string, spec: CompiledLabKind, c: Compiled): number | null {
  let memo = factorMemos.get(spec);
  if (!memo) {
    memo = memoizeText((u) => computeFactor(u, spec, c), { maxEntries: 1024, maxKeyLength: MAX_UNIT_LENGTH });
    factorMemos.set(spec, memo);
  }
  return memo(unit);
}

function scale(value: number, factor: number, spec: CompiledLabKind): number {
  return factor === 1 ? value : roundTo(value * factor, spec.decimals ?? 2);
}

function convertRange(r: ObservationReferenceRange, fallbackUnit: string, spec: CompiledLabKind, c: Compiled): LabResult["referenceRange"] {
  const out: NonNullable<LabResult["referenceRange"]> = {};
  for (const side of ["low", "high"] as const) {
    const q = r[side];
    if (typeof q?.value !== "number") continue;
    const f = factorFor(quantityUnit(q) || fallbackUnit, spec, c);
    if (f !== null) out[side] = scale(q.value, f, spec);
  }
  if (r.text) out.text = r.text;
  return out.low !== undefined || out.high !== undefined || out.text !== undefined ? out : undefined;
}

/** A component as an Observation of its own (the panel's status, dates and subject; the component's code, value and ranges). */
function componentObservation(obs: Observation, comp: ObservationComponent): Observation {
  const {
    component: _component,
    valueQuantity: _q,
    valueString: _s,
    dataAbsentReason: _d,
    referenceRange: _r,
    interpretation: _i,
    ...panel
  } = obs;
  const code = comp.code.coding?.find((cd) => cd.code)?.code ?? "component";
  return { ...panel, ...comp, id: `${obs.id ?? "unknown"}#${code}` };
}

/** The observation's own result (when its code is known) and its components' (when theirs are). */
export function normalizeObservationAll(obs: Observation, c: Compiled): LabOutcome[] {
  const out: LabOutcome[] = [normalizeObservation(obs, c)];
  for (const comp of obs.component ?? []) out.push(normalizeObservation(componentObservation(obs, comp), c));
  return out;
}

export function normalizeObservation(obs: Observation, c: Compiled): LabOutcome {
  let entry;
  let coding;
  for (const cd of obs.code?.coding ?? []) {
    entry = c.labByCode.get(codeKey(cd.system, cd.code));
    if (entry) {
      coding = cd;
      break;
    }
  }
  if (!entry || !coding) return null;
  if (!VALID_STATUS.has(obs.status) && obs.status !== "unknown") return null;
  const kind: LabKind = entry.kind;
  const id = `Observation/${obs.id ?? "unknown"}`;
  const code: CodeRef = { system: entry.system, code: entry.code, display: coding.display ?? entry.display };
  const date = observationDate(obs);
  const ignore = (reason: string): LabOutcome => {
    const ignored: IgnoredObservation = { id, kind, code, reason };
    if (date) ignored.date = date;
    return { ignored };
  };
  if (obs.status === "unknown") return ignore("status 'unknown' (not known to be final)");
  if (!date) return ignore("no effective date");
  if (Number.isNaN(Date.parse(date))) return ignore(`invalid date '${date}'`);
  const read = readValue(obs);
  if (!read.ok) return ignore(read.reason);
  const { raw } = read;
  const spec = c.labKinds[kind];
  const factor = factorFor(raw.unit, spec, c);
  if (factor === null) return ignore(raw.unit === "" ? "no unit" : `unknown unit '${raw.unit}'`);
  const lab: LabResult = {
    id,
    kind,
    code,
    date,
    value: scale(raw.value, factor, spec),
    unit: spec.canonicalUnit === null ? raw.original.unit : (spec.displayUnit ?? spec.canonicalUnit),
    original: raw.original,
  };
  if (raw.comparator) lab.comparator = raw.comparator;
  const range = obs.referenceRange?.[0];
  const referenceRange = range ? convertRange(range, raw.unit, spec, c) : undefined;
  if (referenceRange) lab.referenceRange = referenceRange;
  const flag = interpretationFlag(obs);
  if (flag) lab.interpretation = flag;
  return { lab };
}

/** Normalizes all observations; valid results newest first (ties by id, for stable output). */
export function normalizeLabs(observations: readonly Observation[], c: Compiled): { labs: LabResult[]; ignored: IgnoredObservation[] } {
  const dated: { t: number; lab: LabResult }[] = [];
  const ignored: IgnoredObservation[] = [];
  for (const obs of observations) {
    for (const out of normalizeObservationAll(obs, c)) {
      if (out === null) continue;
      if ("lab" in out) dated.push({ t: Date.parse(out.lab.date), lab: out.lab });
      else ignored.push(out.ignored);
    }
  }
  dated.sort((a, b) => b.t - a.t || (a.lab.id < b.lab.id ? -1 : a.lab.id > b.lab.id ? 1 : 0));
  return { labs: dated.map((d) => d.lab), ignored };
}
