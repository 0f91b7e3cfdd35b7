/**
 * The whole service of the working tree against a git ref's, end to end: both compiled to plain JavaScript (like
 * `node dist/server.js`), both started as in the hook-overhead benchmark (child processes, file-backed SQLite, log
 * level info), and loaded in alternating rounds of maximum throughput with the hook-overhead patient, so the host's
 * drifting speed is shared. Prints each server's CPU per hook (process.cpuUsage over its rounds ÷ hooks answered),
 * the ratio per round pair and overall, and the load average. Resolves changes of ≈ 3 % in the HTTP layer that a
 * full benchmark run (±15 % between runs) cannot; the engine alone is better compared with bench/engine-ab.ts.
 * `npx tsx bench/server-ab.ts [--base=HEAD] [--rounds=6] [--seconds=4] [--connections=10]`
 */
import http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { generatePatient, realisticSpec } from "./fixtures/patient-generator";
import { flagArgs } from "./lib/args";
import { extractServiceTree } from "./lib/git-tree";
import type { ChildServer } from "./lib/child-server";
import { compileServers, compileTree } from "./lib/compile";
import { maxThroughput, request } from "./lib/load";
import { expectCards, hookTarget, prefetchBody, startApp } from "./lib/service";
import { median, percentile } from "./lib/stats";
import { defaultBenchOptions } from "./lib/types";

export interface ServerComparison {
  baseRef: string;
  rounds: number;
  /** CPU ms per hook over all rounds. */
  baseMs: number;
  workMs: number;
  /** Ratios working ÷ base: over all rounds, and the median and middle half of the round pairs. */
  ratio: number;
  pairMedian: number;
  pairP25: number;
  pairP75: number;
}

export async function compareServers(o: {
  baseRef: string;
  rounds: number;
  seconds: number;
  connections: number;
}): Promise<ServerComparison> {
  const dir = mkdtempSync(join(tmpdir(), "vitd-server-ab-"));
  const servers: ChildServer[] = [];
  try {
    const baseTree = extractServiceTree(o.baseRef, join(dir, "tree"));
    const baseBuild = join(dir, "build");
    compileTree(baseTree, baseBuild);
    compileServers();
    const options = defaultBenchOptions;
    servers.push(await startApp(options, { buildDir: baseBuild }), await startApp(options));
    const body = prefetchBody(generatePatient({ ...realisticSpec, now: new Date() }));
    const targets = servers.map((s) => hookTarget(s, body));
    const agent = new http.Agent({ keepAlive: false });
    for (const t of targets) expectCards(await request(agent, t));
    for (const t of targets) await maxThroughput(t, o.connections, Math.min(3_000, o.seconds * 1000));
    const totals = [
      { ms: 0, hooks: 0 },
      { ms: 0, hooks: 0 },
    ];
    const perRound: number[][] = [[], []];
    for (let round = 0; round < o.rounds; round++) {
      // Alternate which goes first, so neither always runs after the other's load.
      for (const i of round % 2 === 0 ? [0, 1] : [1, 0]) {
        const before = await servers[i]!.stats();
        const run = await maxThroughput(targets[i]!, o.connections, o.seconds * 1000);
        const ms = (await servers[i]!.stats()).cpuMs - before.cpuMs;
        if (run.failed > 0) throw new Error(`the ${i === 0 ? o.baseRef : "working tree"} service failed ${run.failed} hook calls`);
        totals[i]!.ms += ms;
        totals[i]!.hooks += run.ok;
        perRound[i]!.push(ms / run.ok);
      }
    }
    const [base, work] = totals.map((t) => t.ms / t.hooks) as [number, number];
    const pairs = perRound[1]!.map((w, r) => w / perRound[0]![r]!);
    return {
      baseRef: o.baseRef,
      rounds: o.rounds,
      baseMs: base,
      workMs: work,
      ratio: work / base,
      pairMedian: median(pairs),
      pairP25: percentile(pairs, 25),
      pairP75: percentile(pairs, 75),
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = flagArgs();
  const r = await compareServers({
    baseRef: args.get("base") ?? "HEAD",
    rounds: Number(args.get("rounds") ?? 6),
    seconds: Number(args.get("seconds") ?? 4),
    connections: Number(args.get("connections") ?? 10),
  });
  console.log(`service, hook-overhead patient, ${r.rounds} alternating rounds each, load ${loadavg()[0]!.toFixed(2)}`);
  console.log(`  base ${r.baseRef.padEnd(12)} ${r.baseMs.toFixed(3)} ms CPU per hook`);
  console.log(
    `  working tree      ${r.workMs.toFixed(3)} ms CPU per hook   working ÷ base ${r.ratio.toFixed(3)} (round pairs: median ${r.pairMedian.toFixed(3)}, middle half ${r.pairP25.toFixed(3)}–${r.pairP75.toFixed(3)})`,
  );
}

if (require.main === module) void main();
