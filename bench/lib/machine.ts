/** The machine a run happened on, from `os` and `process` (goes at the top of docs/benchmarks.md). */
import os from "node:os";
import { median } from "./stats";

export interface MachineInfo {
  cpuModel: string;
  cpuCount: number;
  memoryGiB: number;
  node: string;
  platform: string;
  /** 1/5/15-minute load averages when the run started (other work on the machine shows here). */
  loadAverage: number[];
}

export function describeMachine(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cpuCount: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** A fixed document of ≈ 48 KiB (the size of the hook-overhead body), built the same way every run. */
const REFERENCE_DOCUMENT = JSON.stringify(
  Array.from({ length: 227 }, (_, i) => ({
    resourceType: "Observation",
    id: `ref-${i}`,
    status: "final",
    code: { coding: [{ system: "http://loinc.org", code: "1989-3" }] },
    effectiveDateTime: `2026-01-${String((i % 28) + 1).padStart(2, "0")}T08:00:00Z`,
    valueQuantity: { value: i / 10, unit: "ng/mL" },
  })),
);

/** This process's CPU time so far (user + system, every thread), in µs. */
export function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/**
 * The host's speed right now: µs of CPU for one `JSON.parse` of a fixed 48 KiB document (median of batches).
 * On a shared VM the same code runs up to ≈ 1.5 × slower in some stretches without the load average showing it;
 * the report gives this at the start and the end of a run, so absolute figures of two runs can be compared.
 */
export function referenceParseMicros(): number {
  const batch = 50;
  for (let i = 0; i < batch; i++) JSON.parse(REFERENCE_DOCUMENT);
  const samples: number[] = [];
  for (let b = 0; b < 15; b++) {
    const c = cpuMicros();
    for (let i = 0; i < batch; i++) JSON.parse(REFERENCE_DOCUMENT);
    samples.push((cpuMicros() - c) / batch);
  }
  return Math.round(median(samples));
}
