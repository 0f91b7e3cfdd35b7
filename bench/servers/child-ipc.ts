/**
 * The child side of a benchmark server: listen on 127.0.0.1 (port 0 = any free port), tell the
 * parent the port over IPC, answer probes of memory and CPU time used (optionally after a full GC
 * when run with --expose-gc) and exit cleanly on "stop" (so --cpu-prof can write its profile).
 * Without an IPC channel (cold-start runs) it listens on $PORT instead.
 */
import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import { writeHeapSnapshot } from "node:v8";
import type { Express } from "express";

export type ParentMessage = { type: "stats"; gc?: boolean } | { type: "snapshot"; path: string } | { type: "stop" };
export interface ProcessStats {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  gcRan: boolean;
  /** process.cpuUsage() since start, in ms (user + system). */
  cpuMs: number;
  /** The main (JavaScript) thread alone, from /proc (Linux; absent elsewhere): CPU in ms, at the kernel's 10 ms tick, and how often it slept. */
  mainThread?: { cpuMs: number; voluntarySwitches: number };
}

/** USER_HZ is 100 on every Linux build Node supports (sysconf(_SC_CLK_TCK)). */
const TICK_MS = 10;

function mainThread(): ProcessStats["mainThread"] {
  try {
    const task = `/proc/self/task/${process.pid}`;
    // Fields after the ")" closing the command name (which may itself hold one): utime and stime are the 12th and 13th.
    const raw = readFileSync(`${task}/stat`, "utf8");
    const stat = raw.slice(raw.lastIndexOf(") ") + 2).split(" ");
    // Its own line: "nonvoluntary_ctxt_switches" follows it and ends the same way.
    const switches = /^voluntary_ctxt_switches:\s+(\d+)$/m.exec(readFileSync(`${task}/status`, "utf8"));
    if (!switches || stat.length < 13) return undefined;
    return { cpuMs: (Number(stat[11]) + Number(stat[12])) * TICK_MS, voluntarySwitches: Number(switches[1]) };
  } catch {
    return undefined;
  }
}
export type ChildMessage = { type: "ready"; port: number } | ({ type: "stats" } & ProcessStats) | { type: "snapshot"; path: string };

/**
 * Two full GCs 100 ms apart, so FinalizationRegistry callbacks (fetch releases per-request state through one) run
 * in between. heapUsed may still count garbage not yet swept: the memory benchmark takes the live heap from heap
 * snapshots instead (seen: 87–119 MiB heapUsed "after GC", 26–27 MiB live in the snapshot).
 */
async function settle(gc: (() => void) | undefined): Promise<void> {
  if (!gc) return;
  gc();
  await new Promise((r) => setTimeout(r, 100));
  gc();
}

export function serveChild(app: Express): Server {
  const port = process.send ? 0 : Number(process.env.PORT ?? 0);
  const server = app.listen(port, "127.0.0.1", () => {
    const address = server.address();
    if (address && typeof address === "object") process.send?.({ type: "ready", port: address.port } satisfies ChildMessage);
  });
  server.keepAliveTimeout = 65_000;
  process.on("message", (msg: ParentMessage) => {
    if (msg.type === "stop") {
      server.closeAllConnections();
      server.close(() => process.exit(0));
      return;
    }
    if (msg.type === "snapshot") {
      process.send?.({ type: "snapshot", path: writeHeapSnapshot(msg.path) } satisfies ChildMessage);
      return;
    }
    const gc = (globalThis as { gc?: () => void }).gc;
    void settle(msg.gc ? gc : undefined).then(() => {
      const m = process.memoryUsage();
      const cpu = process.cpuUsage();
      const stats: ProcessStats = {
        rss: m.rss,
        heapUsed: m.heapUsed,
        heapTotal: m.heapTotal,
        external: m.external,
        gcRan: Boolean(msg.gc && gc),
        cpuMs: (cpu.user + cpu.system) / 1000,
      };
      const main = mainThread();
      if (main) stats.mainThread = main;
      process.send?.({ type: "stats", ...stats } satisfies ChildMessage);
    });
  });
  process.on("disconnect", () => process.exit(0));
  return server;
}
