/**
 * SMART v2 patient scopes (`patient/Observation.rs`) and the v1 spelling (`patient/Observation.read`),
 * parsed into what the FHIR proxy enforces: which resource types may be read (r) or searched (s).
 */
export interface ScopeGrants {
  read: Set<string>;
  search: Set<string>;
}

const PATIENT_SCOPE = /^patient\/(\*|[A-Z][A-Za-z]+)\.(read|\*|[cruds]+)$/;

export function parseScopes(scope: string): ScopeGrants {
  const grants: ScopeGrants = { read: new Set(), search: new Set() };
  for (const s of scope.split(/\s+/)) {
    const m = PATIENT_SCOPE.exec(s);
    if (!m) continue;
    const [, type = "", perms = ""] = m;
    const v1 = perms === "read" || perms === "*";
    if (v1 || perms.includes("r")) grants.read.add(type);
    if (v1 || perms.includes("s")) grants.search.add(type);
  }
  return grants;
}

export function allows(grants: ScopeGrants, type: string, interaction: "read" | "search"): boolean {
  const set = grants[interaction];
  return set.has(type) || set.has("*");
}

/** The scopes granted: what was asked, minus what this server does not issue (openid/fhirUser: no id_token here). */
export function grantedScope(requested: string): string {
  return requested
    .split(/\s+/)
    .filter((s) => s && s !== "openid" && s !== "fhirUser")
    .join(" ");
}
