/**
 * The evaluation pool: worker threads (evaluate-worker.ts) fed batches of patients, at most
 * `maxInFlight` batches per worker at once (so reading the stage never runs far ahead of the engine
 * and memory stays flat). `submit` resolves when the batch has been handed to a worker; its outcomes
 * arrive through `onOutcomes`.
 */
import type { Worker } from "node:worker_threads";
import type { EvaluateWorkerData, FromEvaluateWorker, ToEvaluateWorker } from "./evaluate-worker";
import type { PatientOutcome } from "./evaluate-patient";
import type { PatientResources } from "./stage";
import { startWorker } from "./workers";

export class EvaluatePool {
  private readonly workers: Worker[] = [];
  private readonly inFlight: number[] = [];
  private readonly owner = new Map<number, number>();
  private nextBatch = 0;
  private waiting: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];
  private failure: Error | undefined;

  constructor(
    count: number,
    data: EvaluateWorkerData,
    private readonly onOutcomes: (outcomes: PatientOutcome[]) => void,
    private readonly maxInFlight = 3,
  ) {
    for (let i = 0; i < count; i++) {
      const worker = startWorker("evaluate-worker", data);
      this.workers.push(worker);
      this.inFlight.push(0);
      worker.on("message", (msg: FromEvaluateWorker) => this.received(msg));
      worker.on("error", (err) => this.fail(err));
      worker.on("exit", (code) => {
        if (code !== 0) this.fail(new Error(`evaluation worker exited with code ${code}`));
      });
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of [...this.waiting, ...this.idleWaiters]) w();
    this.waiting = [];
    this.idleWaiters = [];
  }

  private received(msg: FromEvaluateWorker): void {
    const w = this.owner.get(msg.batchId);
    this.owner.delete(msg.batchId);
    if (w !== undefined) this.inFlight[w] = (this.inFlight[w] ?? 1) - 1;
    if ("error" in msg) return this.fail(new Error(`evaluation failed: ${msg.error}`));
    this.onOutcomes(msg.outcomes);
    this.waiting.shift()?.();
    if (this.owner.size === 0) {
      for (const r of this.idleWaiters) r();
      this.idleWaiters = [];
    }
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  async submit(patients: PatientResources[]): Promise<void> {
    for (;;) {
      this.check();
      let best = -1;
      for (let i = 0; i < this.workers.length; i++) {
        if ((this.inFlight[i] ?? 0) < this.maxInFlight && (best < 0 || (this.inFlight[i] ?? 0) < (this.inFlight[best] ?? 0))) best = i;
      }
      if (best >= 0) {
        const batchId = this.nextBatch++;
        this.owner.set(batchId, best);
        this.inFlight[best] = (this.inFlight[best] ?? 0) + 1;
        this.workers[best]!.postMessage({ batchId, patients } satisfies ToEvaluateWorker);
        return;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  /** Resolves when every submitted batch has come back. */
  async drain(): Promise<void> {
    this.check();
    if (this.owner.size > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    this.check();
  }

  async close(): Promise<void> {
    this.failure ??= new Error("pool closed");
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
