/**
 * The fast request guard (src/cds/request-check.ts) against the zod schemas it stands in for: on every
 * valid request it must accept and give zod's output, and on any body it accepts zod must accept too,
 * with the same output. It may decline a body zod accepts (zod then answers), never the other way round.
 */
import fc from "fast-check";
import type { FhirResource } from "fhir/r4";
import { fullPrefetch, orderSelectBody, orderSignBody, patientViewBody, searchset } from "../../devkit/hook-requests";
import { checkedHookRequest } from "../../src/cds/request-check";
import { parseWithZod, type HookName } from "../../src/cds/request-schema";
import { hookInstanceSchema, UUID } from "../../src/cds/request-fields";
import { deficientOn50000Weekly, toxicity10000Daily } from "../fixtures/hooks";
import { mutatedBody } from "../fuzz/mutate";

type Body = Record<string, unknown>;

const draft = deficientOn50000Weekly.resources.find((r) => r.resourceType === "MedicationRequest") ?? {
  resourceType: "MedicationRequest",
  id: "draft-1",
  status: "draft",
  intent: "order",
  subject: { reference: "Patient/pat-1" },
  medicationCodeableConcept: { text: "Cholecalciferol 50,000 IU" },
};

const small = (): Record<string, FhirResource | null> => ({
  patient: deficientOn50000Weekly.patient,
  vitaminD: searchset(deficientOn50000Weekly.resources.slice(0, 1)),
  magnesium: null,
});

/** Valid requests in the shapes EHRs and the CDS Hooks Sandbox send: [name, hook, body]. */
const valid: Array<[string, HookName, Body]> = [
  [
    "patient-view, full prefetch (deficient)",
    "patient-view",
    patientViewBody({ prefetch: fullPrefetch(deficientOn50000Weekly.patient, deficientOn50000Weekly.resources) }),
  ],
  [
    "patient-view, full prefetch (toxicity)",
    "patient-view",
    patientViewBody({ prefetch: fullPrefetch(toxicity10000Daily.patient, toxicity10000Daily.resources) }),
  ],
  ["patient-view, no prefetch", "patient-view", patientViewBody()],
  ["patient-view, no FHIR server", "patient-view", patientViewBody({ fhirServer: null, prefetch: small() })],
  ["patient-view, empty prefetch", "patient-view", patientViewBody({ prefetch: {} })],
  ["order-sign with a draft", "order-sign", orderSignBody({ draftOrders: [draft], prefetch: small() })],
  ["order-sign without drafts", "order-sign", orderSignBody()],
  ["order-select with a selection", "order-select", orderSelectBody({ draftOrders: [draft], prefetch: small() })],
];

const withEncounter = patientViewBody({ prefetch: small() }) as Body & { context: Body };
withEncounter.context = { ...withEncounter.context, encounterId: "enc-7" };
valid.push(["patient-view with an encounter", "patient-view", withEncounter]);
const trailingSlash = { ...patientViewBody({ prefetch: small() }), fhirServer: "https://ehr.example.org/fhir/" };
valid.push(["fhirServer with a trailing slash", "patient-view", trailingSlash]);
const noEntries = orderSignBody() as Body & { context: Body };
noEntries.context = { ...noEntries.context, draftOrders: { resourceType: "Bundle", type: "collection" } };
valid.push(["order-sign, a draftOrders Bundle without entry", "order-sign", noEntries]);

describe("the fast guard accepts every valid request and gives zod's answer", () => {
  it.each(valid)("%s", (_name, hook, body) => {
    const zod = parseWithZod(hook, body);
    expect(zod.ok).toBe(true);
    const checked = checkedHookRequest(hook, body);
    expect(checked).toBeDefined();
    expect(checked).toEqual(zod.ok ? zod.request : undefined);
  });

  it("hands the prefetch resources on as they are (no copy)", () => {
    const prefetch = small();
    const checked = checkedHookRequest("patient-view", patientViewBody({ prefetch }));
    const vitaminD = checked?.prefetch?.vitaminD;
    expect(vitaminD?.kind).toBe("bundle");
    expect(vitaminD?.kind === "bundle" ? vitaminD.bundle : undefined).toBe(prefetch.vitaminD);
  });
});

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path in `value`, as key lists. */
function pathsOf(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const p = [...prefix, Array.isArray(value) ? Number(k) : k];
    return [p, ...pathsOf(v, p)];
  });
}

function mutated(body: Body, path: (string | number)[], value: Json | undefined): Body {
  const copy = structuredClone(body) as Json;
  let parent = copy as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, Json>;
  const key = path[path.length - 1]!;
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else parent[key] = value;
  return copy as Body;
}

const wrongValues: Json[] = [null, 5, -1, 1.5, 1e308, 2 ** 53, "", "x", "Practitioner/", true, [], {}, [{}], ["x"], "a".repeat(65)];

/** On a body the guard accepts, zod accepts too and gives the same request. */
function agrees(hook: HookName, body: Body): boolean {
  const checked = checkedHookRequest(hook, body);
  if (checked === undefined) return true;
  const zod = parseWithZod(hook, body);
  return zod.ok && expect(checked).toEqual(zod.request) === undefined;
}

describe("on every one-field change of a valid request, the guard never accepts what zod refuses", () => {
  const cases = valid.filter(([name]) => !name.includes("full prefetch"));
  it.each(cases)("%s: every field deleted or given a wrong value", (_name, hook, body) => {
    const disagreements: string[] = [];
    let checkedAccepts = 0;
    for (const path of pathsOf(body as Json)) {
      for (const value of [undefined, ...wrongValues]) {
        const changed = mutated(body, path, value);
        if (!agrees(hook, changed)) disagreements.push(`${path.join(".")} = ${JSON.stringify(value)}`);
        if (checkedHookRequest(hook, changed)) checkedAccepts++;
      }
    }
    expect(disagreements).toEqual([]);
    // The guard is not a guard that declines everything: many changes (resource fields, extras) stay valid.
    expect(checkedAccepts).toBeGreaterThan(0);
  });
});

it("the guard's UUID pattern is the one z.uuid() checks (taken from zod, not restated)", () => {
  expect(UUID.source).toBe((hookInstanceSchema._zod.def as { pattern?: RegExp }).pattern?.source);
});

describe("named refusals: the guard declines, and zod refuses too", () => {
  const base = () => patientViewBody({ prefetch: small() }) as Body & { context: Body; fhirAuthorization: Body };
  const cases: Array<[string, HookName, Body]> = [
    ["hookInstance not a UUID", "patient-view", { ...base(), hookInstance: "d1577c69-dfbe-44ad-ba6d" }],
    ["hookInstance a UUID with text after it", "patient-view", { ...base(), hookInstance: "d1577c69-dfbe-44ad-ba6d-31d53b9c2a4f\n" }],
    ["hookInstance of version 0", "patient-view", { ...base(), hookInstance: "d1577c69-dfbe-04ad-ba6d-31d53b9c2a4f" }],
    ["hookInstance a number", "patient-view", { ...base(), hookInstance: 7 }],
    ["fhirServer with credentials", "patient-view", { ...base(), fhirServer: "https://user:pw@ehr.example.org/fhir" }],
    ["fhirServer with an ftp scheme", "patient-view", { ...base(), fhirServer: "ftp://ehr.example.org/fhir" }],
    ["patientId of 65 characters", "patient-view", { ...base(), context: { ...base().context, patientId: "p".repeat(65) } }],
    ["expires_in of 1e308", "patient-view", { ...base(), fhirAuthorization: { ...base().fhirAuthorization, expires_in: 1e308 } }],
    ["expires_in of 2^53", "patient-view", { ...base(), fhirAuthorization: { ...base().fhirAuthorization, expires_in: 2 ** 53 } }],
    ["expires_in negative", "patient-view", { ...base(), fhirAuthorization: { ...base().fhirAuthorization, expires_in: -1 } }],
    ["token_type MAC", "patient-view", { ...base(), fhirAuthorization: { ...base().fhirAuthorization, token_type: "MAC" } }],
    [
      "fhirAuthorization without fhirServer",
      "patient-view",
      (() => {
        const b: Body = base();
        delete b.fhirServer;
        return b;
      })(),
    ],
    [
      "order-select with no selections",
      "order-select",
      { ...orderSelectBody({ draftOrders: [draft] }), context: { ...orderSelectBody({ draftOrders: [draft] }).context, selections: [] } },
    ],
    [
      "order-sign draft entry holding an array",
      "order-sign",
      { ...orderSignBody(), context: { ...orderSignBody().context, draftOrders: { resourceType: "Bundle", entry: [{ resource: [] }] } } },
    ],
    [
      "prefetch Bundle whose entry is a string",
      "patient-view",
      { ...base(), prefetch: { vitaminD: { resourceType: "Bundle", entry: "x" } } },
    ],
    ["prefetch value without resourceType", "patient-view", { ...base(), prefetch: { vitaminD: { entry: [] } } }],
    ["hook of another service", "patient-view", { ...base(), hook: "order-sign" }],
  ];
  it.each(cases)("%s", (_name, hook, body) => {
    expect(checkedHookRequest(hook, body)).toBeUndefined();
    expect(parseWithZod(hook, body).ok).toBe(false);
  });

  it("a prefetch key __proto__ is left to zod (which drops it)", () => {
    const body = base();
    body.prefetch = JSON.parse('{"__proto__": {"resourceType": "Patient"}, "magnesium": null}') as Body;
    expect(checkedHookRequest("patient-view", body)).toBeUndefined();
    const zod = parseWithZod("patient-view", body);
    expect(zod.ok && Object.keys(zod.request.prefetch ?? {})).toEqual(["magnesium"]);
  });
});

describe("fuzzed requests (1–4 random damages): whatever the guard accepts, zod accepts the same way", () => {
  const bodies = valid.filter(([name]) => !name.includes("full prefetch"));
  it.each(bodies)("%s", (_name, hook, body) => {
    fc.assert(
      fc.property(mutatedBody([body]), (text) => {
        const parsed = JSON.parse(text) as unknown;
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return true;
        return agrees(hook, parsed as Body);
      }),
      { numRuns: 300, seed: 20261204 },
    );
  });
});
