/**
 * Compares two V8 heap snapshots (e.g. from `npm run bench -- --only=memory --heap-snapshots=<dir>`):
 * objects grouped by type and constructor/name, largest growth first.
 * Usage: npx tsx bench/heap-diff.ts <before.heapsnapshot> <after.heapsnapshot> [top=25]
 */
import { readFileSync } from "node:fs";

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

type Groups = Map<string, { count: number; bytes: number }>;

/** Bytes of live objects in a snapshot (sum of self sizes; a snapshot holds only objects reachable after a full GC). */
export function liveBytes(snap: Snapshot): number {
  const fields = snap.snapshot.meta.node_fields;
  const iSize = fields.indexOf("self_size");
  let total = 0;
  for (let i = 0; i < snap.nodes.length; i += fields.length) total += snap.nodes[i + iSize] ?? 0;
  return total;
}

export function readSnapshot(file: string): Snapshot {
  return JSON.parse(readFileSync(file, "utf8")) as Snapshot;
}

export function groupHeap(snap: Snapshot): Groups {
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [iType, iName, iSize] = [fields.indexOf("type"), fields.indexOf("name"), fields.indexOf("self_size")];
  const groups: Groups = new Map();
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const type = types[snap.nodes[i + iType] ?? 0] ?? "?";
    const name = (snap.strings[snap.nodes[i + iName] ?? 0] ?? "").replace(/\s+/g, " ").slice(0, 70);
    const key = `${type}: ${type === "string" || type === "concatenated string" ? "(strings)" : name}`;
    const g = groups.get(key) ?? { count: 0, bytes: 0 };
    g.count++;
    g.bytes += snap.nodes[i + iSize] ?? 0;
    groups.set(key, g);
  }
  return groups;
}

export function diffHeaps(before: Groups, after: Groups, top = 25): string {
  const keys = new Set([...before.keys(), ...after.keys()]);
  const rows = [...keys]
    .map((k) => ({
      k,
      bytes: (after.get(k)?.bytes ?? 0) - (before.get(k)?.bytes ?? 0),
      count: (after.get(k)?.count ?? 0) - (before.get(k)?.count ?? 0),
    }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, top);
  return rows.map((r) => `${(r.bytes / 1024).toFixed(1).padStart(10)} KiB ${String(r.count).padStart(8)} objects  ${r.k}`).join("\n");
}

if (require.main === module) {
  const [a, b, top] = process.argv.slice(2);
  if (!a || !b) {
    console.error("usage: npx tsx bench/heap-diff.ts <before.heapsnapshot> <after.heapsnapshot> [top]");
    process.exitCode = 2;
  } else {
    const load = (f: string) => groupHeap(readSnapshot(f));
    console.log(diffHeaps(load(a), load(b), Number(top ?? 25)));
  }
}
