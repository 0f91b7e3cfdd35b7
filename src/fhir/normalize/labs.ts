/**
 * Observation → LabResult (canonical unit) or IgnoredObservation (docs/clinical-logic.md, "Lab status").
 * A result carried in `Observation.component` under a known LOINC code (a panel, often under a local
 * panel code) is read like a top-level result, with the panel's status, date and subject. Status
 * `unknown` is not used and is listed ("Data not used"); preliminary, registered, cancelled and
 * entered-in-error results are dropped silently.
 */
import type { Coding, Observation, ObservationComponent, ObservationReferenceRange } from "fhir/r4";
import type { LabCodeEntry } from "../code-sets";
import type { CodeRef, IgnoredObservation, LabKind, LabResult } from "../facts";
import { conversionFactor, MAX_UNIT_LENGTH, roundTo, toUcum, unitKey } from "../units/ucum";
import { memoizeText } from "../../text-memo";
import type { Compiled, CompiledLabKind } from "./compile";
import { interpretationFlag, observationDate, quantityUnit, readValue } from "./lab-value";

const VALID_STATUS = new Set(["final", "amended", "corrected"]);

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

/** Valid results with their instant (parsed once, for the sort) and the observations not used. */
interface LabSink {
  dated: { t: number; lab: LabResult }[];
  ignored: IgnoredObservation[];
}

function ignore(sink: LabSink, id: string, kind: LabKind, code: CodeRef, date: string | undefined, reason: string): void {
  const ignored: IgnoredObservation = { id, kind, code, reason };
  if (date) ignored.date = date;
  sink.ignored.push(ignored);
}

/** One observation (its own code; components separately) into the sink; nothing when its code or status is not ours. */
function readObservation(obs: Observation, c: Compiled, sink: LabSink): void {
  let entry: LabCodeEntry | undefined;
  let coding: Coding | undefined;
  for (const cd of obs.code?.coding ?? []) {
    entry = c.labByCode.get(cd.system ?? "")?.get(cd.code ?? "");
    if (entry) {
      coding = cd;
      break;
    }
  }
  if (!entry || !coding) return;
  const unknownStatus = obs.status === "unknown";
  if (!unknownStatus && !VALID_STATUS.has(obs.status)) return;
  const kind: LabKind = entry.kind;
  const id = `Observation/${obs.id ?? "unknown"}`;
  const code: CodeRef = { system: entry.system, code: entry.code, display: coding.display ?? entry.display };
  const date = observationDate(obs);
  if (unknownStatus) return ignore(sink, id, kind, code, date, "status 'unknown' (not known to be final)");
  if (!date) return ignore(sink, id, kind, code, date, "no effective date");
  const t = Date.parse(date);
  if (Number.isNaN(t)) return ignore(sink, id, kind, code, date, `invalid date '${date}'`);
  const read = readValue(obs);
  if (!read.ok) return ignore(sink, id, kind, code, date, read.reason);
  const { raw } = read;
  const spec = c.labKinds[kind];
  const factor = factorFor(raw.unit, spec, c);
  if (factor === null) return ignore(sink, id, kind, code, date, raw.unit === "" ? "no unit" : `unknown unit '${raw.unit}'`);
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
  sink.dated.push({ t, lab });
}

/** Normalizes all observations and their components; valid results newest first (ties by id, for stable output). */
export function normalizeLabs(observations: readonly Observation[], c: Compiled): { labs: LabResult[]; ignored: IgnoredObservation[] } {
  const sink: LabSink = { dated: [], ignored: [] };
  for (const obs of observations) {
    readObservation(obs, c, sink);
    if (obs.component) for (const comp of obs.component) readObservation(componentObservation(obs, comp), c, sink);
  }
  const { dated } = sink;
  dated.sort((a, b) => b.t - a.t || (a.lab.id < b.lab.id ? -1 : a.lab.id > b.lab.id ? 1 : 0));
  return { labs: dated.map((d) => d.lab), ignored: sink.ignored };
}
