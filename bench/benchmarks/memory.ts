/**
 * 4. Memory: RSS of the service before and after a soak at maximum throughput (4 of 5 requests
 * with a full prefetch, 1 of 5 fetching everything from a FHIR stub). "Before" is taken after a
 * warm-up and a full GC (the JIT and the first heap growth are not a leak); "after" after a GC too.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { liveBytes, readSnapshot } from "../heap-diff";
import { generatePatient, realisticSpec } from "../fixtures/patient-generator";
import { startFhirStub } from "../lib/fhir-stub";
import { maxThroughput, type HttpTarget } from "../lib/load";
import { fallbackBody, HOOK_PATH, prefetchBody, startApp } from "../lib/service";
import { median, round } from "../lib/stats";
import type { BenchOptions, BenchResult } from "../lib/types";

const MAX_GROWTH = 0.1;
const MiB = 1024 * 1024;
const mib = (bytes: number) => round(bytes / MiB);

export async function memory(o: BenchOptions): Promise<BenchResult> {
  const data = generatePatient({ ...realisticSpec, now: new Date() });
  const stub = await startFhirStub(data, { delayMs: o.stubDelayMs, paged: false });
  const app = await startApp(o, { allowlist: [stub.origin], nodeFlags: ["--expose-gc"] });
  const scratch = mkdtempSync(join(tmpdir(), "vitd-bench-heap-"));
  /** Live heap = objects in a V8 heap snapshot (reachable only); heapUsed after gc() can still count unswept garbage. */
  const snapshot = async (name: string) => {
    const path = await app.heapSnapshot(join(o.heapSnapshotDir ?? scratch, `${name}.heapsnapshot`));
    return { path, bytes: liveBytes(readSnapshot(path)) };
  };
  try {
    const url = `${app.url}${HOOK_PATH}`;
    const withPrefetch: HttpTarget = { url, method: "POST", body: prefetchBody(data) };
    const fallback: HttpTarget = { url, method: "POST", body: fallbackBody(data, stub.base) };
    const mix = { ...withPrefetch, requests: [withPrefetch, withPrefetch, withPrefetch, withPrefetch, fallback] };

    const idle = await app.stats(false);
    // Long enough for V8's young generation and malloc arenas to reach their working size (RSS plateau).
    const warmMs = Math.min(10_000, Math.max(200, o.memoryDurationMs / 6));
    const warm = await maxThroughput(mix, o.connections, warmMs);
    // Before and after alike: a heap snapshot (its full GC compacts the heap, and writing it raises RSS), then the
    // reading. With the snapshot after the "after" reading instead, that reading kept the V8 heap capacity the
    // soak had grown (31 → 63…156 MiB) and the growth row measured the order of the steps, not the service.
    const snapBefore = await snapshot("before");
    const before = await app.stats(true);

    const samples: number[] = [];
    const sampler = setInterval(
      () =>
        void app.stats(false).then(
          (m) => samples.push(m.rss),
          () => undefined,
        ),
      Math.max(100, o.memoryDurationMs / 12),
    );
    const soak = await maxThroughput(mix, o.connections, o.memoryDurationMs);
    clearInterval(sampler);
    const snapAfter = await snapshot("after");
    const after = await app.stats(true);

    const growth = (after.rss - before.rss) / before.rss;
    const third = Math.max(1, Math.floor(samples.length / 3));
    const trend = samples.length >= 3 ? median(samples.slice(-third)) / median(samples.slice(0, third)) : Number.NaN;
    const failed = warm.failed + soak.failed;
    return {
      id: "memory",
      title: `Memory: RSS before and after ${o.memoryDurationMs / 1000} s of load`,
      rows: [
        { metric: "RSS after warm-up + GC (before)", value: mib(before.rss), unit: "MiB" },
        {
          metric: `RSS after ${o.memoryDurationMs / 1000} s + GC (after)`,
          value: mib(after.rss),
          unit: "MiB",
          baseline: { label: "before", value: mib(before.rss) },
          ratio: round(after.rss / before.rss),
        },
        { metric: "RSS growth", value: round(growth * 100), unit: "%", target: `≤ ${MAX_GROWTH * 100} %`, pass: growth <= MAX_GROWTH },
        {
          metric: "live heap (heap snapshot)",
          value: mib(snapAfter.bytes),
          unit: "MiB",
          baseline: { label: "before", value: mib(snapBefore.bytes) },
          ratio: round(snapAfter.bytes / snapBefore.bytes),
        },
        {
          metric: "V8 heap capacity after GC (heapTotal)",
          value: mib(after.heapTotal),
          unit: "MiB",
          baseline: { label: "before", value: mib(before.heapTotal) },
          ratio: round(after.heapTotal / before.heapTotal),
        },
        {
          metric: "external memory after GC (Buffers, …)",
          value: mib(after.external),
          unit: "MiB",
          baseline: { label: "before", value: mib(before.external) },
          ratio: round(after.external / before.external),
        },
        { metric: "peak RSS sampled during the soak", value: mib(Math.max(after.rss, ...samples)), unit: "MiB" },
        ...(Number.isFinite(trend)
          ? [{ metric: "RSS trend in the soak (last third ÷ first third, medians)", value: round(trend), unit: "" }]
          : []),
        { metric: "requests served in the soak", value: soak.ok, unit: "", baseline: { label: "req/s", value: round(soak.rps) } },
        { metric: "failed requests", value: failed, unit: "", target: "0", pass: failed === 0 },
      ],
      notes: [
        `Service in a child process with --expose-gc; RSS at start-up before any request: ${mib(idle.rss)} MiB. Warm-up ${warmMs / 1000} s (${warm.ok} requests), then ${o.memoryDurationMs / 1000} s at maximum throughput with ${o.connections} connections.`,
        `Request mix: 4 of 5 with a full prefetch, 1 of 5 with no prefetch (9 fallback queries against the FHIR stub, ${o.stubDelayMs} ms each), so the fetch path (AbortSignal timers, keep-alive pool) is soaked too. RSS samples during the soak (MiB): ${samples.map(mib).join(", ")}.`,
        before.gcRan
          ? "Both readings follow two full GCs 100 ms apart (global.gc), so fetch's FinalizationRegistry clean-ups have run."
          : "global.gc was not available: readings are without a forced GC.",
        `Live heap = objects in a V8 heap snapshot (reachable only), taken before the "before" reading and after the "after" one; process.memoryUsage().heapUsed after the GCs, for comparison: ${mib(before.heapUsed)} → ${mib(after.heapUsed)} MiB (it can still count garbage not yet swept).`,
        ...(o.heapSnapshotDir
          ? [`Heap snapshots kept: ${snapBefore.path}, ${snapAfter.path} — compare with npx tsx bench/heap-diff.ts <before> <after>.`]
          : []),
      ],
    };
  } finally {
    await app.stop();
    await stub.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}
