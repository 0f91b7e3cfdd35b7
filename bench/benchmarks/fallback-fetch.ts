/**
 * 2. Fallback fetch: no prefetch, every query fetched from a local FHIR stub that answers after a
 * fixed delay — hook latency vs. one stub round trip, both measured alternately in the same run.
 * Variant "paged": every search has a `next` page, so a search needs two sequential round trips.
 */
import http from "node:http";
import { fillTemplate, prefetchQueries } from "../../src/fhir/queries";
import { generatePatient, realisticSpec, type GeneratedPatient } from "../fixtures/patient-generator";
import { startFhirStub, type FhirStub } from "../lib/fhir-stub";
import { request, type HttpTarget } from "../lib/load";
import { expectCards, fallbackBody, hookTarget, startApp } from "../lib/service";
import { median, percentile, round } from "../lib/stats";
import type { BenchOptions, BenchResult, BenchRow } from "../lib/types";
import type { ChildServer } from "../lib/child-server";

/** One round trip: the largest search the service runs (calcium group, up to 40 results). */
function roundTripTarget(stub: FhirStub, patientId: string): HttpTarget {
  const calcium = prefetchQueries.find((q) => q.key === "calcium");
  if (!calcium) throw new Error("no calcium prefetch query");
  return { url: `${stub.base}/${fillTemplate(calcium.template, { patientId, userId: "Practitioner/bench" })}`, method: "GET" };
}

/** Service CPU per fallback hook (realistic patient, 9 searches). */
const MAX_CPU_MS = 5;
const WARM_UP_MS = 3_000;
const WARM_UP_CALLERS = 8;
/** How long the service is watched with no request in flight, for its idle CPU. */
const IDLE_MS = 3_000;

async function measureVariant(app: ChildServer, stub: FhirStub, o: BenchOptions, data: GeneratedPatient) {
  const hook = hookTarget(app, fallbackBody(data, stub.base));
  const rt = roundTripTarget(stub, data.patient.id ?? "");
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const cards = expectCards(await request(agent, hook));
  // Warm-up (JIT, the service's keep-alive pool): a few calls are not enough — the optimizing compiler's
  // threads count in the process's CPU time, and with 5 warm-up calls they doubled the CPU per hook measured.
  // Sequential calls 20 ms apart give the JIT only ≈ 60 calls in 3 s, so the warm-up runs WARM_UP_CALLERS
  // callers at once (their own agent each; the measured calls below stay one at a time).
  const warmUntil = performance.now() + Math.min(WARM_UP_MS, o.durationMs / 4);
  await Promise.all(
    Array.from({ length: WARM_UP_CALLERS }, async () => {
      const own = new http.Agent({ keepAlive: true, maxSockets: 1 });
      for (let i = 0; i < 5 || performance.now() < warmUntil; i++) await request(own, hook);
      own.destroy();
    }),
  );
  const before = stub.stats();
  const statsBefore = await app.stats();
  const hookMs: number[] = [];
  const rtMs: number[] = [];
  const started = performance.now();
  while (hookMs.length < 5 || performance.now() - started < o.durationMs / 2) {
    const r = await request(agent, rt);
    if (r.status !== 200) throw new Error(`stub answered ${r.status}`);
    rtMs.push(r.ms);
    const h = await request(agent, hook);
    expectCards(h);
    hookMs.push(h.ms);
  }
  agent.destroy();
  const after = stub.stats();
  const statsAfter = await app.stats();
  const hooks = hookMs.length;
  const [m0, m1] = [statsBefore.mainThread, statsAfter.mainThread];
  return {
    cards,
    cpuPerHook: (statsAfter.cpuMs - statsBefore.cpuMs) / hooks,
    mainThread:
      m0 && m1 ? { cpuMs: (m1.cpuMs - m0.cpuMs) / hooks, sleeps: (m1.voluntarySwitches - m0.voluntarySwitches) / hooks } : undefined,
    hookMs,
    rtMs,
    stubRequestsPerHook: (after.requests - before.requests - rtMs.length) / hooks,
    connectionsPerHook: Math.max(0, after.connections - before.connections - 1) / hooks,
  };
}

/** CPU the service uses with no request in flight (timers, metrics sampling), in ms per second; the hooks' CPU includes it while they wait. */
async function idleCpuMsPerSecond(app: ChildServer, ms: number): Promise<number> {
  const before = (await app.stats()).cpuMs;
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return (((await app.stats()).cpuMs - before) * 1000) / (performance.now() - started);
}

function rows(label: string, m: Awaited<ReturnType<typeof measureVariant>>, roundTrips: number): BenchRow[] {
  const hook = median(m.hookMs);
  const rt = median(m.rtMs);
  const limit = 1.2 * roundTrips * rt + 5;
  return [
    {
      metric: `${label}: hook p50`,
      value: round(hook),
      unit: "ms",
      baseline: { label: "stub RT p50", value: round(rt) },
      ratio: round(hook / rt),
      target: `≤ 1.2 × ${roundTrips} RT + 5 ms = ${round(limit)} ms`,
      pass: hook <= limit,
    },
    {
      metric: `${label}: hook p90`,
      value: round(percentile(m.hookMs, 90)),
      unit: "ms",
      baseline: { label: "stub RT p90", value: round(percentile(m.rtMs, 90)) },
      ratio: round(percentile(m.hookMs, 90) / percentile(m.rtMs, 90)),
    },
    {
      metric: `${label}: service CPU time per hook`,
      value: round(m.cpuPerHook),
      unit: "ms",
      target: `≤ ${MAX_CPU_MS} ms`,
      pass: m.cpuPerHook <= MAX_CPU_MS,
    },
    ...(m.mainThread
      ? [
          { metric: `${label}: main thread CPU per hook`, value: round(m.mainThread.cpuMs), unit: "ms" },
          { metric: `${label}: main thread sleeps per hook`, value: round(m.mainThread.sleeps), unit: "" },
        ]
      : []),
    { metric: `${label}: stub requests per hook`, value: round(m.stubRequestsPerHook), unit: "" },
    {
      metric: `${label}: new connections per hook`,
      value: round(m.connectionsPerHook),
      unit: "",
      target: "≈ 0 (keep-alive)",
      pass: m.connectionsPerHook < 0.5,
    },
  ];
}

export async function fallbackFetch(o: BenchOptions): Promise<BenchResult> {
  const data = generatePatient({ ...realisticSpec, now: new Date() });
  const flat = await startFhirStub(data, { delayMs: o.stubDelayMs, paged: false });
  const paged = await startFhirStub(data, { delayMs: o.stubDelayMs, paged: true });
  const app = await startApp(o, { allowlist: [flat.origin, paged.origin] });
  try {
    const single = await measureVariant(app, flat, o, data);
    const twoPages = await measureVariant(app, paged, o, data);
    const idle = await idleCpuMsPerSecond(app, IDLE_MS);
    return {
      id: "fallback-fetch",
      title: `Fallback fetch (no prefetch) against a FHIR stub adding ${o.stubDelayMs} ms per request`,
      rows: [
        ...rows("one page", single, 1),
        ...rows("with next pages", twoPages, 2),
        { metric: `service CPU while idle (${IDLE_MS / 1000} s, no request)`, value: round(idle), unit: "ms/s" },
      ],
      notes: [
        `Same patient as the hook-overhead benchmark; the stub answers all ${prefetchQueries.length} prefetch queries (date floor and _count applied; answers serialized once per URL), ${o.stubDelayMs} ms after each request, in the parent process; the service runs in a child process with CDS_FHIR_ALLOWLIST set to the stub origins.`,
        `Round trip (RT) = one GET of the largest search (calcium group) from the parent over a keep-alive connection, alternated with the hook calls (one request in flight at a time, ${single.hookMs.length} + ${twoPages.hookMs.length} hook calls).`,
        `Service CPU time per hook: the child's process.cpuUsage() (user + system, every thread: the optimizing compiler's too) over the measured calls, after ${Math.min(WARM_UP_MS, o.durationMs / 4) / 1000} s of warm-up calls from ${WARM_UP_CALLERS} callers at once.`,
        `Main thread (Linux): its own CPU (the kernel's 10 ms ticks, from /proc) and its voluntary context switches, i.e. how often the event loop found nothing to do and slept, per hook.`,
        `"with next pages": every search answers half its results with a next link; page 2 can only be requested after page 1, so the floor is 2 round trips.`,
        `The service answered with ${single.cards} card(s) (one page) and ${twoPages.cards} card(s) (paged).`,
      ],
    };
  } finally {
    await app.stop();
    await Promise.all([flat.close(), paged.close()]);
  }
}
