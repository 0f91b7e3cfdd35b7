/**
 * Type-level search with real FHIR semantics on top of medplum's MemoryRepository:
 * medplum matches the filters (token `system|code`, comma = OR, date prefixes, status…); this file
 * adds what medplum's in-memory search lacks — bare-id references (`patient=123`), a date-aware
 * `_sort`, `_count`/`_offset` paging with absolute `Bundle.link` self/next/previous, `total`,
 * `_include` and `_summary=count`. Unknown parameters are ignored (FHIR's lenient default).
 */
import { getSearchParameter, parseSearchRequest } from "@medplum/core";
import type { MemoryRepository } from "@medplum/fhir-router";
import type { Bundle, BundleEntry, BundleLink, FhirResource, Reference } from "fhir/r4";
import { FhirHttpError } from "./errors";
import { matchesRequest, searchValues } from "./match";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 1000;

/** Parameters that apply to every resource type (FHIR R4 "Parameters for all resources"). */
const COMMON_PARAMS = new Set(["_id", "_lastUpdated", "_tag", "_profile", "_security", "_source", "_text", "_content"]);
/** Result parameters handled here, not passed to the matcher. */
const RESULT_PARAMS = new Set(["_count", "_offset", "_sort", "_include", "_summary", "_total", "_format", "_pretty", "_elements"]);

type Pair = [string, string];
type Repo = Pick<MemoryRepository, "search" | "readResource">;

export async function searchType(repo: Repo, resourceType: string, params: Pair[], baseUrl: string): Promise<Bundle> {
  const count = intParam(params, "_count", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const offset = intParam(params, "_offset", 0, Number.MAX_SAFE_INTEGER);
  const filters = params
    .filter(([key]) => isFilterParam(resourceType, key))
    .map(([key, value]): Pair => [key, normalizeReferenceValue(resourceType, key, value)]);

  const query = new URLSearchParams(filters).toString();
  const request = parseSearchRequest(`${resourceType}${query ? `?${query}` : ""}`);
  const all = await repo.search({ resourceType: request.resourceType });
  // Cheap superset first (a resource matching patient=Patient/x contains the string "Patient/x"),
  // then the matcher (./match.ts: medplum's semantics, expressions narrowed and parsed once) on the candidates.
  const needles = referenceNeedles(resourceType, filters);
  const matches = (all.entry ?? [])
    .flatMap((e) => (e.resource ? [e.resource] : []))
    .filter((r) => needles.length === 0 || containsAll(JSON.stringify(r), needles))
    .filter((r) => matchesRequest(r, request)) as unknown as FhirResource[];
  sortResources(
    matches,
    resourceType,
    values(params, "_sort")
      .flatMap((v) => v.split(","))
      .filter(Boolean),
  );

  const total = matches.length;
  const bundle: Bundle = { resourceType: "Bundle", type: "searchset", total };
  const selfParams = params.filter(([key]) => key !== "_offset");
  bundle.link = pageLinks(`${baseUrl}/${resourceType}`, selfParams, offset, count, total);
  if (values(params, "_summary").includes("count")) return bundle;

  const page = matches.slice(offset, offset + count);
  const entries: BundleEntry[] = page.map((resource) => ({
    fullUrl: `${baseUrl}/${resource.resourceType}/${resource.id ?? ""}`,
    resource,
    search: { mode: "match" },
  }));
  entries.push(...(await includedEntries(repo, page, values(params, "_include"), baseUrl)));
  if (entries.length > 0) bundle.entry = entries;
  return bundle;
}

function values(params: Pair[], key: string): string[] {
  return params.filter(([k]) => k === key).map(([, v]) => v);
}

function intParam(params: Pair[], key: string, fallback: number, max: number): number {
  const raw = values(params, key).at(-1);
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw)) throw FhirHttpError.badRequest(`${key} must be a non-negative integer, got "${raw}"`);
  return Math.min(Number(raw), max);
}

function baseCode(key: string): string {
  return key.split(":")[0] ?? key;
}

function isFilterParam(resourceType: string, key: string): boolean {
  const code = baseCode(key);
  if (RESULT_PARAMS.has(code)) return false;
  return COMMON_PARAMS.has(code) || getSearchParameter(resourceType, code) !== undefined;
}

/** For each reference filter, the quoted references of which one must occur in a matching resource. */
function referenceNeedles(resourceType: string, filters: Pair[]): string[][] {
  return filters
    .filter(([key, value]) => {
      const [code, modifier] = key.split(":");
      return (
        getSearchParameter(resourceType, code ?? key)?.type === "reference" &&
        (modifier === undefined || /^[A-Z]/.test(modifier)) &&
        value.includes("/")
      );
    })
    .map(([, value]) => value.split(",").map((ref) => `"${ref}"`));
}

function containsAll(json: string, needles: string[][]): boolean {
  return needles.every((alternatives) => alternatives.some((needle) => json.includes(needle)));
}

/** `patient=123` → `patient=Patient/123` (medplum only matches typed references). */
function normalizeReferenceValue(resourceType: string, key: string, value: string): string {
  const [code, modifier] = key.split(":");
  const param = getSearchParameter(resourceType, code ?? key);
  if (param?.type !== "reference") return value;
  const targets = param.target ?? [];
  const targetType =
    modifier && /^[A-Z]/.test(modifier)
      ? modifier
      : targets.length === 1
        ? targets[0]
        : targets.includes("Patient") && (code === "patient" || code === "subject")
          ? "Patient"
          : undefined;
  if (!targetType) return value;
  return value
    .split(",")
    .map((v) => (v.includes("/") ? v : `${targetType}/${v}`))
    .join(",");
}

/** Comparable key of a resource for a sort parameter: instants for dates (Period → start), else text. */
function sortKey(resource: FhirResource, resourceType: string, code: string): number | string | undefined {
  const param = getSearchParameter(resourceType, code);
  if (code === "_lastUpdated") return resource.meta?.lastUpdated ? Date.parse(resource.meta.lastUpdated) : undefined;
  if (code === "_id") return resource.id;
  if (!param?.expression) return undefined;
  const first: unknown = searchValues(resource, param)[0]?.value;
  if (first === undefined || first === null) return undefined;
  if (param.type === "date") {
    const raw = typeof first === "string" ? first : ((first as { start?: string; end?: string }).start ?? (first as { end?: string }).end);
    const time = raw ? Date.parse(raw) : NaN;
    return Number.isNaN(time) ? undefined : time;
  }
  if (typeof first === "number") return first;
  if (typeof first === "string") return first;
  const coding = (first as { coding?: { code?: string }[] }).coding?.[0]?.code;
  return coding ?? JSON.stringify(first);
}

function sortResources(resources: FhirResource[], resourceType: string, rules: string[]): void {
  if (rules.length === 0) return;
  const parsed = rules.map((rule) => ({ code: rule.replace(/^-/, ""), descending: rule.startsWith("-") }));
  const keyed = resources.map((resource) => ({ resource, keys: parsed.map((r) => sortKey(resource, resourceType, r.code)) }));
  keyed.sort((a, b) => {
    for (const [i, rule] of parsed.entries()) {
      const ka = a.keys[i];
      const kb = b.keys[i];
      if (ka === kb) continue;
      if (ka === undefined) return 1; // missing values last, whatever the direction
      if (kb === undefined) return -1;
      const cmp = typeof ka === "number" && typeof kb === "number" ? ka - kb : String(ka).localeCompare(String(kb));
      if (cmp !== 0) return rule.descending ? -cmp : cmp;
    }
    return (a.resource.id ?? "").localeCompare(b.resource.id ?? "");
  });
  keyed.forEach((k, i) => (resources[i] = k.resource));
}

function pageLinks(typeUrl: string, params: Pair[], offset: number, count: number, total: number): BundleLink[] {
  const url = (off: number) => {
    const q = new URLSearchParams(params.filter(([k]) => k !== "_count"));
    q.set("_count", String(count));
    if (off > 0) q.set("_offset", String(off));
    return `${typeUrl}?${q.toString()}`;
  };
  const links: BundleLink[] = [{ relation: "self", url: url(offset) }];
  if (count > 0 && offset + count < total) links.push({ relation: "next", url: url(offset + count) });
  if (offset > 0) links.push({ relation: "previous", url: url(Math.max(0, offset - count)) });
  return links;
}

/** `_include=SourceType:param[:TargetType]` for references to other stored resources (not contained ones). */
async function includedEntries(repo: Repo, page: FhirResource[], includes: string[], baseUrl: string): Promise<BundleEntry[]> {
  const seen = new Set(page.map((r) => `${r.resourceType}/${r.id ?? ""}`));
  const out: BundleEntry[] = [];
  for (const include of includes) {
    const [sourceType, code, targetType] = include.split(":");
    if (!sourceType || !code) throw FhirHttpError.badRequest(`_include must be SourceType:param, got "${include}"`);
    const param = getSearchParameter(sourceType, code);
    if (param?.type !== "reference" || !param.expression) continue;
    for (const resource of page.filter((r) => r.resourceType === sourceType)) {
      for (const ref of searchValues(resource, param).map((v) => v.value as Reference)) {
        const [type, id] = (ref.reference ?? "").split("/");
        if (!type || !id || (targetType && type !== targetType) || seen.has(`${type}/${id}`)) continue;
        seen.add(`${type}/${id}`);
        const target = await repo.readResource(type, id).catch(() => undefined);
        if (target)
          out.push({ fullUrl: `${baseUrl}/${type}/${id}`, resource: target as unknown as FhirResource, search: { mode: "include" } });
      }
    }
  }
  return out;
}
