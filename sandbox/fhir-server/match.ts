/**
 * Search matching for the in-process FHIR server: medplum's `matchesSearchRequest` semantics
 * (token `system|code`, comma = OR, date prefixes, `:not`, `:missing`, string prefix match…), but
 * evaluated with the search parameter's FHIRPath narrowed to the searched resource type and parsed
 * once per process (`getSearchParameterDetails(...).parsedExpression`, cached by medplum).
 *
 * Why not call `matchesSearchRequest`: it parses the parameter's whole expression for every resource
 * it tests, and R4's shared parameters are unions over dozens of types (`patient` is 1,400
 * characters, `date` 400): about 5 ms per Observation per filter. A hook runs nine searches in the
 * same process as the service, so on a loaded 2-core machine the fallback reads hit the hook's
 * 4-second deadline. Narrowed and parsed once, the same test takes microseconds.
 *
 * The comparison functions follow medplum's src/search/match.ts (Apache-2.0, @medplum/core 4.5).
 */
import {
  convertToSearchableDates,
  convertToSearchableReferences,
  convertToSearchableStrings,
  convertToSearchableTokens,
  evalFhirPathTyped,
  getSearchParameter,
  getSearchParameterDetails,
  Operator,
  parseFhirPath,
  splitSearchOnComma,
  toPeriod,
  toTypedValue,
  type FhirPathAtom,
  type SearchRequest,
  type TypedValue,
} from "@medplum/core";

type Filter = NonNullable<SearchRequest["filters"]>[number];
type SearchParam = NonNullable<ReturnType<typeof getSearchParameter>>;

const compiled = new Map<string, FhirPathAtom | null>();

/**
 * The parameter's FHIRPath for this resource type, parsed once. Falls back to the whole expression
 * (parsed once too) when medplum cannot narrow it, e.g. the `Resource.*` parameters (`_id`).
 */
export function compiledExpression(resourceType: string, param: SearchParam): FhirPathAtom | undefined {
  const key = `${resourceType}|${param.code ?? ""}|${param.expression ?? ""}`;
  let atom = compiled.get(key);
  if (atom === undefined) {
    atom = null;
    if (param.expression) {
      const narrowsToType = param.expression
        .split("|")
        .some((part) => part.trim().startsWith(`${resourceType}.`) || part.trim().startsWith(`(${resourceType}.`));
      try {
        atom = narrowsToType ? getSearchParameterDetails(resourceType, param).parsedExpression : parseFhirPath(param.expression);
      } catch {
        atom = parseFhirPath(param.expression);
      }
    }
    compiled.set(key, atom);
  }
  return atom ?? undefined;
}

/** The values of a search parameter on a resource (typed), with the compiled expression. */
export function searchValues(resource: { resourceType: string }, param: SearchParam): TypedValue[] {
  const atom = compiledExpression(resource.resourceType, param);
  return atom ? evalFhirPathTyped(atom, [toTypedValue(resource)]) : [];
}

/** Whether the resource satisfies every filter of the request (medplum semantics). */
export function matchesRequest(resource: { resourceType: string }, request: SearchRequest): boolean {
  if (request.resourceType !== resource.resourceType) return false;
  return (request.filters ?? []).every((filter) => matchesFilter(resource, request.resourceType, filter));
}

function matchesFilter(resource: { resourceType: string }, resourceType: string, filter: Filter): boolean {
  const param = getSearchParameter(resourceType, filter.code);
  if (!param) return false;
  const values = searchValues(resource, param);
  if (filter.operator === Operator.MISSING || filter.operator === Operator.PRESENT) {
    const desired =
      (filter.operator === Operator.MISSING && filter.value === "false") ||
      (filter.operator === Operator.PRESENT && filter.value === "true");
    return desired === values.length > 0;
  }
  switch (param.type) {
    case "reference":
      return matchesReference(values, filter);
    case "string":
    case "uri":
      return anyMatch(convertToSearchableStrings(values), filter, (v, f) => v.toLowerCase().includes(f.toLowerCase()));
    case "token":
      return anyMatch(convertToSearchableTokens(values), filter, matchesToken);
    case "date":
      return anyMatch(convertToSearchableDates(values), filter, (v, f) => matchesDate(v, filter.operator, f));
    default:
      return false;
  }
}

const isNegated = (operator: Operator) => operator === Operator.NOT_EQUALS || operator === Operator.NOT;

function anyMatch<T>(resourceValues: T[], filter: Filter, match: (value: T, filterValue: string) => boolean): boolean {
  const negated = isNegated(filter.operator);
  const filterValues = splitSearchOnComma(filter.value);
  for (const value of resourceValues) {
    if (filterValues.some((f) => match(value, f))) return !negated;
  }
  return negated;
}

function matchesReference(values: TypedValue[], filter: Filter): boolean {
  if (filter.value === "" && values.length === 0) return filter.operator === Operator.EQUALS;
  const references = convertToSearchableReferences(values);
  const negated = isNegated(filter.operator);
  for (const filterValue of splitSearchOnComma(filter.value)) {
    if (references.includes(filterValue)) return !negated;
  }
  return negated;
}

function matchesToken(value: { system?: string | undefined; value?: string | undefined }, filterValue: string): boolean {
  if (filterValue.includes("|")) {
    const [system, code] = filterValue.split("|").map((s) => s.toLowerCase());
    if (!system && !code) return false;
    if (!system) return !value.system && value.value?.toLowerCase() === code;
    return value.system?.toLowerCase() === system && (!code || value.value?.toLowerCase() === code);
  }
  return value.value?.toLowerCase() === filterValue.toLowerCase();
}

function matchesDate(
  value: { start?: string | undefined; end?: string | undefined } | undefined,
  operator: Operator,
  filterValue: string,
): boolean {
  const filterPeriod = value ? toPeriod(filterValue) : undefined;
  if (!value || !filterPeriod) return false;
  const start = value.start ?? "0000";
  const end = value.end ?? "9999";
  const fStart = filterPeriod.start ?? "";
  const fEnd = filterPeriod.end ?? "";
  switch (operator) {
    case Operator.APPROXIMATELY:
    case Operator.EQUALS:
    case Operator.NOT_EQUALS:
      return start < fEnd && end > fStart;
    case Operator.LESS_THAN:
      return start < fStart;
    case Operator.GREATER_THAN:
      return end > fEnd;
    case Operator.LESS_THAN_OR_EQUALS:
      return start <= fEnd;
    case Operator.GREATER_THAN_OR_EQUALS:
      return end >= fStart;
    case Operator.STARTS_AFTER:
      return start > fEnd;
    case Operator.ENDS_BEFORE:
      return end < fStart;
    default:
      return false;
  }
}
