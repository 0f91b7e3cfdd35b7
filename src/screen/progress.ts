/**
 * Progress on stderr: on a terminal one bar redrawn in place (patients done, patients/s, ETA); otherwise
 * (CI, Kubernetes logs) a plain line at most every `plainEveryMs` and at the end. The clock is injected.
 */
export interface ProgressSink {
  isTTY: boolean;
  write(text: string): void;
  columns?: number;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

export class Progress {
  private done = 0;
  private lastDraw = -Infinity;
  private readonly startedAt: number;
  /** (time, done) samples of the last ~10 s for the rate. */
  private samples: [number, number][] = [];

  constructor(
    private readonly sink: ProgressSink,
    private readonly total: number,
    private readonly clock: () => number = () => Date.now(),
    private readonly options: { label?: string; plainEveryMs?: number; alreadyDone?: number } = {},
  ) {
    this.done = options.alreadyDone ?? 0;
    this.startedAt = clock();
    this.samples.push([this.startedAt, this.done]);
  }

  add(n: number): void {
    this.done += n;
    const now = this.clock();
    this.samples.push([now, this.done]);
    while (this.samples.length > 2 && now - this.samples[0]![0] > 10_000) this.samples.shift();
    const every = this.sink.isTTY ? 100 : (this.options.plainEveryMs ?? 5_000);
    if (now - this.lastDraw >= every) this.draw(now);
  }

  /** Patients per second over the last ~10 s. */
  rate(now = this.clock()): number {
    const [t0, d0] = this.samples[0]!;
    const seconds = (now - t0) / 1000;
    return seconds > 0 ? (this.done - d0) / seconds : 0;
  }

  line(now = this.clock()): string {
    const rate = this.rate(now);
    const pct = this.total > 0 ? Math.floor((this.done / this.total) * 100) : 100;
    const eta = rate > 0 ? formatDuration((this.total - this.done) / rate) : "?";
    return `${this.options.label ?? "screen"}: ${this.done.toLocaleString("en-US")}/${this.total.toLocaleString("en-US")} patients (${pct}%), ${Math.round(rate).toLocaleString("en-US")} patients/s, ETA ${eta}`;
  }

  private draw(now: number): void {
    this.lastDraw = now;
    if (!this.sink.isTTY) {
      this.sink.write(`${this.line(now)}\n`);
      return;
    }
    const width = 24;
    const filled = this.total > 0 ? Math.min(width, Math.round((this.done / this.total) * width)) : width;
    const bar = `[${"#".repeat(filled)}${"-".repeat(width - filled)}] `;
    const text = `${bar}${this.line(now)}`.slice(0, Math.max(20, (this.sink.columns ?? 120) - 1));
    this.sink.write(`\r${text}\x1b[K`);
  }

  finish(): void {
    const now = this.clock();
    const seconds = (now - this.startedAt) / 1000;
    const overall = seconds > 0 ? Math.round((this.done - (this.options.alreadyDone ?? 0)) / seconds) : 0;
    const text = `${this.options.label ?? "screen"}: ${this.done.toLocaleString("en-US")}/${this.total.toLocaleString("en-US")} patients in ${formatDuration(seconds)} (${overall.toLocaleString("en-US")} patients/s)`;
    this.sink.write(this.sink.isTTY ? `\r${text}\x1b[K\n` : `${text}\n`);
  }
}
