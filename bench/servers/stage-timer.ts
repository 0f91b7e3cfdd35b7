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
import { runEngine } from "../../src/engine";
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
/**
 * Median µs of CPU per call of `fn` over batches of 100 calls. With `prepare`, every call gets an input of its
 * own, built just before it and outside the measurement (each call timed alone): the server sees new objects
 * on every call, and some stages cache per input object (dated labs per Facts, fingerprints per Finding).
 * Inputs built a batch ahead would be measured cold (out of cache, promoted by the collector).
 */
async function time<T>(label: string, fn: (input: T) => unknown, prepare?: () => T | Promise<T>): Promise<void> {
  if (only && !label.includes(only)) return;
  const batch = 100;
  const runBatch = async (): Promise<number> => {
    if (!prepare) {
      const c = cpu();
      for (let i = 0; i < batch; i++) await fn(undefined as T);
      return cpu() - c;
    }
    let ms = 0;
    for (let i = 0; i < batch; i++) {
      const x = await prepare();
      const c = cpu();
      await fn(x);
      ms += cpu() - c;
    }
    return ms;
  };
  for (let round = 0; round < 2; round++) await runBatch();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < 7 || performance.now() - start < minMs) samples.push(((await runBatch()) * 1000) / batch);
  samples.sort((a, b) => a - b);
  console.log(`${label.padEnd(34)} ${samples[Math.floor(samples.length / 2)]!.toFixed(1).padStart(8)} µs`);
}

async function main() {
  const resources = await gatherClinicalResources(parseHookRequest("patient-view", JSON.parse(text)), prefetchQueries, dataAccess);
  const findings = evaluateRules(normalizeFacts(resources), config, now);
  const store = new SqliteFeedbackStore(":memory:");
  const deps: PipelineDeps = {
    clinicalConfig: config,
    clock: () => now,
    dataAccess,
    serviceLabel: "vitd-cds",
    cards: createSuppression({ store, suppressDays: 30, clock: () => now, logger: createLogger("silent") }),
  };
  console.log(`body ${(text.length / 1024).toFixed(1)} KiB, ${resources.observations.length} observations, ${findings.length} findings`);
  // Every stage gets what the one before it makes from a fresh JSON.parse, as in the server.
  const fresh = () => JSON.parse(text) as unknown;
  const freshRequest = () => parseHookRequest("patient-view", fresh());
  const freshResources = () => gatherClinicalResources(freshRequest(), prefetchQueries, dataAccess);
  const freshFacts = async () => normalizeFacts(await freshResources());
  const freshFindings = async () => evaluateRules(await freshFacts(), config, now);
  const noStages = { ...deps, cards: {} };
  await time("JSON.parse", () => JSON.parse(text));
  await time("parseHookRequest", (body) => parseHookRequest("patient-view", body), fresh);
  await time("gatherClinicalResources (read)", (r) => gatherClinicalResources(r, prefetchQueries, dataAccess), freshRequest);
  await time("normalizeFacts", (r) => normalizeFacts(r), freshResources);
  await time("evaluateRules", (f) => evaluateRules(f, config, now), freshFacts);
  await time("renderCards", (fs) => renderCards(fs, render), freshFindings);
  await time("runEngine", (r) => runEngine(r, { config, now, render }), freshResources);
  await time("runHook (no card stages)", (body) => runHook("vitd-patient-view", body, noStages, { baseUrl: undefined }), fresh);
  await time("runHook (suppression + record)", (body) => runHook("vitd-patient-view", body, deps, { baseUrl: undefined }), fresh);
  await time("JSON.parse + runHook (all stages)", () => runHook("vitd-patient-view", JSON.parse(text), deps, { baseUrl: undefined }));
}

void main();
