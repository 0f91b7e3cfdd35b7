/**
 * Condition → ConditionFact (docs/clinical-logic.md §13). Kept when clinicalStatus is
 * active | recurrence | relapse (or absent: many problem lists omit it) and verificationStatus
 * is not refuted / entered-in-error. SNOMED CT by exact system + code, ICD-10-CM by prefix.
 */
import type { Coding, Condition } from "fhir/r4";
import type { ConditionFact, ConditionKind } from "../facts";
import type { Compiled } from "./compile";
import { codeKey, icdKey } from "./compile";

const ACTIVE = new Set(["active", "recurrence", "relapse"]);
const EXCLUDED_VERIFICATION = new Set(["refuted", "entered-in-error"]);

function isCurrent(c: Condition): boolean {
  const clinical = c.clinicalStatus?.coding?.find((x) => x.code)?.code;
  const verification = c.verificationStatus?.coding?.find((x) => x.code)?.code;
  if (verification && EXCLUDED_VERIFICATION.has(verification)) return false;
  return clinical === undefined || ACTIVE.has(clinical);
}

function kindsOf(coding: Coding, c: Compiled): { kind: ConditionKind; display: string }[] {
  const exact = c.conditionByCode.get(codeKey(coding.system, coding.code)) ?? [];
  const out = exact.map((e) => ({ kind: e.kind, display: e.display }));
  if (coding.code && coding.system) {
    const key = icdKey(coding.code);
    for (const p of c.conditionPrefixes) {
      if (p.system === coding.system && key.startsWith(p.key)) out.push({ kind: p.kind, display: p.display });
    }
  }
  return out;
}

export function normalizeConditions(conditions: readonly Condition[], c: Compiled): ConditionFact[] {
  const facts: ConditionFact[] = [];
  conditions.forEach((cond, i) => {
    if (!isCurrent(cond)) return;
    const seen = new Set<ConditionKind>();
    for (const coding of cond.code?.coding ?? []) {
      for (const { kind, display } of kindsOf(coding, c)) {
        if (seen.has(kind)) continue;
        seen.add(kind);
        const fact: ConditionFact = {
          id: `Condition/${cond.id ?? `unknown-${i}`}`,
          kind,
          code: { system: coding.system!, code: coding.code!, ...(coding.display ? { display: coding.display } : {}) },
          display: coding.display ?? cond.code?.text ?? display,
        };
        const date = cond.onsetDateTime ?? cond.onsetPeriod?.start ?? cond.recordedDate;
        if (date) fact.date = date;
        facts.push(fact);
      }
    }
  });
  return facts;
}
