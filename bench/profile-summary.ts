/**
 * Summarizes a V8 .cpuprofile (from `npm run bench -- --cpu-prof=<dir>`): where the time goes, by
 * package/file (self time), by function (self time) and, for the project's own code, inclusive time.
 * Usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [top=20]
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function area(url: string): string {
  if (!url) return "(native / V8)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return `npm:${pkg[1] ?? ""}`;
  if (url.startsWith("node:")) return url;
  const own = /\/(src|bench|test)\/(.+)$/.exec(url);
  return own ? `${own[1] ?? ""}/${own[2] ?? ""}` : url;
}

const frameKey = (n: ProfileNode) =>
  `${n.callFrame.functionName || "(anonymous)"} ${area(n.callFrame.url)}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ""}`;

export function summarizeProfile(profile: Profile, top = 20): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const byArea = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(id);
    if (!node) return;
    total += dt;
    self.set(frameKey(node), (self.get(frameKey(node)) ?? 0) + dt);
    const a = area(node.callFrame.url) === "(native / V8)" ? node.callFrame.functionName || "(native / V8)" : area(node.callFrame.url);
    byArea.set(a, (byArea.get(a) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      if (n && /\/src\//.test(n.callFrame.url)) seen.add(frameKey(n));
    }
    for (const k of seen) inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
  });
  const list = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, ms]) => `  ${ms.toFixed(0).padStart(7)} ms ${((ms / total) * 100).toFixed(1).padStart(5)} %  ${k}`)
      .join("\n");
  return [
    `total sampled: ${total.toFixed(0)} ms`,
    "self time by package / file:",
    list(byArea),
    "self time by function:",
    list(self),
    "inclusive time, project functions (src/):",
    list(inclusive),
  ].join("\n");
}

if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error("usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [top]");
    process.exitCode = 2;
  } else {
    console.log(summarizeProfile(JSON.parse(readFileSync(file, "utf8")) as Profile, Number(top ?? 20)));
  }
}
