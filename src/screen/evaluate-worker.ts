/**
 * Worker thread of the evaluation: batches of patients in, one PatientOutcome per patient out
 * (evaluate-patient.ts). The clinical configuration is loaded here from the same file as the main
 * thread's (CDS_THRESHOLDS), so every worker runs the same rules.
 */
import { parentPort, workerData } from "node:worker_threads";
import { loadClinicalConfigFile } from "../config/clinical-config-file";
import { evaluatePatient, type EvaluationContext, type PatientOutcome } from "./evaluate-patient";
import type { PatientResources } from "./stage";

export interface EvaluateWorkerData {
  thresholdsPath?: string;
  now: string;
  serviceLabel: string;
  smartLaunchUrl?: string;
}

export type ToEvaluateWorker = { batchId: number; patients: PatientResources[] };
export type FromEvaluateWorker = { batchId: number; outcomes: PatientOutcome[] } | { batchId: number; error: string };

const data = workerData as EvaluateWorkerData;
const ctx: EvaluationContext = {
  config: loadClinicalConfigFile(data.thresholdsPath),
  now: new Date(data.now),
  serviceLabel: data.serviceLabel,
  ...(data.smartLaunchUrl ? { smartLaunchUrl: data.smartLaunchUrl } : {}),
};

parentPort?.on("message", (msg: ToEvaluateWorker) => {
  try {
    const outcomes = msg.patients.map((p) => evaluatePatient(p.id, p.lines, ctx));
    parentPort?.postMessage({ batchId: msg.batchId, outcomes } satisfies FromEvaluateWorker);
  } catch (err) {
    parentPort?.postMessage({
      batchId: msg.batchId,
      error: err instanceof Error ? (err.stack ?? err.message) : String(err),
    } satisfies FromEvaluateWorker);
  }
});
