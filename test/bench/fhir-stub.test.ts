import type { Bundle, FhirResource } from "fhir/r4";
import { generatePatient, realisticSpec } from "../../bench/fixtures/patient-generator";
import { startFhirStub, type FhirStub } from "../../bench/lib/fhir-stub";

const NOW = new Date();
const data = generatePatient({ ...realisticSpec, now: NOW });
const calciumAndAlbumin = "code=http://loinc.org|17861-6,http://loinc.org|1751-7";
const expected = data.observations.filter((o) => ["17861-6", "1751-7"].includes(o.code.coding?.[0]?.code ?? ""));

async function get(url: string): Promise<{ status: number; json: Bundle<FhirResource> }> {
  const res = await fetch(url);
  return { status: res.status, json: (await res.json()) as Bundle<FhirResource> };
}

describe("FHIR stub", () => {
  let flat: FhirStub;
  let paged: FhirStub;
  beforeAll(async () => {
    flat = await startFhirStub(data, { delayMs: 1, paged: false });
    paged = await startFhirStub(data, { delayMs: 1, paged: true });
  });
  afterAll(async () => {
    await Promise.all([flat.close(), paged.close()]);
  });

  it("answers a code search with exactly the matching observations, newest first", async () => {
    const { status, json } = await get(`${flat.base}/Observation?patient=bench-pat&${calciumAndAlbumin}`);
    expect(status).toBe(200);
    const ids = (json.entry ?? []).map((e) => e.resource?.id);
    expect(new Set(ids)).toEqual(new Set(expected.map((o) => o.id)));
    const dates = (json.entry ?? []).map((e) => (e.resource as { effectiveDateTime: string }).effectiveDateTime);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(json.link).toBeUndefined();
  });

  it("applies _count", async () => {
    const { json } = await get(`${flat.base}/Observation?patient=bench-pat&${calciumAndAlbumin}&_count=3`);
    expect(json.entry).toHaveLength(3);
  });

  it("splits every search into two pages when paged, the first linking to the second", async () => {
    const first = await get(`${paged.base}/Observation?patient=bench-pat&${calciumAndAlbumin}`);
    const next = first.json.link?.find((l) => l.relation === "next")?.url;
    expect(next).toMatch(new RegExp(`^${paged.origin}/fhir/Observation\\?`));
    const second = await get(next!);
    expect(second.json.link).toBeUndefined();
    const all = [...(first.json.entry ?? []), ...(second.json.entry ?? [])].map((e) => e.resource?.id);
    expect(first.json.entry).toHaveLength(Math.ceil(expected.length / 2));
    expect(new Set(all)).toEqual(new Set(expected.map((o) => o.id)));
  });

  it("reads the patient, lists statements and conditions, and 404s anything else", async () => {
    expect((await get(`${flat.base}/Patient/bench-pat`)).json.id).toBe("bench-pat");
    expect((await get(`${flat.base}/MedicationStatement?patient=bench-pat`)).json.entry).toHaveLength(10);
    expect((await get(`${flat.base}/Condition?patient=bench-pat`)).json.entry).toHaveLength(3);
    expect((await get(`${flat.base}/Patient/someone-else`)).status).toBe(404);
    expect((await get(`${flat.base}/Encounter?patient=bench-pat`)).status).toBe(404);
  });

  it("counts requests and connections", () => {
    const s = flat.stats();
    expect(s.requests).toBe(7); // 1 + 1 + 5 requests to the unpaged stub above
    expect(s.connections).toBeGreaterThanOrEqual(1);
  });
});
