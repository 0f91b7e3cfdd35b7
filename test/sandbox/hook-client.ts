/**
 * A tiny CDS client for the sandbox tests: builds hook requests for a demo patient and computes
 * prefetch the way an EHR would — from the discovery templates, run against the FHIR server,
 * every `next` page followed and merged (prefetched Bundles carry no next link), null when empty.
 */
import { randomUUID } from "node:crypto";
import type { Bundle, BundleLink, FhirResource } from "fhir/r4";
import type { DemoPatient } from "../../sandbox/load-patients";

export const TOPIC_SYSTEM = "https://vitd-cds.example.org/pattern";
export const DEMO_USER = "Practitioner/vitd-demo-pr-okafor";

export const SERVICE_ID: Record<DemoPatient["hook"], string> = {
  "patient-view": "vitd-patient-view",
  "order-sign": "vitd-order-sign",
};

export interface HookBody {
  hook: string;
  hookInstance: string;
  fhirServer?: string;
  context: Record<string, unknown>;
  prefetch?: Record<string, unknown>;
}

export function hookRequest(patient: Pick<DemoPatient, "id" | "hook">, draftOrders: Bundle | undefined, fhirServer?: string): HookBody {
  const context: Record<string, unknown> = { userId: DEMO_USER, patientId: patient.id };
  if (patient.hook === "order-sign") context["draftOrders"] = draftOrders;
  return { hook: patient.hook, hookInstance: randomUUID(), ...(fhirServer ? { fhirServer } : {}), context };
}

function fill(template: string, context: Record<string, unknown>): string {
  return template.replace(/\{\{\s*context\.(\w+)\s*\}\}/g, (_m, name: string) => encodeURIComponent(String(context[name])));
}

async function getJson(url: string): Promise<{ status: number; body: FhirResource | undefined }> {
  const res = await fetch(url, { headers: { accept: "application/fhir+json" } });
  return { status: res.status, body: res.ok ? ((await res.json()) as FhirResource) : undefined };
}

/** Runs each prefetch template against `fhirBase` like an EHR: reads → resource or null, searches → all pages merged or null. */
export async function computePrefetch(
  templates: Record<string, string>,
  context: Record<string, unknown>,
  fhirBase: string,
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [key, template] of Object.entries(templates)) {
    let url: string | undefined = `${fhirBase}/${fill(template, context)}`;
    if (!template.includes("?")) {
      const { status, body } = await getJson(url);
      if (status !== 200 && status !== 404) throw new Error(`prefetch ${key}: HTTP ${status}`);
      out[key] = body ?? null;
      continue;
    }
    const entries: NonNullable<Bundle["entry"]> = [];
    let pages = 0;
    while (url) {
      const { status, body } = await getJson(url);
      if (status !== 200 || body?.resourceType !== "Bundle") throw new Error(`prefetch ${key}: HTTP ${status}`);
      entries.push(...(body.entry ?? []));
      url = body.link?.find((l: BundleLink) => l.relation === "next")?.url;
      pages += 1;
      if (pages > 50) throw new Error(`prefetch ${key}: too many pages`);
    }
    out[key] =
      entries.length === 0 ? null : ({ resourceType: "Bundle", type: "searchset", total: entries.length, entry: entries } satisfies Bundle);
  }
  return out;
}

interface CardLike {
  indicator: string;
  summary: string;
  source: { topic?: { system?: string; code?: string } };
}

/** { topic code → indicator } of a hook response, failing on duplicate topics or foreign topic systems. */
export function indicatorsByTopic(cards: CardLike[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const card of cards) {
    const topic = card.source.topic;
    if (topic?.system !== TOPIC_SYSTEM || !topic.code) throw new Error(`card without a vitd-cds topic: ${card.summary}`);
    if (out[topic.code]) throw new Error(`two cards for ${topic.code}`);
    out[topic.code] = card.indicator;
  }
  return out;
}
