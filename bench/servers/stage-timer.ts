/**
 * Child of bench/stages.ts: times each stage of one hook call in-process (compiled JavaScript), for
 * the realistic patient of the hook-overhead benchmark; prints µs of CPU per call (median of batches).
 */
import { mergeClinicalConfig } from "../../src/config/clinical-config";
import { parseHookRequest } from "../../src/cds/request-schema";
import { runHook, type PipelineDeps } from "../../src/cds/pipeline";
import { createSuppression } from "../../src/feedback/suppression";
import { SqliteFeedbackStore } from "../../src/feedback/sqlite-store";
import { gatherClinicalResources } from "../../src/fhir/clinical-data";
import { prefetchQueries } from "../../src/fhir/queries";
import { normalizeFacts } from "../../src/fhir/normalize";
import { evaluateRules } from "../../src/rules";
import { renderCards } from "../../src/render";
import { nodeHttpGet } from "../../src/net/http-get";
import { Limiter } from "../../src/net/limiter";
import { createLogger } from "../../src/logger";
import { readFileSync } from "node:fs";

/** argv[2] = JSON { bodyFile, now, patientId, minMs, only? } (written by bench/stages.ts). */
const input = JSON.parse(process.argv[2] ?? "{}") as { bodyFile: string; now: string; patientId: string; minMs: number; only?: string };
const minMs = input.minMs;
const only = input.only;
const now = new Date(input.now);
const text = readFileSync(input.bodyFile, "utf8");
const config = mergeClinicalConfig({});
const dataAccess = {
  httpGet: nodeHttpGet(),
  timeoutMs: 1000,
  maxPages: 5,
  maxResponseBytes: 1e7,
  limiter: new Limiter(8),
  isFhirServerAllowed: () => false,
  now,
};
const render = { hook: "patient-view" as const, patientId: input.patientId, serviceLabel: "vitd-cds", draftOrders: [] };

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
async function time(label: string, fn: () => unknown): Promise<void> {
  if (only && !label.includes(only)) return;
  for (let i = 0; i < 200; i++) await fn();
  const batch = 100;
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < 7 || performance.now() - start < minMs) {
    const c = cpu();
    for (let i = 0; i < batch; i++) await fn();
    samples.push(((cpu() - c) * 1000) / batch);
  }
  samples.sort((a, b) => a - b);
  console.log(`${label.padEnd(34)} ${samples[Math.floor(samples.length / 2)]!.toFixed(1).padStart(8)} µs`);
}

async function main() {
  const parsed = JSON.parse(text) as unknown;
  const req = parseHookRequest("patient-view", parsed);
  const resources = await gatherClinicalResources(req, prefetchQueries, dataAccess);
  const facts = normalizeFacts(resources);
  const findings = evaluateRules(facts, config, now);
  const store = new SqliteFeedbackStore(":memory:");
  const deps: PipelineDeps = {
    clinicalConfig: config,
    clock: () => now,
    dataAccess,
    serviceLabel: "vitd-cds",
    cards: createSuppression({ store, suppressDays: 30, clock: () => now, logger: createLogger("silent") }),
  };
  console.log(`body ${(text.length / 1024).toFixed(1)} KiB, ${resources.observations.length} observations, ${findings.length} findings`);
  await time("JSON.parse", () => JSON.parse(text));
  await time("parseHookRequest", () => parseHookRequest("patient-view", parsed));
  await time("gatherClinicalResources (read)", () => gatherClinicalResources(req, prefetchQueries, dataAccess));
  await time("normalizeFacts", () => normalizeFacts(resources));
  await time("evaluateRules", () => evaluateRules(facts, config, now));
  await time("renderCards", () => renderCards(findings, render));
  await time("runHook (no card stages)", () => runHook("vitd-patient-view", parsed, { ...deps, cards: {} }, { baseUrl: undefined }));
  await time("runHook (suppression + record)", () => runHook("vitd-patient-view", parsed, deps, { baseUrl: undefined }));
  // As the server sees it: a fresh parse each time (new objects, cold inline caches).
  await time("JSON.parse + runHook (all stages)", () => runHook("vitd-patient-view", JSON.parse(text), deps, { baseUrl: undefined }));
}

void main();
