/** NDJSON exports of the demo patients (as the sandbox's $export would write them), plain or gzipped, one or several files per type. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { FhirResource } from "fhir/r4";
import { loadAllPatientBundles } from "../../sandbox/load-patients";

export function demoResources(now: Date): FhirResource[] {
  return loadAllPatientBundles(now).flatMap((b) => (b.entry ?? []).flatMap((e) => (e.resource ? [e.resource as FhirResource] : [])));
}

export function writeExport(
  dir: string,
  resources: readonly FhirResource[],
  options: { gz?: boolean; filesPerType?: number } = {},
): string {
  mkdirSync(dir, { recursive: true });
  const byType = new Map<string, string[]>();
  for (const r of resources) byType.set(r.resourceType, [...(byType.get(r.resourceType) ?? []), JSON.stringify(r)]);
  const parts = options.filesPerType ?? 1;
  for (const [type, lines] of byType) {
    for (let p = 0; p < parts; p++) {
      const slice = lines.filter((_, i) => i % parts === p);
      if (slice.length === 0) continue;
      const text = slice.map((l) => `${l}\n`).join("");
      const name = `${type}${parts > 1 ? `.${p}` : ""}.ndjson`;
      if (options.gz) writeFileSync(join(dir, `${name}.gz`), gzipSync(text));
      else writeFileSync(join(dir, name), text);
    }
  }
  return dir;
}
