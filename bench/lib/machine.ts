/** The machine a run happened on, from `os` and `process` (goes at the top of docs/benchmarks.md). */
import os from "node:os";

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
