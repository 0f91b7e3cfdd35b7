/**
 * UCUM conversions for lab values, backed by @lhncbc/ucum-lhc.
 * Pure and synchronous; the UCUM instance is created lazily once, and the multiplicative
 * factor of each (from, to, molecular weight, charge) is cached, so converting 10,000 results
 * costs a handful of UCUM calls. Works in Node and in the browser bundle (no fs).
 */
import { UcumLhcUtils } from "@lhncbc/ucum-lhc";
import type { ConvertOptions, UcumUtils } from "@lhncbc/ucum-lhc";
import aliasesJson from "./unit-aliases.json";

/** Lab spellings that are not UCUM (e.g. "mEq/L", "ng/ml") → UCUM code. */
export const defaultUnitAliases: Readonly<Record<string, string>> = aliasesJson.aliases;

export interface ConversionContext {
  /** g/mol, for mass ↔ moles (e.g. 400.64 for 25(OH)D3, 40.078 for calcium). */
  molecularWeight?: number;
  /** ionic charge, for equivalents (2 for Ca²⁺ and Mg²⁺). */
  charge?: number;
}

let instance: UcumUtils | undefined;
function ucum(): UcumUtils {
  instance ??= UcumLhcUtils.getInstance();
  return instance;
}

const MAX_CACHED_FACTORS = 2000;
/**
 * Longer unit strings are not given to UCUM (its parser is super-linear: 16,000 characters of "/g"
 * take 0.4 s) nor cached (2,000 cached megabyte keys would be gigabytes). Real lab units are short:
 * "mL/min/{1.73_m2}" has 16 characters.
 */
export const MAX_UNIT_LENGTH = 64;
const factorCache = new Map<string, number | null>();

/**
 * Factor such that value[to] = value[from] × factor, or null when UCUM cannot convert
 * without guessing (invalid unit, incommensurable, or UCUM "assumed you meant" corrections).
 */
export function conversionFactor(from: string, to: string, ctx: ConversionContext = {}): number | null {
  if (from === to) return 1;
  if (from.length > MAX_UNIT_LENGTH || to.length > MAX_UNIT_LENGTH) return null;
  const key = `${from}\u0000${to}\u0000${ctx.molecularWeight ?? ""}\u0000${ctx.charge ?? ""}`;
  const cached = factorCache.get(key);
  if (cached !== undefined) return cached;
  const factor = computeFactor(from, to, ctx);
  if (factorCache.size >= MAX_CACHED_FACTORS) factorCache.clear();
  factorCache.set(key, factor);
  return factor;
}

function computeFactor(from: string, to: string, ctx: ConversionContext): number | null {
  // UCUM has no blanks; the library would log an error for them.
  if (/\s/.test(from) || /\s/.test(to)) return null;
  const options: ConvertOptions = {};
  if (ctx.molecularWeight !== undefined) options.molecularWeight = ctx.molecularWeight;
  if (ctx.charge !== undefined) options.charge = ctx.charge;
  const one = convertStrict(from, 1, to, options);
  const two = convertStrict(from, 2, to, options);
  if (one === null || two === null || one <= 0) return null;
  // Lab units are ratio scales; refuse anything with an offset (never the case for our kinds).
  if (Math.abs(two - 2 * one) > 1e-9 * one) return null;
  return one;
}

function convertStrict(from: string, value: number, to: string, options: ConvertOptions): number | null {
  try {
    const r = ucum().convertUnitTo(from, value, to, options);
    const ok = r.status === "succeeded" && r.msg.length === 0 && typeof r.toVal === "number";
    return ok && Number.isFinite(r.toVal) ? r.toVal : null;
  } catch {
    return null;
  }
}

/** Alias table prepared for lookups: exact keys plus lower-cased keys. */
export function compileAliases(aliases: Readonly<Record<string, string>>): Map<string, string> {
  const map = new Map<string, string>();
  for (const [k, v] of Object.entries(aliases)) {
    if (!map.has(k.toLowerCase())) map.set(k.toLowerCase(), v);
  }
  for (const [k, v] of Object.entries(aliases)) map.set(k, v);
  return map;
}

/**
 * A reported unit string → UCUM code (alias exact, then case-insensitive; else as-is, trimmed, "mg / dL" → "mg/dL").
 * Split and trim rather than a regex with \s* on both sides of "/": it backtracks over every blank of a long run (quadratic).
 */
export function toUcum(raw: string, aliases: ReadonlyMap<string, string>): string {
  const t = raw
    .trim()
    .split("/")
    .map((part) => part.trim())
    .join("/");
  return aliases.get(t) ?? aliases.get(t.toLowerCase()) ?? t;
}

/** Comparison key for unit spellings accepted as-is (eGFR): no spaces, braces, parentheses, '_', '^', '*'; ² → 2. */
export function unitKey(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/²/g, "2")
    .replace(/[\s{}()_^*]/g, "");
}

/** Round to `decimals` places (half away from zero for the positive lab values we see). */
export function roundTo(value: number, decimals: number): number {
  const p = 10 ** decimals;
  return Math.round((value + Number.EPSILON * Math.abs(value)) * p) / p;
}
