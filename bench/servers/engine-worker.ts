/**
 * Child process of the engine-scaling benchmark: runs runEngine (normalize → rules → render) on
 * generated patients of each size and reports, per size, the median CPU and wall time per patient
 * over batches (CPU time is what a shared machine distorts least). Input: argv[2] = JSON
 * { sizes: number[], minMs: number }; output: one IPC message { type: "engine", results }.
 */
import { mergeClinicalConfig } from "../../src/config/clinical-config";
import { runEngine } from "../../src/engine";
import { groupResources } from "../../src/fhir/group-resources";
import type { RenderContext } from "../../src/render";
import { SERVICE_NAME } from "../../src/service-name";
import { patientOfSize } from "../fixtures/patient-generator";

export interface EngineSizeResult {
  n: number;
  observations: number;
  medications: number;
  cpuMs: number;
  wallMs: number;
  iterations: number;
  labs: number;
  cards: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? Number.NaN;
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function measure(n: number, minMs: number): EngineSizeResult {
  const now = new Date();
  const data = patientOfSize(n, now);
  const resources = groupResources([data.patient, ...data.resources], { patientId: data.patient.id ?? "", draftOrders: [] });
  const config = mergeClinicalConfig({});
  const render: RenderContext = {
    hook: "patient-view",
    patientId: data.patient.id ?? "",
    serviceLabel: SERVICE_NAME,
    draftOrders: [],
    smartLaunchUrl: "http://127.0.0.1/smart/launch.html",
  };
  const run = () => runEngine(resources, { config, now, render });
  const first = run();
  // batch size: enough iterations for ≥ 20 ms, so cpuUsage's resolution does not matter
  const t0 = performance.now();
  run();
  const perBatch = Math.max(1, Math.ceil(20 / Math.max(0.001, performance.now() - t0)));
  const cpu: number[] = [];
  const wall: number[] = [];
  const started = performance.now();
  while (cpu.length < 5 || performance.now() - started < minMs) {
    const c = cpuNow();
    const w = performance.now();
    for (let i = 0; i < perBatch; i++) run();
    wall.push((performance.now() - w) / perBatch);
    cpu.push((cpuNow() - c) / perBatch);
  }
  return {
    n,
    observations: data.observations.length,
    medications: data.medicationStatements.length,
    cpuMs: median(cpu),
    wallMs: median(wall),
    iterations: cpu.length * perBatch,
    labs: first.facts.labs.length,
    cards: first.cards.length,
  };
}

const input = JSON.parse(process.argv[2] ?? "{}") as { sizes?: number[]; minMs?: number };
const results = (input.sizes ?? []).map((n) => measure(n, input.minMs ?? 1000));
process.send?.({ type: "engine", results }, () => process.exit(0));
